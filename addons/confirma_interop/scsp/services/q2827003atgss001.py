# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Q2827003ATGSS001, up to date with the Seguridad Social (Tesorería
General). The TGSS answers encrypted to the requester's certificate
(DatosEspecificos when synchronous, Transmisiones when asynchronous)."""

from .base import (
    ALL_TYPES,
    MET,
    NO_ANSWER,
    NOT_MET,
    UNKNOWN,
    Reading,
    Service,
    _lt,
    text,
)


def request(context):
    return None  # the schema has no request shape


def read(answer, context):
    code = text(answer, "Retorno", "Codigo")
    result = text(answer, "Retorno", "Resultado")
    if code not in ("0", "") or result not in ("S", "N"):
        return Reading(UNKNOWN, code, NO_ANSWER, holder_error=True)
    if result == "S":
        return Reading(MET, code or "0", _lt("Up to date with Social Security"))
    return Reading(NOT_MET, code or "0", _lt("Not up to date with Social Security"))


SERVICE = Service(
    "Q2827003ATGSS001",
    "Q2827003A",
    "TESORERIA GENERAL DE LA SEGURIDAD SOCIAL",
    "Up to date with Social Security (TGSS)",
    "Q2827003A.TGSS001",
    "tgss_clear",
    True,
    ALL_TYPES,
    request,
    read,
)
