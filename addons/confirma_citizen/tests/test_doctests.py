# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The examples in the pure identity module's documentation hold (plain
pytest: no database)."""

import doctest

from ..padron import identity


def test_identity_examples():
    result = doctest.testmod(identity, optionflags=doctest.ELLIPSIS)
    assert result.attempted, "identity documents no example"
    assert not result.failed
