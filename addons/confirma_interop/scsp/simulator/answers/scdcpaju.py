# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The padrón of the municipality asked about: the holder's dwelling and
the people in it (the holder and anonymous cohabitants), when the holder
lives there."""

import copy
import datetime

from .base import date_text, de, estado, specific, text


def asked(request):
    """The request's Solicitud, and the municipality it asks about."""
    solicitud = None
    if request is not None:
        solicitud = next(
            (
                n
                for n in request
                if isinstance(n.tag, str) and n.tag.endswith("}Solicitud")
            ),
            None,
        )
    municipality = text(solicitud, "ProvinciaSolicitud") + text(
        solicitud, "MunicipioSolicitud"
    )
    return solicitud, municipality


def lives_there(person, municipality):
    return person.municipality == municipality and person.residence_until is None


def not_registered(request):
    solicitud, _municipality = asked(request)
    return specific(
        estado("0238", "EL TITULAR NO CONSTA EN EL PADRON"),
        copy.deepcopy(solicitud) if solicitud is not None else None,
    )


def answer(person, context, request=None):
    solicitud, municipality = asked(request)
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
        copy.deepcopy(solicitud),
        de(
            "Resultado",
            None,
            de(
                "ClaveHojaPadronal",
                None,
                de("Distrito", "01"),
                de("Seccion", "001"),
                de("Hoja", "0000001"),
            ),
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
    solicitud, _municipality = asked(request)
    return specific(
        estado(code, literal),
        copy.deepcopy(solicitud) if solicitud is not None else None,
    )
