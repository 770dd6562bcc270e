# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.confirma_citizen.tests.common import AddonInstallChecks

from .common import ConfirmaSurveysCommon


class TestInstall(AddonInstallChecks, ConfirmaSurveysCommon):
    addon, role = "confirma_surveys", "surveys"
    setting = ("confirma_surveys.invite_delay_days", 7, "confirma_survey_delay_days")
