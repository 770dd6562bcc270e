# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ConfirmaGoodPracticeCategory(models.Model):
    """The categories of the good-practice presentation form: information
    and communication technologies, innovation, knowledge."""

    _name = "confirma.good.practice.category"
    _description = "Good-practice category"
    _order = "group, sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    group = fields.Selection(
        [
            ("ict", "Information and communication technologies"),
            ("innovation", "Innovation"),
            ("knowledge", "Knowledge"),
        ],
        required=True,
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "A category code is used once."),
    ]
