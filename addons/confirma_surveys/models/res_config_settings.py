# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    confirma_survey_delay_days = fields.Integer(
        string="Survey delay (days)",
        config_parameter="confirma_surveys.invite_delay_days",
        default=7,
        help="Days after a case closes before the resident is invited to the "
        "satisfaction survey.",
    )
