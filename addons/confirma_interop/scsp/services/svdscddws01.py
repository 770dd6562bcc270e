# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SVDSCDDWS01, disability degree (the autonomous communities): a degree
at least the requirement's threshold."""

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
    specific,
    text,
)


def birth(context):
    """The holder's birth date, as the regional schemas take it."""
    if not context.get("birthdate"):
        return None
    return de(
        "DatosAdicionalesTitular",
        None,
        de("FechaNacimiento", date_text(context["birthdate"], "%d/%m/%Y")),
    )


def request(context):
    return specific(
        de(
            "Consulta",
            None,
            de("CodigoComunidadAutonoma", context.get("region") or "10"),
            de("FechaConsulta", date_text(context["today"], "%d/%m/%Y")),
            birth(context),
            de("ConsentimientoTiposDiscapacidad", "N"),
        ),
    )


def read(answer, context):
    code = text(answer, "Retorno", "Estado", "CodigoEstado")
    if unknown := holder_unknown(code):
        return unknown
    if code == "1":
        return Reading(NOT_MET, code, _lt("No disability recognised"))
    if code != "0":
        return Reading(UNKNOWN, code, NO_ANSWER)
    try:
        degree = int(
            text(answer, "Retorno", "CertificadoDatosDiscapacidad", "GradoDiscapacidad")
        )
    except ValueError:
        return Reading(UNKNOWN, code, _lt("Unreadable disability degree"))
    if degree >= (context.get("threshold") or 0):
        return Reading(MET, code, _lt("Disability degree at least the threshold"))
    return Reading(NOT_MET, code, _lt("Disability degree under the threshold"))


SERVICE = Service(
    "SVDSCDDWS01",
    "S2833002E",
    "COMUNIDADES AUTONOMAS",
    "Disability degree (regions)",
    "S2833002E.SVDSCDDWS01",
    "disability",
    True,
    ALL_TYPES,
    request,
    read,
)
