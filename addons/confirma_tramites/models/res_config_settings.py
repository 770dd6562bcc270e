# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    confirma_confirmation_days = fields.Integer(
        string="Days to confirm",
        config_parameter="confirma_tramites.confirmation_days",
        default=30,
        help="Days a resident has to confirm an offer before it expires.",
    )
