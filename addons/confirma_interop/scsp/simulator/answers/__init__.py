# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The simulator's answers, one module per service of the catalogue
(:data:`...services.CATALOGUE`, same module name): ``answer(person,
context, request)`` gives the DatosEspecificos an administration would
answer for ``person`` (``request``: the Peticion's DatosEspecificos, or
None), and ``holder_error(code, literal, context, request)``, when the
service writes holder errors its own way, the answer for a holder it knows
nothing of (Retorno/Estado otherwise)."""

import importlib

from ... import services
from .base import retorno_estado

MODULES = {
    code: importlib.import_module(f"{__name__}.{code.lower()}")
    for code in services.SERVICES
}


def answer(service, person, context, request=None):
    return MODULES[service.code].answer(person, context, request)


def holder_error(service, code, literal, context=None, request=None):
    """The service-level answer of a holder the platform knows nothing of
    (asynchronous requests: per transmission)."""
    special = getattr(MODULES[service.code], "holder_error", None)
    if special is None:
        return retorno_estado(code, literal)
    return special(code, literal, context or {}, request)
