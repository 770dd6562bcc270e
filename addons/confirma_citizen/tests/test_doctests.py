# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The examples in the pure padrón modules' documentation hold (plain
pytest: no database)."""

import doctest

import pytest

from ..models import mail_thread
from ..padron import identity, ine_codes, ine_h, layout, writer


@pytest.mark.parametrize(
    "module",
    [identity, ine_codes, ine_h, layout, writer, mail_thread],
    ids=lambda m: m.__name__.split(".")[-1],
)
def test_documented_examples(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted, f"{module.__name__} documents no example"
    assert not result.failed
