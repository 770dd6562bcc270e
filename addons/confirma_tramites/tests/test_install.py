# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.confirma_citizen.tests.common import AddonInstallChecks

from .common import ConfirmaTramitesCommon


class TestInstall(AddonInstallChecks, ConfirmaTramitesCommon):
    addon, role = "confirma_tramites", "tramites"
    channels = (
        "root.confirma.sweep",
        "root.confirma.outreach",
        "root.confirma.reports",
    )
    setting = ("confirma_tramites.confirmation_days", 30, "confirma_confirmation_days")
