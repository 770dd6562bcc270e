# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The vehicle register: any plate is a vehicle, first registered between
1975 and 2025 and now and then deregistered for good, derived from the
plate (the same plate always gets the same answer)."""

import datetime
import hashlib

from .base import asked, de, estado, specific


def consulta(request):
    """The request's Consulta, echoed in every answer."""
    node = asked(request, "Consulta")
    return node if node is not None else de("Consulta", None, de("Matricula", ""))


def vehicle(plate):
    """(first registration date, deregistered for good) of plate."""
    number = int.from_bytes(hashlib.sha256(plate.encode()).digest()[:8], "big")
    registered = datetime.date(1975, 1, 1) + datetime.timedelta(
        days=number % (50 * 365)
    )
    return registered, (number >> 32) % 100 < 3


def answer(person, context, request=None):
    asked = consulta(request)
    plate = "".join(asked.itertext()).strip()
    registered, gone = vehicle(plate)
    return specific(
        de(
            "Retorno",
            None,
            estado("0", "TRAMITADO", "Literal"),
            asked,
            de(
                "DatosVehiculo",
                None,
                de(
                    "DatosGenerales",
                    None,
                    de(
                        "Indicadores",
                        None,
                        de("BajaTemporal", "N"),
                        de("BajaDefinitiva", "S" if gone else "N"),
                    ),
                    de(
                        "Matriculacion",
                        None,
                        de("FechaMatriculacion", registered.isoformat()),
                        de("Matricula", plate),
                    ),
                ),
            ),
        )
    )


def holder_error(code, literal, context, request=None):
    return specific(
        de("Retorno", None, estado(code, literal, "Literal"), consulta(request))
    )
