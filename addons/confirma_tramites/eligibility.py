# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The date and household arithmetic of eligibility conditions, as domain
pieces on ``res.partner``: plain Python, no ORM (the condition model,
``models/confirma_rule_condition.py``, dispatches each kind to these).

Whole years since a date, for a reference day, become comparisons of the
date itself, so that the database answers them from an index:

>>> import datetime
>>> day = datetime.date(2026, 6, 15)
>>> years_range_domain("birthdate", day, 18, 0)
[('birthdate', '<=', datetime.date(2008, 6, 15))]
>>> years_range_domain("birthdate", day, 0, 17)
[('birthdate', '>', datetime.date(2008, 6, 15))]
>>> for condition in years_range_domain("birthdate", day, 65, 70):
...     print(condition)
('birthdate', '<=', datetime.date(1961, 6, 15))
('birthdate', '>', datetime.date(1955, 6, 15))
"""

from dateutil.relativedelta import relativedelta

# the number of people of a household sheet, by condition kind
HOUSEHOLD_COLUMNS = {
    "household_size": "member_count",
    "household_minors": "minor_count",
    "household_elders": "elder_count",
}


def years_range_domain(field, reference, low, high):
    """Whole years from ``field`` to ``reference`` in [low, high] (0: no
    limit on that side), as comparisons of ``field``.

    Someone born on 15 June 2008 is 18 on 15 June 2026, and still 17 the
    day before:

    >>> import datetime
    >>> born = datetime.date(2008, 6, 15)
    >>> [c[2] >= born for c in years_range_domain(
    ...     "birthdate", datetime.date(2026, 6, 15), 18, 0)]
    [True]
    >>> [c[2] >= born for c in years_range_domain(
    ...     "birthdate", datetime.date(2026, 6, 14), 18, 0)]
    [False]
    """
    domain = []
    if low:
        domain.append((field, "<=", reference - relativedelta(years=low)))
    if high:
        domain.append((field, ">", reference - relativedelta(years=high + 1)))
    return domain


def crossing_domain(field, years, since, today):
    """Who reached ``years`` whole years since ``field`` on a day of
    (since, today]: the residents a daily evaluation picks up.

    >>> import datetime
    >>> for condition in crossing_domain(
    ...     "birthdate", 65, datetime.date(2026, 6, 14), datetime.date(2026, 6, 15)
    ... ):
    ...     print(condition)
    ('birthdate', '>', datetime.date(1961, 6, 14))
    ('birthdate', '<=', datetime.date(1961, 6, 15))
    """
    span = relativedelta(years=years)
    return [(field, ">", since - span), (field, "<=", today - span)]


def household_domain(column, low, high):
    """The household sheet's ``column`` in [low, high] (0: no limit on that
    side). "At most N" also holds for someone without a household sheet.

    >>> household_domain("minor_count", 1, 0)
    [('household_id', 'any', [('minor_count', '>=', 1)])]
    >>> household_domain("member_count", 0, 1)  # doctest: +NORMALIZE_WHITESPACE
    ['|', ('household_id', '=', False),
     ('household_id', 'any', [('member_count', '<=', 1)])]
    """
    subdomain = []
    if low:
        subdomain.append((column, ">=", low))
    if high:
        subdomain.append((column, "<=", high))
    if not low:
        return ["|", ("household_id", "=", False), ("household_id", "any", subdomain)]
    return [("household_id", "any", subdomain)]


def window_domain(field, reference, days):
    """``field`` falls between ``reference`` and ``days`` days after it.

    >>> import datetime
    >>> for condition in window_domain("value_date", datetime.date(2026, 6, 15), 30):
    ...     print(condition)
    ('value_date', '>=', datetime.date(2026, 6, 15))
    ('value_date', '<=', datetime.date(2026, 7, 15))
    """
    return [
        (field, ">=", reference),
        (field, "<=", reference + relativedelta(days=days)),
    ]


def window_crossing_domain(field, days, since, today):
    """Whose ``field`` entered the window of ``days`` days on a day of
    (since, today].

    >>> import datetime
    >>> for condition in window_crossing_domain(
    ...     "value_date", 30, datetime.date(2026, 6, 14), datetime.date(2026, 6, 15)
    ... ):
    ...     print(condition)
    ('value_date', '>', datetime.date(2026, 7, 14))
    ('value_date', '<=', datetime.date(2026, 7, 15))
    """
    span = relativedelta(days=days)
    return [(field, ">", since + span), (field, "<=", today + span)]


# who answers for a minor: an adult holder or partner of the minor's household
ADULT_AGE = 18
GUARDIAN_RELATIONS = ("holder", "partner")


def adult_birthdate(reference):
    """The latest birth date of someone of age on ``reference``.

    >>> import datetime
    >>> adult_birthdate(datetime.date(2026, 6, 15))
    datetime.date(2008, 6, 15)
    """
    return reference - relativedelta(years=ADULT_AGE)


def adult_domain(reference):
    """Residents of age on ``reference``.

    >>> import datetime
    >>> adult_domain(datetime.date(2026, 6, 15))
    [('birthdate', '<=', datetime.date(2008, 6, 15))]
    """
    return [("birthdate", "<=", adult_birthdate(reference))]


def guardian_member_domain(reference, extra=()):
    """The members of a household who can answer for its minors on
    ``reference``: its holder or the holder's partner, of age and registered
    (``extra``: what else they must meet).

    >>> import datetime
    >>> for leaf in guardian_member_domain(datetime.date(2026, 6, 15)):
    ...     print(leaf)
    ('household_relation', 'in', ('holder', 'partner'))
    ('padron_state', '=', 'active')
    ('birthdate', '<=', datetime.date(2008, 6, 15))
    """
    return [
        ("household_relation", "in", GUARDIAN_RELATIONS),
        ("padron_state", "=", "active"),
        *adult_domain(reference),
        *extra,
    ]


def with_guardian_domain(reference, extra=()):
    """Residents whose household has a guardian (meeting ``extra``): one
    sub-query on the household's members.

    >>> import datetime
    >>> [(leaf[0], leaf[1]) for leaf in with_guardian_domain(
    ...     datetime.date(2026, 6, 15))]
    [('household_id', 'any')]
    """
    return [
        (
            "household_id",
            "any",
            [("member_ids", "any", guardian_member_domain(reference, extra))],
        )
    ]


def answered_by_guardian_domain(reference):
    """Residents who can be offered a procedure whose minors answer through
    a guardian: the adults, and the minors whose household has a guardian.

    >>> import datetime
    >>> answered_by_guardian_domain(datetime.date(2026, 6, 15))[0]
    '|'
    """
    return ["|", *adult_domain(reference), *with_guardian_domain(reference)]
