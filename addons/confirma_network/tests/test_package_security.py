# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import TODAY, ConfirmaNetworkCommon


@tagged("post_install", "-at_install", "security")
@freeze_time(str(TODAY))
class TestPackageSecurity(ConfirmaNetworkCommon):
    def test_only_managers_import(self):
        package = self.export()
        with self.assertRaises(AccessError):
            self.import_into_b(package, user=self.officer_a)

    def test_each_town_sees_its_own(self):
        """Town B's manager sees B's imported package, procedure, local
        parameters, articles and test cases, and none of town A's; A's the
        reverse."""
        record = self.import_into_b(self.export(), {"max_age": 30})
        procedure_b = record.procedure_id
        for model, a_ids, b_ids in (
            ("confirma.package", [], record.ids),
            ("confirma.procedure", self.rent.ids, procedure_b.ids),
            (
                "confirma.procedure.parameter",
                self.rent.parameter_ids.ids,
                procedure_b.parameter_ids.ids,
            ),
            (
                "confirma.procedure.legal.article",
                self.rent.legal_article_ids.ids,
                procedure_b.legal_article_ids.ids,
            ),
            (
                "confirma.procedure.test.case",
                self.rent.test_case_ids.ids,
                procedure_b.test_case_ids.ids,
            ),
        ):
            with self.subTest(model=model):
                everything = a_ids + b_ids
                seen_b = (
                    self.env[model]
                    .with_user(self.manager_b)
                    .search([("id", "in", everything)])
                )
                seen_a = (
                    self.env[model]
                    .with_user(self.manager_a)
                    .search([("id", "in", everything)])
                )
                self.assertEqual(sorted(seen_b.ids), sorted(b_ids))
                self.assertEqual(sorted(seen_a.ids), sorted(a_ids))
                if a_ids:
                    with self.assertRaises(AccessError):
                        self.env[model].with_user(self.manager_b).browse(a_ids).read(
                            ["display_name"]
                        )

    def test_exporting_another_towns_procedure_is_refused(self):
        with self.assertRaises(AccessError):
            self.rent.with_user(self.manager_b)._package_export()
