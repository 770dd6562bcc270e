# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benefit and indicator periods: plain Python, no ORM. A procedure's
benefit period (one case per resident and period) and an indicator's
period (its values) are the same calendar arithmetic.

>>> import datetime
>>> bounds("yearly", datetime.date(2026, 7, 1))
('2026', datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
>>> bounds("half_yearly", datetime.date(2026, 7, 1))[0]
'2026-H2'
>>> bounds("quarterly", datetime.date(2026, 5, 31))
('2026-Q2', datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
>>> bounds("monthly", datetime.date(2024, 2, 10))
('2024-02', datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
>>> bounds("once", datetime.date(2026, 7, 1))
('once', None, None)

The indicators call the same periods ``year`` and ``half``:

>>> bounds("half", datetime.date(2026, 1, 1)) == bounds(
...     "half_yearly", datetime.date(2026, 1, 1))
True
"""

import datetime

from dateutil.relativedelta import relativedelta

MONTHS = {"yearly": 12, "half_yearly": 6, "quarterly": 3, "monthly": 1}
# the indicators' periodicities, by their own names
ALIASES = {"year": "yearly", "half": "half_yearly"}


def bounds(periodicity, day):
    """(key, first day, last day) of the period of ``periodicity`` that
    contains ``day``; ("once", None, None) for a once-in-a-lifetime
    benefit."""
    periodicity = ALIASES.get(periodicity, periodicity)
    if periodicity == "once":
        return "once", None, None
    months = MONTHS[periodicity]
    index = (day.month - 1) // months
    start = datetime.date(day.year, index * months + 1, 1)
    end = start + relativedelta(months=months, days=-1)
    if periodicity == "yearly":
        key = f"{day.year}"
    elif periodicity == "monthly":
        key = f"{day.year}-{day.month:02d}"
    else:
        key = f"{day.year}-{periodicity[0].upper()}{index + 1}"
    return key, start, end
