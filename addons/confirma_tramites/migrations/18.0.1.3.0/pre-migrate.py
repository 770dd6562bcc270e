# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Cases get a beneficiary beside the resident who confirms them. Every
case opened so far was confirmed by its own beneficiary: the new required
column is filled from ``partner_id`` before the ORM sets it NOT NULL, and
the unique index moves to (beneficiary, procedure, period) in ``init()``."""

from odoo.tools import sql


def migrate(cr, version):
    if not version or not sql.table_exists(cr, "confirma_case"):
        return
    if not sql.column_exists(cr, "confirma_case", "beneficiary_id"):
        sql.create_column(cr, "confirma_case", "beneficiary_id", "int4")
    cr.execute(
        "UPDATE confirma_case SET beneficiary_id = partner_id "
        "WHERE beneficiary_id IS NULL"
    )
