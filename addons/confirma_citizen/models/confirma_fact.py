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

    @api.model
    def _load_demo_facts(self, reference="2026-01-01"):
        """Demo data: facts other municipal systems would hold about the
        synthetic town (deterministic, from the household composition)."""
        reference = fields.Date.to_date(reference)
        Partner = self.env["res.partner"]
        residents = Partner.search(
            [("is_resident", "=", True), ("padron_state", "=", "active")],
            order="id",
        )

        def facts(code, partners, source, value):
            fact_type = self.env.ref(f"confirma_citizen.fact_type_{code}")
            column = f"value_{fact_type.value_type}"
            return [
                {
                    "partner_id": partner.id,
                    "type_id": fact_type.id,
                    column: value(partner),
                    "date": reference,
                    "source": source,
                }
                for partner in partners
            ]

        large = residents.filtered_domain(
            [("household_id.minor_count", ">=", 3)]
            + Partner._age_domain(">=", 18, reference)
        )
        holders = residents.filtered_domain([("household_relation", "=", "holder")])
        pupils = residents.filtered_domain(
            Partner._age_domain(">=", 3, reference)
            + Partner._age_domain("<=", 16, reference)
        )
        return self.create(
            facts(
                "large_family", large, "Regional large-family register", lambda p: True
            )
            + facts(
                "cadastral_value",
                holders,
                "Tax roll (IBI)",
                lambda p: 40000 + (p.id * 7919) % 210000,
            )
            + facts(
                "school_enrolment",
                pupils,
                "School enrolment",
                lambda p: "primary"
                if p.birthdate.year > reference.year - 12
                else "secondary",
            )
            + facts(
                "disability_degree",
                residents.filtered(lambda p: p.id % 40 == 0),
                "Social services",
                lambda p: 33 if p.id % 2 else 65,
            )
        )
