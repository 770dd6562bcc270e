# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .base import date_text, de, estado, retorno_estado, specific


def answer(person, context, request=None):
    if not person.large_family_until:
        return retorno_estado("1", "TITULO NO ENCONTRADO")
    valid = person.large_family_until >= context["today"]
    region = context.get("region") or "10"
    return specific(
        de(
            "Retorno",
            None,
            estado("0", "PETICION CORRECTA"),
            de(
                "TituloFamiliaNumerosaRetorno",
                None,
                de("CodigoComunidadAutonoma", region),
                de("NumeroTitulo", f"{region}/{person.document}"),
                de("Categoria", "G"),
                de("TituloVigente", "S" if valid else "N"),
                de("FechaCaducidad", date_text(person.large_family_until, "%d/%m/%Y")),
                de("NumeroHijos", str(max(person.children, 1))),
            ),
        ),
    )
