# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import time

from markupsafe import Markup, escape

from odoo import api, fields, models

SAMPLE_SIZE = 10


class ConfirmaRulePreview(models.TransientModel):
    """How many residents a procedure's rule finds, with a sample and why."""

    _name = "confirma.rule.preview"
    _description = "Eligibility preview"

    procedure_id = fields.Many2one("confirma.procedure", required=True)
    reference_date = fields.Date(
        string="Evaluated on", required=True, default=fields.Date.context_today
    )
    count = fields.Integer(string="Residents who qualify", readonly=True)
    without_case_count = fields.Integer(string="Of them without a case", readonly=True)
    duration_ms = fields.Integer(string="Query time (ms)", readonly=True)
    sample_ids = fields.Many2many(
        "res.partner", string="Sample residents", readonly=True
    )
    sample_html = fields.Html(string="Why they qualify", readonly=True, sanitize=False)

    @api.model_create_multi
    def create(self, vals_list):
        previews = super().create(vals_list)
        previews._evaluate()
        return previews

    @api.onchange("reference_date")
    def _onchange_reference_date(self):
        if self.procedure_id:
            self._evaluate()

    def _evaluate(self):
        Partner = self.env["res.partner"]
        for preview in self:
            procedure = preview.procedure_id
            reference = preview.reference_date
            started = time.perf_counter()
            domain = procedure._eligible_domain(reference)
            count = Partner.search_count(domain)
            elapsed = time.perf_counter() - started
            without = Partner.search_count(
                domain + procedure._without_case_domain(reference)
            )
            sample = Partner.search(domain, limit=SAMPLE_SIZE, order="id")
            reasons = procedure._explain(sample, reference)
            rows = Markup("").join(
                Markup("<li><strong>%s</strong>: %s</li>")
                % (partner.display_name, reasons.get(partner.id, ""))
                for partner in sample
            )
            preview.update(
                {
                    "count": count,
                    "without_case_count": without,
                    "duration_ms": round(elapsed * 1000),
                    "sample_ids": [fields.Command.set(sample.ids)],
                    "sample_html": Markup("<ul>%s</ul>") % rows if rows else escape(""),
                }
            )

    def action_sweep(self):
        self.ensure_one()
        return self.procedure_id.action_sweep()
