# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A synthetic town for the demo, the tests and the benchmarks: its padrón
(``population``) and a month of its changes as an INE file (``ine_h``)."""
