# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ConfirmaFactType(models.Model):
    """A kind of fact that another municipal system knows about residents."""

    _name = "confirma.fact.type"
    _description = "Resident fact type"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    value_type = fields.Selection(
        [
            ("boolean", "Yes / no"),
            ("number", "Number"),
            ("text", "Text"),
            ("date", "Date"),
        ],
        required=True,
        default="boolean",
    )
    source_system = fields.Char(
        help="The municipal system the facts come from (tax roll, school "
        "enrolment, social services…)."
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The code of a fact type must be unique.")
    ]
