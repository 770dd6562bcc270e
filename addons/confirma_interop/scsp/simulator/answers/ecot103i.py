# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .base import cabecera, de, specific


def answer(person, context, request=None):
    positive = person.aeat_clear
    obligations = de(
        "ObligacionesTributarias",
        None,
        de("CodigoCertificado", "POSITIVO" if positive else "NEGATIVO"),
    )
    if not positive:
        obligations.append(de("TipoNegativo", "A"))
    obligations.append(
        de("CausaNegatividad", "" if positive else "DEUDAS PENDIENTES DE PAGO")
    )
    return specific(cabecera("1000"), obligations)


def holder_error(code, literal, context, request=None):
    return specific(cabecera("1002", literal))
