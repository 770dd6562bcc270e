# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime

from .base import cabecera, de, specific


def answer(person, context, request=None):
    if person.income is None:
        return specific(cabecera("1008", "NO CONSTA DECLARACION", context.get("year")))
    whole, cents = divmod(round(person.income * 100), 100)
    return specific(
        cabecera("1000", "", context.get("year")),
        de(
            "irpf",
            None,
            de(
                "CabeceraRenta",
                None,
                de("NifSolicitante", context.get("requester_nif", "")),
                de("NombreSolicitante", context.get("requester_name", "")),
                de("PrimerDeclarante", person.full_name),
                de("Modelo", "100"),
                de("Tributacion", "INDIVIDUAL"),
                de("OrigenDatos", "DECLARACION"),
            ),
            de(
                "NivelRenta",
                None,
                de("NRLiteral", "NIVEL DE RENTA"),
                de("NREnteros", str(whole)),
                de("NRDecimales", str(cents)),
            ),
            de("DatosCola"),
        ),
    )


def holder_error(code, literal, context, request=None):
    year = context.get("year") or datetime.date.today().year - 1
    return specific(cabecera("1002", literal, year))
