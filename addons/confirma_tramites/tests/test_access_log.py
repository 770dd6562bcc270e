# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import REFERENCE, ConfirmaPopulationCommon

# what the case form asks for, with the resident and the checks shown inside
CASE_FORM_SPEC = {
    "display_name": {},
    "name": {},
    "state": {},
    "partner_id": {"fields": {"display_name": {}, "first_name": {}}},
    "procedure_id": {"fields": {"display_name": {}}},
}


@tagged("post_install", "-at_install")
class TestCaseAccessLog(ConfirmaPopulationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.procedure = cls.make_procedure(
            cls.make_rule({"kind": "age", "min_value": 18}, name="Adults"),
            code="TRAIL",
            name="Trail aid",
        )
        cls.cases = cls.env["confirma.case"]._open_cases(
            cls.procedure, cls.anna | cls.bernat, "sweep", REFERENCE
        )
        cls.Log = cls.env["confirma.access.log"]

    def test_case_form_open_logged(self):
        """Opening a case is one row about its resident; the resident shown
        inside the case form is not a second open; the cases list is none."""
        case = self.cases.filtered(lambda c: c.partner_id == self.anna)
        Case = self.env["confirma.case"].with_user(self.officer_tramites)
        Case.web_search_read([("id", "in", self.cases.ids)], CASE_FORM_SPEC)
        Case.web_search_read([("id", "=", case.id)], CASE_FORM_SPEC)
        self.assertFalse(self.Log.search([]))
        values = case.with_user(self.officer_tramites).web_read(CASE_FORM_SPEC)
        self.assertEqual(values[0]["partner_id"]["first_name"], "Anna")
        log = self.Log.search([])
        self.assertEqual(len(log), 1)
        self.assertEqual(log.res_model, "confirma.case")
        self.assertEqual(log.res_id, case.id)
        self.assertEqual(log.partner_id, self.anna)
        self.assertEqual(log.user_id, self.officer_tramites)
        self.assertEqual(log.company_id, case.company_id)
        self.assertEqual(log.res_name, case.display_name)
