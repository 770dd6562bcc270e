# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class ConfirmaParticipationSession(models.Model):
    """A participation session with residents' associations about one or
    more procedures: who was invited, who came, minutes and proposals."""

    _name = "confirma.participation.session"
    _description = "Participation session"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(required=True, tracking=True)
    date = fields.Datetime(required=True, tracking=True)
    location = fields.Char()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda s: s.env.company, index=True
    )
    user_id = fields.Many2one(
        "res.users", string="Organiser", default=lambda s: s.env.user
    )
    procedure_ids = fields.Many2many("confirma.procedure", string="Procedures")
    partner_ids = fields.Many2many(
        "res.partner",
        "confirma_session_invited_rel",
        "session_id",
        "partner_id",
        string="Associations invited",
    )
    attendee_ids = fields.Many2many(
        "res.partner",
        "confirma_session_attendee_rel",
        "session_id",
        "partner_id",
        string="Attended",
    )
    attendance = fields.Integer(
        string="People attending", help="Everyone who came, associations or not."
    )
    minutes = fields.Html()
    state = fields.Selection(
        [("planned", "Planned"), ("held", "Held"), ("cancelled", "Cancelled")],
        default="planned",
        required=True,
        tracking=True,
    )
    proposal_ids = fields.One2many("confirma.proposal", "session_id")
    proposal_count = fields.Integer(compute="_compute_proposal_count")

    _sql_constraints = [
        (
            "attendance_positive",
            "CHECK (attendance >= 0)",
            "The attendance cannot be negative.",
        )
    ]

    @api.depends("proposal_ids")
    def _compute_proposal_count(self):
        for session in self:
            session.proposal_count = len(session.proposal_ids)

    def action_held(self):
        self.write({"state": "held"})

    def action_cancel(self):
        self.write({"state": "cancelled"})


class ConfirmaProposal(models.Model):
    """A proposal made in a participation session; it may become an
    improvement action."""

    _name = "confirma.proposal"
    _description = "Participation proposal"
    _order = "session_id, id"

    name = fields.Char(string="Proposal", required=True)
    description = fields.Text()
    session_id = fields.Many2one(
        "confirma.participation.session",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="session_id.company_id", store=True)
    procedure_id = fields.Many2one("confirma.procedure")
    partner_id = fields.Many2one("res.partner", string="Proposed by")
    state = fields.Selection(
        [("new", "New"), ("accepted", "Accepted"), ("rejected", "Rejected")],
        default="new",
        required=True,
    )
    improvement_action_id = fields.Many2one(
        "confirma.improvement.action", readonly=True, copy=False
    )

    def action_reject(self):
        self.write({"state": "rejected"})

    def action_create_improvement(self):
        """Accept the proposal as an improvement action (the PDCA loop)."""
        actions = self.env["confirma.improvement.action"]
        for proposal in self:
            if proposal.improvement_action_id:
                raise UserError(
                    self.env._(
                        "Proposal %(name)s is already an improvement action.",
                        name=proposal.name,
                    )
                )
            procedure = proposal.procedure_id or proposal.session_id.procedure_ids[:1]
            action = actions.create(
                {
                    "name": proposal.name,
                    "description": proposal.description or False,
                    "origin": "session",
                    "procedure_id": procedure.id,
                    "company_id": proposal.company_id.id,
                    "user_id": (procedure.user_id or self.env.user).id,
                    "proposal_id": proposal.id,
                }
            )
            proposal.write({"state": "accepted", "improvement_action_id": action.id})
            actions |= action
        if len(actions) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": actions._name,
                "res_id": actions.id,
                "view_mode": "form",
            }
        return True
