# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    confirma_ine_code = fields.Char(
        related="company_id.confirma_ine_code",
        readonly=False,
    )
