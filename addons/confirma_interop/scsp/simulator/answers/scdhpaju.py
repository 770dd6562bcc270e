# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The padrón history of the municipality asked about: the holder's
address since they registered (and until they left)."""

import datetime

from .base import date_text, de, estado, hoja_padronal, specific
from .scdcpaju import holder_error, solicitud_asked


def answer(person, context, request=None):
    solicitud, municipality = solicitud_asked(request)
    if person.municipality != municipality or not person.residence_since:
        return holder_error(
            "0238", "EL TITULAR NO CONSTA EN EL PADRON", context, request
        )
    home = de(
        "Domicilio",
        None,
        hoja_padronal(),
        de("Desde", date_text(person.residence_since, "%Y-%m-%d")),
    )
    if person.residence_until:
        home.append(de("Hasta", date_text(person.residence_until, "%Y-%m-%d")))
    return specific(
        estado("0003", "TRAMITADA"),
        solicitud,
        de(
            "Resultado",
            None,
            de("Nombre", person.first_name or "-"),
            de("Apellido1", person.surname1 or "-"),
            de("HistoricoDomicilios", None, home),
            de(
                "FechaExpedicion",
                date_text(context.get("today") or datetime.date.today(), "%Y-%m-%d"),
            ),
        ),
    )
