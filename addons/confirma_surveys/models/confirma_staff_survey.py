# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.confirma_tramites import periods


class ConfirmaStaffSurvey(models.Model):
    """A round of the internal survey: the officers of each procedure are
    asked how working with Confirm@ goes (score 0-10), once per half-year."""

    _name = "confirma.staff.survey"
    _description = "Staff survey round"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char(required=True, tracking=True)
    survey_id = fields.Many2one(
        "survey.survey",
        required=True,
        domain=[("confirma_kind", "=", "staff")],
        tracking=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda s: s.env.company
    )
    procedure_ids = fields.Many2many(
        "confirma.procedure",
        string="Procedures",
        help="Their officers (and owner) are asked.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("sent", "Sent"), ("closed", "Closed")],
        default="draft",
        required=True,
        tracking=True,
    )
    user_input_ids = fields.One2many("survey.user_input", "confirma_staff_survey_id")
    invited_count = fields.Integer(compute="_compute_counts")
    answered_count = fields.Integer(compute="_compute_counts")
    score_avg = fields.Float(string="Average score", compute="_compute_counts")

    def _compute_counts(self):
        for round_ in self:
            answers = round_.user_input_ids
            done = answers.filtered(lambda a: a.state == "done" and a.confirma_scored)
            round_.invited_count = len(answers)
            round_.answered_count = len(done)
            round_.score_avg = (
                sum(done.mapped("confirma_score")) / len(done) if done else 0.0
            )

    def action_send(self):
        """One personal link per officer and procedure, by email.

        The round is anonymous: the answers keep the procedure (the
        indicator is per procedure) but nobody's name or address, and the
        emails that carry the links are not attached to them. The answers
        are created with sudo (Confirm@ surveys users cannot create answers)
        once the user is known to manage the round."""
        self.check_access("write")
        template = self.env.ref("confirma_surveys.mail_template_staff_survey")
        for round_ in self:
            if round_.state != "draft":
                raise UserError(
                    self.env._("Round %(name)s was sent already.", name=round_.name)
                )
            invited = [
                (procedure, user)
                for procedure in round_.procedure_ids
                for user in procedure._staff()
            ]
            if not invited:
                raise UserError(
                    self.env._(
                        "The procedures of %(name)s have no officers to ask.",
                        name=round_.name,
                    )
                )
            answers = (
                self.env["survey.user_input"]
                .sudo()
                .create(
                    [
                        {
                            "survey_id": round_.survey_id.id,
                            "confirma_procedure_id": procedure.id,
                            "confirma_staff_survey_id": round_.id,
                            "confirma_channel": "internal",
                        }
                        for procedure, _user in invited
                    ]
                )
            )
            for answer, (_procedure, user) in zip(answers, invited, strict=True):
                if not user.email:
                    continue
                # not linked to the answer: the mail (deleted once sent) is the
                # only place where the link and the officer meet
                template.sudo().with_context(lang=user.lang).send_mail(
                    answer.id,
                    email_values={
                        "email_to": user.email,
                        "recipient_ids": [],
                        "model": False,
                        "res_id": False,
                    },
                )
            round_.state = "sent"
        return True

    def action_close(self):
        self.write({"state": "closed"})
        return True

    @api.model
    def _cron_staff_rounds(self, today=None):
        """Each half-year, one round per staff survey in use."""
        today = today or fields.Date.context_today(self)
        key, start, _end = periods.bounds("half", today)
        rounds = self.browse()
        groups = self.env["confirma.procedure"]._read_group(
            [("staff_survey_id", "!=", False), ("state", "=", "active")],
            ["company_id", "staff_survey_id"],
            ["id:recordset"],
        )
        for company, survey, procedures in groups:
            exists = self.search_count(
                [
                    ("company_id", "=", company.id),
                    ("survey_id", "=", survey.id),
                    ("date", ">=", start),
                ]
            )
            if exists:
                continue
            round_ = self.create(
                {
                    "name": f"{survey.title} {key}",
                    "survey_id": survey.id,
                    "company_id": company.id,
                    "date": today,
                    "procedure_ids": [(6, 0, procedures.ids)],
                }
            )
            round_.action_send()
            rounds |= round_
        return rounds
