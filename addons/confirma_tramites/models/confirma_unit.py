# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ConfirmaUnit(models.Model):
    """A municipal unit (department, office) responsible for procedures."""

    _name = "confirma.unit"
    _description = "Municipal unit"
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    manager_id = fields.Many2one("res.users", string="Head of unit")
    contact_info = fields.Text(
        string="Where to ask",
        translate=True,
        help="Office address, opening hours, phone and email, as residents see them.",
    )
    active = fields.Boolean(default=True)
