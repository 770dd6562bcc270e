# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Helpers of the simulator's answers: ``answer(person, context, request)``
per service module, where ``request`` is the Peticion's DatosEspecificos
(None when the service has none)."""

import copy
import datetime

from ... import messages
from ...services.base import date_text, de, specific, text  # noqa: F401


def asked(request, name):
    """A copy of the request's ``name`` element (its DatosEspecificos'
    child), to echo in the answer; None when it has none."""
    node = messages._child(request, name)
    return copy.deepcopy(node) if node is not None else None


def hoja_padronal():
    """The padrón sheet of the simulator's dwellings."""
    return de(
        "ClaveHojaPadronal",
        None,
        de("Distrito", "01"),
        de("Seccion", "001"),
        de("Hoja", "0000001"),
    )


def estado(code, literal, literal_tag="LiteralError"):
    return de("Estado", None, de("CodigoEstado", code), de(literal_tag, literal))


def retorno_estado(code, literal):
    """The most common holder-error answer: Retorno/Estado."""
    return specific(de("Retorno", None, estado(code, literal)))


def cabecera(code, description="", year=None):
    """The Agencia Tributaria's answer header."""
    node = de(
        "Cabecera",
        None,
        de("CodRet", code),
        de("DescripcionError", description),
        de("Referencia", "00000000000"),
        de("FechaEmision", datetime.date.today().isoformat()),
    )
    if year:
        node.append(de("Ejercicio", str(year)))
        node.append(de("TipoRespuesta", "IR"))
    return node
