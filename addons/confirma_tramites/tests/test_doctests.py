# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The examples in the pure eligibility module's documentation hold (plain
pytest: no database)."""

import doctest

from .. import eligibility


def test_eligibility_examples():
    result = doctest.testmod(eligibility, optionflags=doctest.ELLIPSIS)
    assert result.attempted, "eligibility documents no example"
    assert not result.failed
