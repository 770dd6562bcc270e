# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from odoo.addons.confirma_tramites.tests.test_http import WAIT_FOR

from .common import ConfirmaSimulatorCommon


@tagged("post_install", "-at_install")
class TestInteropScreens(HttpCase, ConfirmaSimulatorCommon):
    """The interoperability screens open in a browser for their roles: the
    case with its data checks (officer), the platform (manager), the audit
    log (auditor)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.case,) = cls.confirmed_cases(cls.anna)
        cls.Check._cron_process()

    def open(self, path, selector, login):
        self.browser_js(path, WAIT_FOR % ("", "", selector), login=login, timeout=180)

    def test_screens(self):
        self.assertEqual(self.case.state, "instruction")
        self.open(
            f"/odoo/action-confirma_tramites.confirma_case_action/{self.case.id}",
            ".o_form_view .o_field_one2many .o_data_row",
            self.officer_interop.login,
        )
        self.open(
            "/odoo/action-confirma_interop.confirma_interop_check_action",
            ".o_list_view",
            self.officer_interop.login,
        )
        self.open(
            "/odoo/action-confirma_interop.confirma_interop_platform_action/"
            f"{self.platform.id}",
            ".o_form_view .o_field_one2many .o_data_row",
            self.manager_interop.login,
        )
        self.open(
            "/odoo/action-confirma_interop.confirma_interop_log_action",
            ".o_list_view .o_data_row",
            self.auditor.login,
        )
