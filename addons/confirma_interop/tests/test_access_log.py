# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import ConfirmaSimulatorCommon


@tagged("post_install", "-at_install")
class TestInteropAccessLog(ConfirmaSimulatorCommon):
    def test_check_and_audit_opens_logged(self):
        """Opening a requirement check or a data query audit row is one row
        of the access trail about the case's resident; their lists none."""
        (case,) = self.confirmed_cases(self.anna)
        self.run_checks()
        Log = self.env["confirma.access.log"]
        Check = self.Check.with_user(self.officer_interop)
        Audit = self.env["confirma.interop.log"].with_user(self.auditor)
        spec = {"display_name": {}, "state": {}, "partner_id": {"fields": {}}}
        Check.web_search_read([("case_id", "=", case.id)], spec)
        Audit.web_search_read([("case_id", "=", case.id)], {"result": {}})
        self.assertFalse(Log.search([]))

        check = Check.search([("case_id", "=", case.id)], limit=1)
        check.web_read(spec)
        audit = Audit.search([("case_id", "=", case.id)], limit=1)
        audit.web_read({"holder_document": {}, "result": {}})
        logs = Log.search([], order="id")
        self.assertEqual(logs.mapped("res_model"), [check._name, audit._name])
        self.assertEqual(logs.mapped("res_id"), [check.id, audit.id])
        self.assertEqual(logs.partner_id, self.anna)
        self.assertEqual(logs.user_id, self.officer_interop | self.auditor)
