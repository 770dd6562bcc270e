# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ConfirmaImprovementAction(models.Model):
    """An improvement action: the "act" of the PDCA loop, born from a survey,
    a participation session or an indicator off target."""

    _name = "confirma.improvement.action"
    _description = "Improvement action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_deadline, id desc"

    name = fields.Char(required=True, tracking=True)
    description = fields.Html()
    origin = fields.Selection(
        [
            ("survey", "Satisfaction survey"),
            ("session", "Participation session"),
            ("indicator", "Indicator deviation"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
        tracking=True,
    )
    procedure_id = fields.Many2one("confirma.procedure", index=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda s: s.env.company, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        tracking=True,
        default=lambda s: s.env.user,
    )
    date_deadline = fields.Date(string="Due date", tracking=True)
    state = fields.Selection(
        [
            ("todo", "To do"),
            ("progress", "In progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="todo",
        required=True,
        tracking=True,
        group_expand="_group_expand_states",
    )
    proposal_id = fields.Many2one("confirma.proposal", ondelete="set null")
    session_id = fields.Many2one(related="proposal_id.session_id", store=True)
    indicator_value_id = fields.Many2one(
        "confirma.indicator.value", string="Indicator value", ondelete="set null"
    )
    survey_user_input_id = fields.Many2one(
        "survey.user_input", string="Survey answer", ondelete="set null"
    )
    result = fields.Text(help="What was done and what changed.")

    def _group_expand_states(self, states, domain):
        return [key for key, _label in self._fields["state"].selection]

    def action_start(self):
        self.write({"state": "progress"})

    def action_done(self):
        self.write({"state": "done"})

    def action_cancel(self):
        self.write({"state": "cancelled"})
