# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from odoo.addons.confirma_citizen.tests.common import ScreenChecks

from .common import REFERENCE, ConfirmaPopulationCommon


@tagged("post_install", "-at_install")
class TestBrowser(ScreenChecks, HttpCase, ConfirmaPopulationCommon):
    """The procedures' screens open in a real browser, without client errors,
    for the roles that use them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.procedure = cls.make_procedure(
            cls.make_rule({"kind": "age", "min_value": 65}), code="WEB"
        )
        cls.other = cls.make_procedure(
            cls.make_rule({"kind": "district", "codes": "01"}), code="WEB2"
        )
        cls.env["confirma.procedure.relation"].create(
            {"procedure_id": cls.procedure.id, "related_id": cls.other.id}
        )
        cls.case = cls.env["confirma.case"]._open_cases(
            cls.procedure, cls.anna, "sweep", REFERENCE
        )

    def test_officer_screens(self):
        login = self.officer_tramites.login
        self.open_screen(
            "/odoo/action-confirma_tramites.confirma_case_action",
            ".o_kanban_record",
            login,
        )
        self.open_screen(
            f"/odoo/action-confirma_tramites.confirma_case_action/{self.case.id}",
            ".o_form_view .o_statusbar_status",
            login,
        )
        self.open_screen(
            "/odoo/action-confirma_tramites.confirma_counter_action",
            ".o_form_view input",
            login,
        )
        # the resident's form: summary on top, their cases in a tab
        self.open_screen(
            f"/odoo/action-confirma_citizen.res_partner_action_resident/{self.anna.id}",
            ".o_form_view div[name='confirma_case_ids'] .o_data_row",
            login,
            tab="confirma_cases",
        )

    def test_manager_screens(self):
        login = self.manager_tramites.login
        self.open_screen(
            "/odoo/action-confirma_tramites.confirma_procedure_action/"
            f"{self.procedure.id}",
            ".o_confirma_process_map",
            login,
            tab="related",
        )
        self.open_screen(
            "/odoo/action-confirma_tramites.confirma_rule_action/"
            f"{self.procedure.rule_id.id}",
            ".o_form_view .o_field_one2many",
            login,
        )


@tagged("post_install", "-at_install")
class TestIndicatorScreens(ScreenChecks, HttpCase, ConfirmaPopulationCommon):
    """The indicators' screens open for a procedures manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.period = cls.env["confirma.indicator.period"]._get("half", REFERENCE)
        cls.period.action_compute()

    def test_manager_screens(self):
        login = self.manager_tramites.login
        for path, selector in (
            ("/odoo/action-confirma_tramites.confirma_indicator_value_action",
             ".o_list_view .o_group_header"),
            (f"/odoo/action-confirma_tramites.confirma_indicator_period_action/"
             f"{self.period.id}", ".o_form_view .o_field_one2many"),
            ("/odoo/action-confirma_tramites.confirma_indicator_action",
             ".o_list_view .o_data_row"),
        ):  # fmt: skip
            with self.subTest(path=path):
                self.open_screen(path, selector, login)
