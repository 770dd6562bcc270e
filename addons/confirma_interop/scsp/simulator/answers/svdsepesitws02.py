# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .base import de, specific


def answer(person, context, request=None):
    return specific(
        de("EstadoResultado", None, de("CodigoEstado", "0003")),
        de(
            "DatosDesempleo",
            None,
            de("indSituacion", "SI" if person.unemployed else "NO"),
            de("situacion", "ALTA" if person.unemployed else "BAJA"),
        ),
    )


def holder_error(code, literal, context, request=None):
    return specific(
        de(
            "EstadoResultado",
            None,
            de("CodigoEstado", code),
            de("LiteralError", literal),
        )
    )
