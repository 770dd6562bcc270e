# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


class ConfirmaFact(models.Model):
    """A typed, dated, sourced fact about a resident (from another system)."""

    _name = "confirma.fact"
    _description = "Resident fact"
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Resident",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("is_resident", "=", True)],
        check_company=True,
    )
    company_id = fields.Many2one(
        related="partner_id.company_id", store=True, index=True, precompute=True
    )
    type_id = fields.Many2one(
        "confirma.fact.type",
        string="Fact",
        required=True,
        index=True,
        ondelete="restrict",
    )
    value_type = fields.Selection(related="type_id.value_type")
    value_boolean = fields.Boolean(string="Yes / no")
    value_number = fields.Float(string="Number")
    value_text = fields.Char(string="Text")
    value_date = fields.Date(string="Date value")
    value_display = fields.Char(string="Value", compute="_compute_value_display")
    date = fields.Date(
        string="As of",
        required=True,
        default=fields.Date.context_today,
        help="The date the fact was true (e.g. the tax year or enrolment date).",
    )
    source = fields.Char(help="Where the fact comes from (system, file, officer).")
    note = fields.Text()

    _sql_constraints = [
        (
            "partner_type_date_uniq",
            "unique(partner_id, type_id, date)",
            "A resident has one value per fact type and date.",
        )
    ]

    def init(self):
        # Rules compare values of one fact type: composite indexes keep those
        # lookups on an index whatever the number of facts.
        for column in ("value_number", "value_text", "value_date", "value_boolean"):
            self.env.cr.execute(
                SQL(
                    "CREATE INDEX IF NOT EXISTS %s ON confirma_fact (type_id, %s, "
                    "partner_id)",
                    SQL.identifier(f"confirma_fact_type_{column}_idx"),
                    SQL.identifier(column),
                )
            )

    @api.depends(
        "value_type", "value_boolean", "value_number", "value_text", "value_date"
    )
    def _compute_value_display(self):
        for fact in self:
            if fact.value_type == "boolean":
                fact.value_display = _("Yes") if fact.value_boolean else _("No")
            elif fact.value_type == "number":
                fact.value_display = f"{fact.value_number:g}"
            elif fact.value_type == "date":
                fact.value_display = (
                    fields.Date.to_string(fact.value_date) if fact.value_date else ""
                )
            else:
                fact.value_display = fact.value_text or ""

    @api.constrains("partner_id")
    def _check_resident(self):
        if self.partner_id.filtered(lambda p: not p.is_resident):
            raise ValidationError(_("Facts can only be recorded for residents."))
