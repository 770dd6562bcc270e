# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError

from .common import ConfirmaCitizenCommon


class TestSecurity(ConfirmaCitizenCommon):
    def test_group_ladder(self):
        """Manager implies officer, which implies user, which implies employee."""
        user = self.env.ref("confirma_citizen.group_user")
        officer = self.env.ref("confirma_citizen.group_officer")
        manager = self.env.ref("confirma_citizen.group_manager")
        self.assertIn(user, officer.implied_ids)
        self.assertIn(officer, manager.implied_ids)
        self.assertIn(self.env.ref("base.group_user"), user.implied_ids)
        category = self.env.ref("confirma_citizen.module_category_confirma")
        for group in (user, officer, manager):
            self.assertEqual(group.category_id.parent_id, category)
        self.assertTrue(self.manager_citizen.has_group("confirma_citizen.group_user"))
        self.assertFalse(self.user_citizen.has_group("confirma_citizen.group_officer"))

    def _visible_menus(self, user):
        return self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()

    def test_menu_visibility(self):
        """The Confirm@ app is shown to its users only; settings to managers."""
        root = self.env.ref("confirma_citizen.menu_root")
        residents = self.env.ref("confirma_citizen.res_partner_menu_resident")
        settings = self.env.ref("confirma_citizen.res_config_settings_menu")
        self.assertNotIn(root.id, self._visible_menus(self.user_internal))
        visible = self._visible_menus(self.user_citizen)
        self.assertIn(root.id, visible)
        self.assertIn(residents.id, visible)
        self.assertNotIn(settings.id, visible)
        self.assertIn(settings.id, self._visible_menus(self.manager_citizen))

    def test_column_mappings_per_municipality(self):
        """A municipality's column mappings (and their lines) are not seen
        from another one; a mapping without municipality is shared."""
        other = self.env["res.company"].create({"name": "Another town"})
        Mapping = self.env["confirma.padron.mapping"]
        line = {"header": "DNI", "column": "document_number"}
        own = Mapping.create({"name": "Own", "line_ids": [(0, 0, line)]})
        shared = Mapping.create(
            {"name": "Shared", "company_id": False, "line_ids": [(0, 0, line)]}
        )
        foreign = Mapping.create(
            {"name": "Foreign", "company_id": other.id, "line_ids": [(0, 0, line)]}
        )
        self.assertEqual(own.company_id, self.company)
        officer = self.officer_citizen
        self.assertNotIn(other, officer.company_ids)
        visible = Mapping.with_user(officer).search([])
        self.assertIn(own, visible)
        self.assertIn(shared, visible)
        self.assertNotIn(foreign, visible)
        lines = self.env["confirma.padron.mapping.line"].with_user(officer).search([])
        self.assertIn(own, lines.mapping_id)
        self.assertIn(shared, lines.mapping_id)
        self.assertNotIn(foreign, lines.mapping_id)
        with self.assertRaises(AccessError):
            foreign.with_user(officer).read(["name"])
        with self.assertRaises(AccessError):
            foreign.line_ids.with_user(officer).read(["header"])
