# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .base import de, specific


def _retorno(code, result, description):
    return specific(
        de(
            "Retorno",
            None,
            de("Codigo", code),
            de("Resultado", result),
            de("Descripcion", description),
        )
    )


def answer(person, context, request=None):
    if person.tgss_clear:
        return _retorno("0", "S", "ESTA AL CORRIENTE DE PAGO")
    return _retorno("0", "N", "NO ESTA AL CORRIENTE DE PAGO")


def holder_error(code, literal, context, request=None):
    return _retorno(code, "X", literal)
