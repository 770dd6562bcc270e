# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .common import ConfirmaTramitesCommon


class TestInstall(ConfirmaTramitesCommon):
    def test_roles(self):
        """Each role of this addon reaches the Confirm@ resident roles it needs."""
        self.assertTrue(self.user_tramites.has_group("confirma_citizen.group_user"))
        self.assertTrue(self.officer_tramites.has_group("confirma_tramites.group_user"))
        self.assertTrue(
            self.manager_tramites.has_group("confirma_tramites.group_officer")
        )
        self.assertFalse(
            self.user_tramites.has_group("confirma_tramites.group_officer")
        )

    def test_menu(self):
        """The addon's menu shows under the Confirm@ app for its users only."""
        menus = self.env["ir.ui.menu"]
        root = self.env.ref("confirma_tramites.menu_root")
        self.assertEqual(root.parent_id, self.env.ref("confirma_citizen.menu_root"))
        self.assertNotIn(
            root.id, menus.with_user(self.user_citizen)._visible_menu_ids()
        )

    def test_setting_default_and_write(self):
        """The setting has its shipped default and is saved by a manager."""
        icp = self.env["ir.config_parameter"].sudo()
        self.assertEqual(icp.get_param("confirma_tramites.confirmation_days"), "30")
        settings = self.env["res.config.settings"].with_user(self.manager_tramites)
        values = settings.default_get(["confirma_confirmation_days"])
        self.assertEqual(values["confirma_confirmation_days"], 30)
        settings.create({"confirma_confirmation_days": 31}).execute()
        self.assertEqual(icp.get_param("confirma_tramites.confirmation_days"), "31")
