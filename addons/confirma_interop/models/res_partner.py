# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    confirma_interop_check_ids = fields.One2many(
        "confirma.interop.check",
        "partner_id",
        string="Data checks",
        groups="confirma_interop.group_user",
    )
