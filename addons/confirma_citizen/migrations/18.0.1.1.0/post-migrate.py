# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Residents' booleans searched where nearly everyone matches lose their
indexes (never used by a query, paid for at every import and INE change):
Odoo keeps an index a field no longer asks for, so it is dropped here."""

from odoo.tools import sql

UNINDEXED = ("is_resident", "padron_encsarp", "data_opposition")


def migrate(cr, version):
    if not version:
        return
    for column in UNINDEXED:
        sql.drop_index(cr, sql.make_index_name("res_partner", column), "res_partner")
