# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What every SCSP service module is made of: :class:`Service` (who issues
it, which documents it takes, how its request is built and its answer read)
and :class:`Reading` (an answer as a requirement result).

A reading says met / not met / unknown, the service's code and why in fixed,
translated words: never the data's values (income, degree, address, dates)
nor the data holder's free text, which stay in the raw messages only (the
auditors'). Holder errors (nothing known of the holder: the codes of
:data:`.codes.HOLDER_CODES`) are final, never retried.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from odoo.tools.translate import LazyTranslate

from .. import codes, messages
from ..messages import DE, text

_lt = LazyTranslate(__name__)
MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
WS_SECURITY, XML_SIGNATURE = "ws-security", "xml-signature"
NO_ANSWER = _lt("No usable answer from the data holder")
# the holder's document kinds (res.partner.document_type) -> TipoDocumentacion
ALL_TYPES = {"dni": "NIF", "nie": "NIE", "passport": "Pasaporte"}
NIF_NIE = {"dni": "NIF", "nie": "NIE"}


@dataclass
class Reading:
    result: str  # met / not_met / unknown
    code: str  # the service's own status code, for the audit
    note: str  # why, in fixed translated words: no value of the data
    holder_error: bool = False  # 0231/0233/0238-like: nothing known of the holder


@dataclass(frozen=True)
class Service:
    """One certificate code of the catalogue.

    ``request(context)`` builds the Peticion's DatosEspecificos (None: the
    schema has none); ``read(specific, context)`` turns an answer's
    DatosEspecificos into a :class:`Reading`. ``context`` holds ``today``,
    ``year`` (the last closed tax year), ``birthdate``, ``sex``,
    ``municipality`` (INE code of five digits), ``region`` (autonomous
    community code), ``threshold`` (the requirement's) and ``subject``
    (what the query is about besides the holder, e.g. a vehicle's plate).
    """

    code: str
    issuer_nif: str
    issuer_name: str
    name: str
    endpoint: str
    answer_kind: str
    asynchronous: bool
    document_types: dict  # holder's document kind (dni/nie/passport) -> value
    request: Callable
    read: Callable
    # the catalogue's TIPOSEGURIDAD: how requests to it are signed
    profile: str = WS_SECURITY
    # the service's schema knows Solicitante/CodigoUnidadTramitadora (the
    # newer v3 schemas: sent when the procedure's unit has a DIR3 code)
    unit_code: bool = False
    # the query needs a subject besides the holder (e.g. a vehicle plate):
    # the name of the resident's fact type that holds it
    subject_fact: str = ""

    def document_type(self, kind):
        return self.document_types.get(kind)

    def reading(self, specific, context):
        if specific is None:
            return Reading(UNKNOWN, "", _lt("No data in the answer"), holder_error=True)
        return self.read(specific, context)


def de(tag, value=None, *children):
    """An element of the DatosEspecificos namespace."""
    return messages.element(DE, tag, value, *children)


def specific(*children):
    """The DatosEspecificos of a request or answer."""
    return de("DatosEspecificos", None, *children)


def date_text(value, fmt):
    return value.strftime(fmt) if value else None


def parse_date(value, fmt):
    try:
        return datetime.datetime.strptime(value, fmt).date()
    except (TypeError, ValueError):
        return None


def years_between(start, end):
    """Whole years from ``start`` to ``end``.

    >>> years_between(datetime.date(2000, 3, 1), datetime.date(2026, 2, 28))
    25
    >>> years_between(datetime.date(2000, 3, 1), datetime.date(2026, 3, 1))
    26
    """
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def holder_unknown(code):
    """The reading of a holder code (nothing known of the holder:
    :data:`.codes.HOLDER_CODES`, final, never retried), or None.

    >>> holder_unknown("0233").holder_error, holder_unknown("00")
    (True, None)
    """
    if code in codes.HOLDER_CODES:
        return Reading(UNKNOWN, code, NO_ANSWER, holder_error=True)
    return None


__all__ = [
    "ALL_TYPES",
    "MET",
    "NIF_NIE",
    "NOT_MET",
    "NO_ANSWER",
    "UNKNOWN",
    "WS_SECURITY",
    "XML_SIGNATURE",
    "Reading",
    "Service",
    "codes",
    "date_text",
    "de",
    "holder_unknown",
    "messages",
    "parse_date",
    "specific",
    "text",
    "years_between",
]
