# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The examples in the pure modules' documentation hold (plain pytest: no
database)."""

import doctest

from .. import seal
from ..models import confirma_register_entry


def test_documented_examples():
    result = doctest.testmod(seal, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 5
    assert not result.failed
    result = doctest.testmod(confirma_register_entry)
    assert result.attempted
    assert not result.failed


def test_codes_do_not_repeat():
    """130 random bits: ten thousand codes, all different, every symbol used."""
    codes = {seal.new_csv() for _ in range(10000)}
    assert len(codes) == 10000
    assert set("".join(codes)) == set(seal.ALPHABET)
