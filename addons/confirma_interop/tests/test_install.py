# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .common import ConfirmaInteropCommon


class TestInstall(ConfirmaInteropCommon):
    def test_roles(self):
        """Each role of this addon reaches the Confirm@ resident roles it needs."""
        self.assertTrue(self.user_interop.has_group("confirma_citizen.group_user"))
        self.assertTrue(self.officer_interop.has_group("confirma_interop.group_user"))
        self.assertTrue(
            self.manager_interop.has_group("confirma_interop.group_officer")
        )
        self.assertFalse(self.user_interop.has_group("confirma_interop.group_officer"))

    def test_menu(self):
        """The addon's menu shows under the Confirm@ app for its users only."""
        menus = self.env["ir.ui.menu"]
        root = self.env.ref("confirma_interop.menu_root")
        self.assertEqual(root.parent_id, self.env.ref("confirma_citizen.menu_root"))
        self.assertNotIn(
            root.id, menus.with_user(self.user_citizen)._visible_menu_ids()
        )

    def test_setting_default_and_write(self):
        """The setting has its shipped default and is saved by a manager."""
        icp = self.env["ir.config_parameter"].sudo()
        self.assertEqual(icp.get_param("confirma_interop.retention_days"), "365")
        settings = self.env["res.config.settings"].with_user(self.manager_interop)
        values = settings.default_get(["confirma_interop_retention_days"])
        self.assertEqual(values["confirma_interop_retention_days"], 365)
        settings.create({"confirma_interop_retention_days": 366}).execute()
        self.assertEqual(icp.get_param("confirma_interop.retention_days"), "366")

    def test_catalogue_and_schedules(self):
        """Twelve services are shipped on the default platform; the verification
        and purge scheduled actions are active; auditors are their own role."""
        platform = self.env.ref("confirma_interop.platform_default")
        codes = set(platform.service_ids.mapped("code"))
        self.assertEqual(
            codes,
            {
                "SVDDGPVIWS02", "SVDREXTFECHAWS01", "NIVRENTI", "ECOT103I",
                "Q2827003ATGSS001", "SVDSEPESITWS02", "SVDSCDDWS01",
                "SVDSCTFNWS01", "SVDDGPCIWS02", "SCDCPAJU", "SCDHPAJU",
                "SVDDGTVEHICULODATOSWS01",
            },
        )  # fmt: skip
        for xmlid in ("ir_cron_interop_process", "ir_cron_interop_purge"):
            self.assertTrue(self.env.ref(f"confirma_interop.{xmlid}").active)
        self.assertFalse(
            self.manager_interop.has_group("confirma_interop.group_auditor")
        )
