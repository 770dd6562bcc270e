# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""CSV files that are safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is read as a formula by Excel, LibreOffice or Google Sheets: a
document number such as ``=HYPERLINK("http://…")`` in a padrón file would
run when an officer opens the error report. As OWASP recommends, such a
cell is written with a single quote in front, which shows it as text.

Every CSV the addons write goes through ``writer`` (plain Python, no Odoo
import: the command line uses it too).
"""

import csv

#: What makes a spreadsheet read a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` as a spreadsheet shows it as text (strings only)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` whose cells are neutralised with ``safe_cell``."""

    def __init__(self, handle, **kwargs):
        self._writer = csv.writer(handle, **kwargs)

    @property
    def dialect(self):
        return self._writer.dialect

    def writerow(self, row):
        return self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(handle, **kwargs):
    """A CSV writer (same arguments as ``csv.writer``) safe for spreadsheets."""
    return SafeWriter(handle, **kwargs)
