# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ConfirmaPlanTheme(models.Model):
    """A theme actions are filed under on the public page (e.g. a
    Sustainable Development Goal)."""

    _name = "confirma.plan.theme"
    _description = "Theme of the action plan"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
