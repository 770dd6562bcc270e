# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ConfirmaProcedureRelation(models.Model):
    """A link between two procedures: the process map."""

    _name = "confirma.procedure.relation"
    _description = "Related procedure"
    _order = "procedure_id, relation_type, id"

    procedure_id = fields.Many2one(
        "confirma.procedure", required=True, index=True, ondelete="cascade"
    )
    related_id = fields.Many2one(
        "confirma.procedure",
        string="Related procedure",
        required=True,
        index=True,
        ondelete="cascade",
    )
    relation_type = fields.Selection(
        [
            ("similar", "Similar requirements"),
            ("follows", "Usually follows"),
            ("depends", "Depends on"),
        ],
        string="Relation",
        required=True,
        default="similar",
    )
    note = fields.Char(translate=True)

    _sql_constraints = [
        (
            "relation_uniq",
            "unique(procedure_id, related_id, relation_type)",
            "This relation is already recorded.",
        )
    ]

    @api.constrains("procedure_id", "related_id")
    def _check_not_self(self):
        if self.filtered(lambda r: r.procedure_id == r.related_id):
            raise ValidationError(self.env._("A procedure cannot relate to itself."))
