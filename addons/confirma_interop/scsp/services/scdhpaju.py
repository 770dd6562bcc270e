# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SCDHPAJU, padrón history (the municipalities, through the INE's
platform): the holder's addresses in the padrón of the municipality asked
about. Met when the holder has lived there without a break up to today for
at least ``threshold`` years. Legacy XML Signature profile."""

import datetime

from .base import (
    ALL_TYPES,
    MET,
    NOT_MET,
    UNKNOWN,
    XML_SIGNATURE,
    Reading,
    Service,
    _lt,
    de,
    messages,
    parse_date,
    specific,
    text,
    years_between,
)
from .scdcpaju import read as _read_registered
from .scdcpaju import solicitud

# the padrón services write dates both ways
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y%m%d")


def padron_date(value):
    """A padrón date in any of its formats (None: none or unreadable).

    >>> padron_date("2023-11-24"), padron_date("24/11/2023"), padron_date("x")
    (datetime.date(2023, 11, 24), datetime.date(2023, 11, 24), None)
    """
    for fmt in DATE_FORMATS:
        date = parse_date(value, fmt)
        if date:
            return date
    return None


def years_up_to(periods, today):
    """Whole years lived without a break up to today: periods are
    (from, to or None) in any order; a gap of a day or less is no break.

    >>> d = datetime.date
    >>> years_up_to([(d(2010, 5, 1), d(2015, 2, 1)), (d(2015, 2, 2), None)],
    ...             d(2026, 6, 1))
    16
    >>> years_up_to([(d(2010, 5, 1), d(2015, 2, 1)), (d(2019, 1, 1), None)],
    ...             d(2026, 6, 1))
    7
    >>> years_up_to([(d(2010, 5, 1), d(2015, 2, 1))], d(2026, 6, 1))
    0
    """
    start = None
    for begin, end in sorted(periods, key=lambda p: p[0], reverse=True):
        end = end or today
        if start is None:
            if end < today:
                return 0
            start = begin
        elif end >= start - datetime.timedelta(days=1):
            start = min(start, begin)
        else:
            break
    return years_between(start, today) if start else 0


def request(context):
    years = int(context.get("threshold") or 0)
    extra = de("NumeroAnyos", str(min(years, 99))) if years else None
    return specific(solicitud(context, extra))


def read(answer, context):
    result = messages._path(answer, "Resultado")
    if result is None:
        return _read_registered(answer, context)
    code = text(answer, "Estado", "CodigoEstado") or "0003"
    periods = []
    homes = messages._path(result, "HistoricoDomicilios")
    for home in homes if homes is not None else ():
        begin = padron_date(text(home, "Desde"))
        if begin is None:
            return Reading(UNKNOWN, code, _lt("Unreadable padrón dates"))
        periods.append((begin, padron_date(text(home, "Hasta"))))
    years = years_up_to(periods, context["today"])
    if years and years >= (context.get("threshold") or 0):
        return Reading(MET, code, _lt("Registered in that municipality long enough"))
    return Reading(
        NOT_MET, code, _lt("Not registered in that municipality long enough")
    )


SERVICE = Service(
    "SCDHPAJU",
    "Q2826039F",
    "INSTITUTO NACIONAL DE ESTADISTICA",
    "Padrón history (municipalities)",
    "Q2826039F.SCDHPAJU",
    "padron_history",
    False,
    ALL_TYPES,
    request,
    read,
    profile=XML_SIGNATURE,
)
