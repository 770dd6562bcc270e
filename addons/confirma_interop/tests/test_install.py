# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo.tools import mute_logger

from odoo.addons.confirma_citizen.tests.common import AddonInstallChecks

from .common import ConfirmaInteropCommon


class TestInstall(AddonInstallChecks, ConfirmaInteropCommon):
    addon, role = "confirma_interop", "interop"
    channels = ("root.confirma.interop",)
    setting = (
        "confirma_interop.retention_days",
        365,
        "confirma_interop_retention_days",
    )

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

    def test_platform_batches_of_the_largest_size(self):
        """A new platform sends the platform's largest batches (1,000
        holders per asynchronous request); larger ones are refused."""
        platform = self.env["confirma.interop.platform"].create(
            {
                "name": "Another platform",
                "base_url": "https://example.org/svd/",
                "requester_nif": "P4690000A",
                "requester_name": "Ajuntament",
            }
        )
        self.assertEqual(platform.batch_size, 1000)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.cr.savepoint(),
        ):
            platform.batch_size = 1001
            platform.flush_recordset()
