# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .base import de, estado, specific


def answer(person, context, request=None):
    same = context.get("names_match", True)
    return specific(
        de(
            "Retorno",
            None,
            estado("00", "VERIFICACION POSITIVA")
            if same
            else estado("01", "VERIFICACION NEGATIVA: LOS DATOS NO COINCIDEN"),
        ),
    )
