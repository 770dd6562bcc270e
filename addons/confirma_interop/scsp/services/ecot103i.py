# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""ECOT103I, up to date with the Agencia Tributaria (grants and aid).
Synchronous only."""

from .base import MET, NIF_NIE, NOT_MET, UNKNOWN, Reading, Service, _lt, text


def request(context):
    return None  # the schema has no request shape


def read(answer, context):
    code = text(answer, "Cabecera", "CodRet")
    certificate = text(answer, "ObligacionesTributarias", "CodigoCertificado")
    if code != "1000" or not certificate:
        return Reading(UNKNOWN, code, _lt("No answer on tax obligations"))
    if certificate == "POSITIVO":
        return Reading(MET, code, _lt("Up to date with tax obligations"))
    return Reading(NOT_MET, code, _lt("Not up to date with tax obligations"))


SERVICE = Service(
    "ECOT103I",
    "Q2826000H",
    "AGENCIA ESTATAL DE ADMINISTRACION TRIBUTARIA",
    "Up to date with the Tax Agency, grants (AEAT)",
    "Q2826000H.ECOT103I",
    "aeat_clear",
    False,
    NIF_NIE,
    request,
    read,
)
