# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SVDDGPCIWS02, identity *consultation* (Dirección General de la Policía):
the DNI/NIE register's data of the holder. Met when the register knows the
holder and their document is in force (a NIE has no expiry date)."""

from .base import (
    MET,
    NOT_MET,
    UNKNOWN,
    Reading,
    Service,
    _lt,
    de,
    holder_unknown,
    messages,
    parse_date,
    specific,
    text,
)


def request(context):
    consulta = de("Consulta")
    if context.get("birthdate"):
        consulta.append(de("AnioNacimiento", str(context["birthdate"].year)))
    return specific(consulta) if len(consulta) else specific()


def read(answer, context):
    code = text(answer, "Retorno", "Estado", "CodigoEstado")
    if unknown := holder_unknown(code):
        return unknown
    holder = messages._path(answer, "Retorno", "DatosTitular")
    if code != "00" or holder is None:
        return Reading(NOT_MET, code, _lt("Identity not found in the register"))
    expiry = text(holder, "FechaCaducidad")
    if expiry:
        until = parse_date(expiry, "%Y%m%d")
        if until is None:
            return Reading(UNKNOWN, code, _lt("Unreadable document expiry date"))
        if until < context["today"]:
            return Reading(NOT_MET, code, _lt("Identity document expired"))
    return Reading(MET, code, _lt("Identity document in force"))


SERVICE = Service(
    "SVDDGPCIWS02",
    "S2816015H",
    "DIRECCION GENERAL DE LA POLICIA",
    "Identity data (DGP)",
    "S2816015H.SVDDGPCIWS02",
    "identity_data",
    True,
    {"dni": "DNI", "nie": "NIE"},
    request,
    read,
    # older copies of the schema lack it; the platform takes and echoes it
    # (captured preproduction traffic of 2024)
    unit_code=True,
)
