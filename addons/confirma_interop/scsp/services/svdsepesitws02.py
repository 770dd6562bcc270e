# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SVDSEPESITWS02, unemployment situation (Servicio Público de Empleo
Estatal): is the holder registered as unemployed today?"""

from .base import (
    MET,
    NIF_NIE,
    NO_ANSWER,
    NOT_MET,
    UNKNOWN,
    Reading,
    Service,
    _lt,
    text,
)


def request(context):
    return None  # SEPE's schema forbids DatosEspecificos in the request


def read(answer, context):
    code = text(answer, "EstadoResultado", "CodigoEstado")
    if code and code != "0003":
        return Reading(UNKNOWN, code, NO_ANSWER, holder_error=True)
    situation = text(answer, "DatosDesempleo", "situacion")
    if not situation:
        return Reading(UNKNOWN, code, _lt("No unemployment data"))
    if situation == "ALTA":
        return Reading(MET, code or "0003", _lt("Registered as unemployed"))
    return Reading(NOT_MET, code or "0003", _lt("Not registered as unemployed"))


SERVICE = Service(
    "SVDSEPESITWS02",
    "Q2819009H",
    "SERVICIO PUBLICO DE EMPLEO ESTATAL",
    "Unemployment situation (SEPE)",
    "Q2819009H.SVDSEPESITWS02",
    "unemployed",
    True,
    NIF_NIE,
    request,
    read,
)
