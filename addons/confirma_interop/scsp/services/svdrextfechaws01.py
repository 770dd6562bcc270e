# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SVDREXTFECHAWS01, residence with date (Instituto Nacional de
Estadística): is the holder registered in the municipality asked about?"""

from .base import (
    ALL_TYPES,
    MET,
    NO_ANSWER,
    NOT_MET,
    UNKNOWN,
    Reading,
    Service,
    _lt,
    de,
    messages,
    specific,
    text,
)


def request(context):
    municipality = context.get("municipality") or ""
    solicitud = de("Solicitud", None, de("Espanol", context.get("spanish", "s")))
    if len(municipality) == 5:
        solicitud.append(
            de(
                "Residencia",
                None,
                de("Provincia", municipality[:2]),
                de("Municipio", municipality[2:]),
            )
        )
    return specific(solicitud)


def read(answer, context):
    code = text(answer, "Retorno", "Estado", "CodigoEstado")
    if code and code != "0003":
        return Reading(UNKNOWN, code, NO_ANSWER, holder_error=True)
    home = messages._path(answer, "Retorno", "Domicilio")
    if home is None:
        return Reading(
            UNKNOWN, code, _lt("No address in the answer"), holder_error=True
        )
    found = text(home, "ProvinciaRespuesta", "Codigo") + text(
        home, "MunicipioRespuesta", "Codigo"
    )
    expected = context.get("municipality")
    if expected and found == expected:
        return Reading(MET, code or "0003", _lt("Registered in the municipality"))
    return Reading(NOT_MET, code or "0003", _lt("Not registered in the municipality"))


SERVICE = Service(
    "SVDREXTFECHAWS01",
    "Q2826039F",
    "INSTITUTO NACIONAL DE ESTADISTICA",
    "Residence with date (INE)",
    "Q2826039F.SVDREXTFECHAWS01",
    "residence",
    True,
    ALL_TYPES,
    request,
    read,
)
