# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SVDSCTFNWS01, large-family title (the autonomous communities): a title
in force today."""

from .base import (
    ALL_TYPES,
    MET,
    NO_ANSWER,
    NOT_MET,
    UNKNOWN,
    Reading,
    Service,
    _lt,
    date_text,
    de,
    holder_unknown,
    messages,
    parse_date,
    specific,
    text,
)
from .svdscddws01 import birth


def request(context):
    return specific(
        de(
            "Consulta",
            None,
            de(
                "TituloFamiliaNumerosa",
                None,
                de("CodigoComunidadAutonoma", context.get("region") or "10"),
                de("FechaConsulta", date_text(context["today"], "%d/%m/%Y")),
            ),
            birth(context),
        ),
    )


def read(answer, context):
    code = text(answer, "Retorno", "Estado", "CodigoEstado")
    if unknown := holder_unknown(code):
        return unknown
    if code == "1":
        return Reading(NOT_MET, code, _lt("No large-family title"))
    if code != "0":
        return Reading(UNKNOWN, code, NO_ANSWER)
    title = messages._path(answer, "Retorno", "TituloFamiliaNumerosaRetorno")
    expiry = parse_date(text(title, "FechaCaducidad"), "%d/%m/%Y")
    valid = (
        text(title, "TituloVigente") != "N" and expiry and expiry >= context["today"]
    )
    if valid:
        return Reading(MET, code, _lt("Valid large-family title"))
    return Reading(NOT_MET, code, _lt("No valid large-family title"))


SERVICE = Service(
    "SVDSCTFNWS01",
    "S2833002E",
    "COMUNIDADES AUTONOMAS",
    "Large-family title (regions)",
    "S2833002E.SVDSCTFNWS01",
    "large_family",
    True,
    ALL_TYPES,
    request,
    read,
)
