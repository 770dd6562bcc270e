# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The examples in the pure modules' documentation hold (plain pytest: no
database)."""

import doctest

import pytest

from .. import case_states, eligibility, periods, qr
from ..controllers import main as page


@pytest.mark.parametrize(
    "module",
    [eligibility, case_states, periods, page, qr],
    ids=lambda m: m.__name__.split(".")[-1],
)
def test_documented_examples(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted, f"{module.__name__} documents no example"
    assert not result.failed


def test_qr_svg_draws_every_dark_module():
    """The SVG's lines, one module thick, cover exactly the dark modules of
    the code, and nothing else is drawn."""
    import re

    text = "https://example.org/my/confirma/case/12?token=abcdef0123456789"
    matrix = qr.qr_matrix(text)
    svg = qr.qr_svg(text)
    assert 'stroke-width="1"' in svg and 'fill="none"' in svg
    path = re.search(r'<path d="([^"]*)"', svg)[1]
    lines = re.findall(r"M(\d+) (\d+)\.5h(\d+)", path)
    assert "".join(f"M{x} {y}.5h{n}" for x, y, n in lines) == path
    drawn = set()
    for x, y, length in lines:
        drawn.update((int(x) + i, int(y)) for i in range(int(length)))
    dark = {
        (x, y) for y, row in enumerate(matrix) for x, cell in enumerate(row) if cell
    }
    assert drawn == dark
