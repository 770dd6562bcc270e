# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SCDCPAJU, padrón residence and cohabitation (the municipalities, through
the INE's platform): the holder's dwelling in the padrón of the
municipality asked about, and who lives there. Met when the holder is
registered there with at least ``threshold`` people in the dwelling
(themselves included; 0: any). Legacy XML Signature profile."""

from .base import (
    ALL_TYPES,
    MET,
    NO_ANSWER,
    NOT_MET,
    UNKNOWN,
    XML_SIGNATURE,
    Reading,
    Service,
    _lt,
    de,
    holder_unknown,
    messages,
    specific,
    text,
)


def solicitud(context, *extra):
    """The padrón services' Solicitud: the municipality asked about and the
    holder's document."""
    municipality = context.get("municipality") or ""
    return de(
        "Solicitud",
        None,
        de("ProvinciaSolicitud", municipality[:2]),
        de("MunicipioSolicitud", municipality[2:]),
        de(
            "Titular",
            None,
            de(
                "Documentacion",
                None,
                de("Tipo", context.get("document_type") or "NIF"),
                de("Valor", context.get("document") or ""),
            ),
        ),
        *extra,
    )


def request(context):
    return specific(solicitud(context))


def read(answer, context):
    code = text(answer, "Estado", "CodigoEstado")
    result = messages._path(answer, "Resultado")
    if result is None:
        # not in that padrón (0233, 0238...): nothing known, not a "no"
        if unknown := holder_unknown(code):
            return unknown
        return Reading(UNKNOWN, code, NO_ANSWER)
    people = messages._path(result, "Personas")
    count = 0 if people is None else len(people)
    if count >= (context.get("threshold") or 0):
        return Reading(MET, code or "0003", _lt("Registered in that municipality"))
    return Reading(
        NOT_MET, code or "0003", _lt("Fewer people in the dwelling than required")
    )


SERVICE = Service(
    "SCDCPAJU",
    "Q2826039F",
    "INSTITUTO NACIONAL DE ESTADISTICA",
    "Padrón residence and cohabitation (municipalities)",
    "Q2826039F.SCDCPAJU",
    "padron_cohabitation",
    False,
    ALL_TYPES,
    request,
    read,
    profile=XML_SIGNATURE,
)
