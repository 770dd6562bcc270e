# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    confirma_register_office = fields.Char(
        related="company_id.confirma_register_office", readonly=False
    )
    confirma_sede_url = fields.Char(
        related="company_id.confirma_sede_url", readonly=False
    )
    confirma_tsa_url = fields.Char(
        related="company_id.confirma_tsa_url", readonly=False
    )
