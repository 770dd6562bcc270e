# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SVDDGPVIWS02, identity *verification* (Dirección General de la Policía):
do the holder's document, name, sex and birth date match the DNI/NIE
register? Met on ``00``."""

from .base import (
    MET,
    NOT_MET,
    Reading,
    Service,
    _lt,
    date_text,
    de,
    holder_unknown,
    specific,
    text,
)


def request(context):
    consulta = de("Consulta")
    if context.get("sex") in ("M", "F"):
        consulta.append(de("Sexo", context["sex"]))
    if context.get("birthdate"):
        consulta.append(
            de(
                "DatosNacimiento",
                None,
                de("Fecha", date_text(context["birthdate"], "%Y%m%d")),
            )
        )
    return specific(consulta) if len(consulta) else None


def read(answer, context):
    code = text(answer, "Retorno", "Estado", "CodigoEstado")
    if code == "00":
        return Reading(MET, code, _lt("Identity verified"))
    if unknown := holder_unknown(code):
        return unknown
    return Reading(NOT_MET, code, _lt("Identity not verified"))


SERVICE = Service(
    "SVDDGPVIWS02",
    "S2816015H",
    "DIRECCION GENERAL DE LA POLICIA",
    "Identity verification (DGP)",
    "S2816015H.SVDDGPVIWS02",
    "identity",
    True,
    {"dni": "DNI", "nie": "NIE"},
    request,
    read,
)
