# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""QR codes for printed letters, as SVG: one path, a line one module thick
per run of dark modules in a row (a letter's code is drawn in a few
milliseconds and stays sharp when printed).

>>> svg = qr_svg("https://example.org/c/1")
>>> svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29"')
True
>>> svg.count("<path"), svg.endswith("</svg>")
(1, True)
>>> runs("##.#..###")
[(0, 2), (3, 1), (6, 3)]
"""

import qrcode

#: Modules of white around the code (the quiet zone readers need).
BORDER = 2
#: The mask every code is drawn with (any of the eight is valid: readers
#: read it from the code's format bits). Scoring the eight to pick one, as
#: the library does by default, took 90 % of a letter's rendering, and a
#: campaign prints 100,000 of them.
MASK = 2


def runs(row):
    """(start, length) of each run of dark modules (``#`` or True) in a row."""
    found, start = [], None
    for x, dark in enumerate([*row, False]):
        dark = dark is True or dark == "#"
        if dark and start is None:
            start = x
        elif not dark and start is not None:
            found.append((start, x - start))
            start = None
    return found


def qr_matrix(text):
    """The modules of the QR code of ``text`` (error correction M, the
    quiet zone included): rows of booleans, True for dark."""
    code = qrcode.QRCode(
        border=BORDER,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        mask_pattern=MASK,
    )
    code.add_data(text)
    code.make(fit=True)
    return code.get_matrix()


def qr_svg(text):
    """The QR code of ``text`` (see ``qr_matrix``), as an SVG document."""
    matrix = qr_matrix(text)
    size = len(matrix)
    # a line one module thick along the middle of each run: the same
    # squares as a rectangle per run, in half the path (wkhtmltopdf draws a
    # letter's code a third quicker)
    path = "".join(
        f"M{x} {y}.5h{length}"
        for y, row in enumerate(matrix)
        for x, length in runs(row)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'shape-rendering="crispEdges"><rect width="{size}" height="{size}" '
        f'fill="#fff"/><path d="{path}" stroke="#000" stroke-width="1" '
        f'fill="none"/></svg>'
    )
