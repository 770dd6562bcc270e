# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .base import date_text, de, estado, specific


def answer(person, context, request=None):
    municipality = person.municipality
    return specific(
        de(
            "Retorno",
            None,
            estado("0003", "TRAMITADA"),
            de(
                "Domicilio",
                None,
                de(
                    "ProvinciaRespuesta",
                    None,
                    de("Codigo", municipality[:2]),
                    de("Nombre", context.get("province_name") or municipality[:2]),
                ),
                de(
                    "MunicipioRespuesta",
                    None,
                    de("Codigo", municipality[2:]),
                    de("Nombre", person.municipality_name or municipality),
                ),
                de(
                    "UltimaVariacion",
                    None,
                    de("Fecha", date_text(person.residence_since, "%Y%m%d")),
                ),
            ),
        ),
    )
