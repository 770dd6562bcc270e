# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .base import de, estado, retorno_estado, specific


def answer(person, context, request=None):
    if not person.disability:
        return retorno_estado("1", "TITULAR NO ENCONTRADO")
    return specific(
        de(
            "Retorno",
            None,
            estado("0", "PETICION CORRECTA"),
            de(
                "CertificadoDatosDiscapacidad",
                None,
                de("CodigoComunidadAutonoma", context.get("region") or "10"),
                de("GradoDiscapacidad", str(person.disability)),
                de("FechaEfectos", "01/01/2020"),
                de("ValidezPermanente", "S"),
            ),
        ),
    )
