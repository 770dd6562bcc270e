# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ConfirmaProcedure(models.Model):
    _inherit = "confirma.procedure"

    survey_id = fields.Many2one(
        "survey.survey",
        string="Satisfaction survey",
        domain=[("confirma_kind", "=", "citizen")],
        help="Sent to the residents once their case is closed.",
    )
    survey_delay_days = fields.Integer(
        string="Invite after (days)",
        default=lambda self: int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("confirma_surveys.invite_delay_days", 7)
        ),
        help="Days after the case closes.",
    )
    survey_channel = fields.Selection(
        [
            ("auto", "The resident's channel"),
            ("email", "Email only"),
            ("post", "Letter only"),
        ],
        string="Invite by",
        default="auto",
        help="The resident's channel: email when they have one (and did not "
        "opt out), else a letter with a QR code.",
    )
    staff_survey_id = fields.Many2one(
        "survey.survey",
        string="Staff survey",
        domain=[("confirma_kind", "=", "staff")],
        help="Sent every half-year to the procedure's officers.",
    )
    staff_user_ids = fields.Many2many(
        "res.users",
        "confirma_procedure_staff_rel",
        "procedure_id",
        "user_id",
        string="Officers",
        help="Who works the procedure (its owner is always included).",
    )
    survey_invited_count = fields.Integer(compute="_compute_survey_stats")
    survey_answered_count = fields.Integer(compute="_compute_survey_stats")
    survey_response_rate = fields.Float(
        string="Response rate (%)", compute="_compute_survey_stats"
    )
    survey_score_avg = fields.Float(
        string="Satisfaction (0-10)", compute="_compute_survey_stats"
    )
    improvement_action_ids = fields.One2many(
        "confirma.improvement.action", "procedure_id"
    )

    def _compute_survey_stats(self):
        Answer = self.env["survey.user_input"].sudo()
        base = [
            ("confirma_procedure_id", "in", self.ids),
            ("confirma_kind", "=", "citizen"),
        ]
        invited = dict(Answer._read_group(base, ["confirma_procedure_id"], ["__count"]))
        answered = {
            procedure: (count, score)
            for procedure, count, score in Answer._read_group(
                base + [("state", "=", "done"), ("confirma_scored", "=", True)],
                ["confirma_procedure_id"],
                ["__count", "confirma_score:avg"],
            )
        }
        for procedure in self:
            count = invited.get(procedure, 0)
            done, score = answered.get(procedure, (0, 0.0))
            procedure.survey_invited_count = count
            procedure.survey_answered_count = done
            procedure.survey_response_rate = 100.0 * done / count if count else 0.0
            procedure.survey_score_avg = score or 0.0

    def _staff(self):
        self.ensure_one()
        return (self.staff_user_ids | self.user_id).filtered(
            lambda u: u.active and not u.share
        )

    def action_view_survey_answers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "confirma_surveys.survey_user_input_action"
        )
        action["domain"] = [("confirma_procedure_id", "=", self.id)]
        return action
