# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The padrón engine, plain Python beside the import records: the CSV
layout (``layout``), the INE variation file (``ine_h``, ``ine_codes``),
Spanish identifiers (``identity``), safe CSV reports (``csv_safe``) and the
batch writers (``writer``, the only module that writes through the ORM)."""
