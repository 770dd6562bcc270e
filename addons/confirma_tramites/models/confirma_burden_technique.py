# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ConfirmaBurdenTechnique(models.Model):
    """An administrative burden-reduction technique (from the catalogue of
    the Confirm@ project plan)."""

    _name = "confirma.burden.technique"
    _description = "Burden-reduction technique"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The code of a technique must be unique.")
    ]
