# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""NIVRENTI, income level (Agencia Tributaria): the holder's income of the
last closed tax year, at most the requirement's threshold. Synchronous
only; the law asks for the holder's consent."""

from .base import (
    MET,
    NIF_NIE,
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
    return specific(de("Ejercicio", str(context["year"])))


def read(answer, context):
    code = text(answer, "Cabecera", "CodRet")
    if code != "1000":
        return Reading(
            UNKNOWN, code, _lt("No income data"), holder_error=code == "1002"
        )
    level = messages._path(answer, "irpf", "NivelRenta")
    if level is None:
        return Reading(UNKNOWN, code, _lt("No income level in the answer"))
    try:
        amount = (
            int(text(level, "NREnteros") or 0)
            + int(text(level, "NRDecimales") or 0) / 100
        )
    except ValueError:
        return Reading(UNKNOWN, code, _lt("Unreadable income level"))
    if text(level, "NRSigno") == "-":
        amount = -amount
    if amount <= (context.get("threshold") or 0):
        return Reading(MET, code, _lt("Income level at most the threshold"))
    return Reading(NOT_MET, code, _lt("Income level above the threshold"))


SERVICE = Service(
    "NIVRENTI",
    "Q2826000H",
    "AGENCIA ESTATAL DE ADMINISTRACION TRIBUTARIA",
    "Income level (AEAT)",
    "Q2826000H.NIVRENTI",
    "income",
    False,
    NIF_NIE,
    request,
    read,
)
