# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The padrón of the municipality asked about: the holder's dwelling and
the people in it (the holder and anonymous cohabitants), when the holder
lives there."""

import datetime

from .base import asked, date_text, de, estado, hoja_padronal, specific, text


def solicitud_asked(request):
    """A copy of the request's Solicitud, and the municipality it asks
    about."""
    solicitud = asked(request, "Solicitud")
    municipality = text(solicitud, "ProvinciaSolicitud") + text(
        solicitud, "MunicipioSolicitud"
    )
    return solicitud, municipality


def lives_there(person, municipality):
    return person.municipality == municipality and person.residence_until is None


def not_registered(request):
    solicitud, _municipality = solicitud_asked(request)
    return specific(
        estado("0238", "EL TITULAR NO CONSTA EN EL PADRON"),
        solicitud,
    )


def answer(person, context, request=None):
    solicitud, municipality = solicitud_asked(request)
    if not lives_there(person, municipality):
        return not_registered(request)
    people = de("Personas")
    for number in range(max(person.household_size, 1)):
        holder = number == 0
        people.append(
            de(
                "Persona",
                None,
                de("Nombre", (person.first_name if holder else "") or "CONVIVIENTE"),
                de("Apellido1", (person.surname1 if holder else "") or str(number)),
                de("NIA", f"{number + 1:015d}"),
                de(
                    "PeriodoInscripcion",
                    None,
                    de("Desde", date_text(person.residence_since, "%Y-%m-%d")),
                    de(
                        "MotivoInscripcion",
                        None,
                        de("CodigoVariacion", "A"),
                        de("Descripcion", "Alta por cambio de residencia"),
                    ),
                )
                if person.residence_since
                else None,
            )
        )
    return specific(
        estado("0003", "TRAMITADA"),
        solicitud,
        de(
            "Resultado",
            None,
            hoja_padronal(),
            de(
                "Domicilio",
                None,
                de("Via", None, de("Tipo", "CL"), de("Nombre", "MAYOR")),
            ),
            people,
            de(
                "FechaExpedicion",
                date_text(context.get("today") or datetime.date.today(), "%Y-%m-%d"),
            ),
        ),
    )


def holder_error(code, literal, context, request=None):
    solicitud, _municipality = solicitud_asked(request)
    return specific(
        estado(code, literal),
        solicitud,
    )
