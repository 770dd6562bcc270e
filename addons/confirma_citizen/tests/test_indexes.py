# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The residents' indexes: those the suite's searches use, and no more (a
city's 3,400,000 residents pay for each at every import and INE change)."""

import importlib.util
import pathlib

from odoo.tests import tagged
from odoo.tools import sql

from .common import ConfirmaCitizenCommon

MIGRATION = pathlib.Path(__file__).parents[1] / "migrations/18.0.1.1.0/post-migrate.py"
UNINDEXED = ("is_resident", "padron_encsarp", "data_opposition")
# what the rules' conditions and the padrón's lookups search by
INDEXED = (
    "birthdate",
    "district_code",
    "section_code",
    "nationality_id",
    "padron_registration_date",
    "padron_renewal_due",
    "padron_state",
    "household_id",
    "nia",
    "document_number",
)


@tagged("post_install", "-at_install")
class TestResidentIndexes(ConfirmaCitizenCommon):
    def _indexed(self, column):
        return sql.index_exists(self.env.cr, sql.make_index_name("res_partner", column))

    def test_only_useful_indexes(self):
        for column in UNINDEXED:
            self.assertFalse(self._indexed(column), column)
        for column in INDEXED:
            self.assertTrue(self._indexed(column), column)

    def test_migration_drops_the_indexes_no_longer_asked_for(self):
        spec = importlib.util.spec_from_file_location("post_migrate", MIGRATION)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        cr = self.env.cr
        # the table as 18.0.1.0.0 left it
        for column in UNINDEXED:
            sql.create_index(
                cr, sql.make_index_name("res_partner", column), "res_partner", [column]
            )
            self.assertTrue(self._indexed(column))
        migration.migrate(cr, "18.0.1.0.0")
        for column in UNINDEXED:
            self.assertFalse(self._indexed(column), column)
        for column in INDEXED:
            self.assertTrue(self._indexed(column), column)
        migration.migrate(cr, "18.0.1.0.0")  # re-runnable
        migration.migrate(cr, None)  # a new install: nothing to do
