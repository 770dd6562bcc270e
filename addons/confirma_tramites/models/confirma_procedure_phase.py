# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ConfirmaProcedurePhase(models.Model):
    """A phase of a procedure, as published to residents."""

    _name = "confirma.procedure.phase"
    _description = "Procedure phase"
    _order = "procedure_id, sequence, id"

    procedure_id = fields.Many2one(
        "confirma.procedure", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="procedure_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(
        [
            ("initiation", "Initiation"),
            ("instruction", "Instruction"),
            ("resolution", "Resolution"),
            ("custom", "Other"),
        ],
        required=True,
        default="custom",
        help="Initiation runs while the resident confirms, instruction while "
        "requirements are verified, resolution until the decision.",
    )
    name = fields.Char(required=True, translate=True)
    task = fields.Text(string="What happens", translate=True)
    document = fields.Char(string="Resulting document", translate=True)
    duration_days = fields.Integer(
        string="Maximum duration (days)",
        help="The case's deadline in this phase is its start plus this.",
    )
    unit_id = fields.Many2one("confirma.unit", string="Responsible unit")
    where_to_ask = fields.Text(
        translate=True, help="Leave empty to use the unit's contact information."
    )

    _sql_constraints = [
        (
            "duration_positive",
            "CHECK(duration_days >= 0)",
            "A phase cannot last a negative number of days.",
        )
    ]
