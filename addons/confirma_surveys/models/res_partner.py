# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    confirma_survey_opt_out = fields.Boolean(
        string="No satisfaction surveys",
        tracking=True,
        help="The resident asked not to be invited to satisfaction surveys.",
    )
