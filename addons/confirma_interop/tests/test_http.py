# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.confirma_citizen.tests.common import ScreenChecks

from .common import ConfirmaSimulatorCommon


@tagged("post_install", "-at_install")
class TestInteropScreens(ScreenChecks, HttpCase, ConfirmaSimulatorCommon):
    """The interoperability screens open in a browser for their roles: the
    case with its data checks (officer), the platform (manager), the audit
    log (auditor)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.case,) = cls.confirmed_cases(cls.anna)
        cls.Check._process()  # checked here and now (the jobs: see test_verification)

    def test_screens(self):
        self.assertEqual(self.case.state, "instruction")
        self.open_screen(
            f"/odoo/action-confirma_tramites.confirma_case_action/{self.case.id}",
            ".o_form_view .o_field_one2many .o_data_row",
            self.officer_interop.login,
        )
        self.open_screen(
            "/odoo/action-confirma_interop.confirma_interop_check_action",
            ".o_list_view",
            self.officer_interop.login,
        )
        self.open_screen(
            "/odoo/action-confirma_interop.confirma_interop_platform_action/"
            f"{self.platform.id}",
            ".o_form_view .o_field_one2many .o_data_row",
            self.manager_interop.login,
        )
        self.open_screen(
            "/odoo/action-confirma_interop.confirma_interop_log_action",
            ".o_list_view .o_data_row",
            self.auditor.login,
        )

    def test_verify_now_over_rpc(self):
        """*Verify with data* called over JSON-RPC: refused (AccessError) to
        a procedures officer without the interoperability officer role,
        nothing sent; done for an interoperability officer."""
        (case,) = self.confirmed_cases(self.bernat)
        route = "/web/dataset/call_kw/confirma.case/action_interop_verify"
        params = {
            "model": "confirma.case",
            "method": "action_interop_verify",
            "args": [case.ids],
            "kwargs": {},
        }
        self.authenticate(self.officer_tramites.login, self.officer_tramites.login)
        with self.assertRaises(JsonRpcException) as caught:
            self.make_jsonrpc_request(route, params)
        self.assertEqual(str(caught.exception), "odoo.exceptions.AccessError")
        self.assertEqual(self.simulator.requests, 0)
        self.assertEqual(case.state, "verifying")
        self.authenticate(self.officer_interop.login, self.officer_interop.login)
        action = self.make_jsonrpc_request(route, params)
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(case.state, "instruction")
