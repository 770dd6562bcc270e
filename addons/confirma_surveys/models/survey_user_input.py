# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.confirma_tramites.models.confirma_case import CODE_LENGTH, new_code

#: Who may create, change or delete the answers to the Confirm@ surveys
#: (besides the system: the survey pages, the invitations): their scores are
#: the satisfaction indicators I11 and I12.
ANSWER_EDITORS = "confirma_surveys.group_manager"


def _check_confirma_answers_edit(env, kinds, operation):
    """Refuse ``operation`` on answers to Confirm@ surveys (``kinds`` holds
    their ``confirma_kind``) to anyone but the system and Confirm@ surveys
    managers, whatever Odoo survey role they hold."""
    if env.su or not any(kinds) or env.user.has_group(ANSWER_EDITORS):
        return
    raise AccessError(
        env._(
            "The answers to the Confirm@ surveys feed the satisfaction "
            "indicators: only a Confirm@ surveys manager may %(operation)s them.",
            operation={
                "create": env._("create"),
                "write": env._("change"),
                "unlink": env._("delete"),
            }[operation],
        )
    )


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    confirma_case_id = fields.Many2one(
        "confirma.case", string="Case", index="btree_not_null", ondelete="set null"
    )
    confirma_procedure_id = fields.Many2one(
        "confirma.procedure",
        string="Procedure",
        index="btree_not_null",
        ondelete="set null",
    )
    confirma_company_id = fields.Many2one(
        related="confirma_procedure_id.company_id", store=True, string="Municipality"
    )
    confirma_kind = fields.Selection(related="survey_id.confirma_kind", store=True)
    confirma_channel = fields.Selection(
        [("email", "Email"), ("post", "Letter"), ("internal", "Internal")],
        string="Invited by",
    )
    confirma_staff_survey_id = fields.Many2one(
        "confirma.staff.survey", string="Staff survey round", ondelete="set null"
    )
    confirma_score = fields.Float(
        string="Score (0-10)",
        compute="_compute_confirma_score",
        store=True,
        aggregator="avg",
        help="The answer to the survey's overall score question.",
    )
    confirma_scored = fields.Boolean(compute="_compute_confirma_score", store=True)
    confirma_comment = fields.Text(
        string="Comments", compute="_compute_confirma_score", store=True
    )
    confirma_code = fields.Char(
        string="Short code",
        readonly=True,
        copy=False,
        index=True,
        help="What a resident types at /confirma/survey instead of the long "
        "link of a letter (8 letters and numbers, like the offers' codes).",
    )

    _sql_constraints = [
        (
            "confirma_code_uniq",
            "unique(confirma_code)",
            "A survey invitation's short code is unique.",
        )
    ]

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        surveys = self.env["survey.survey"].browse(
            {vals["survey_id"] for vals in vals_list if vals.get("survey_id")}
        )
        _check_confirma_answers_edit(
            self.env, surveys.sudo().mapped("confirma_kind"), "create"
        )
        for vals in vals_list:
            if vals.get("confirma_staff_survey_id"):
                # the staff rounds are anonymous: no one's answer is theirs
                vals.update(partner_id=False, email=False)
            if vals.get("confirma_case_id"):
                # a resident's invitation: a short code for the letter
                vals.setdefault("confirma_code", new_code())
        return super().create(vals_list)

    def write(self, vals):
        _check_confirma_answers_edit(
            self.env, self.sudo().mapped("confirma_kind"), "write"
        )
        if self.sudo().filtered("confirma_staff_survey_id"):
            vals = {
                name: value
                for name, value in vals.items()
                if name not in ("partner_id", "email")
            }
        return super().write(vals)

    def unlink(self):
        _check_confirma_answers_edit(
            self.env, self.sudo().mapped("confirma_kind"), "unlink"
        )
        return super().unlink()

    # ------------------------------------------------------------------
    # Anonymous staff rounds
    # ------------------------------------------------------------------
    # The survey pages work on a staff round's answer as the system (see
    # controllers/main.py). What they change is written at once, as the
    # system: left for later, it would be written under the officer's name
    # (write_uid) by whatever flushes next in their request.
    def _confirma_flush_anonymous(self):
        if self.sudo().filtered("confirma_staff_survey_id"):
            self.env.flush_all()

    def _mark_in_progress(self):
        result = super()._mark_in_progress()
        self._confirma_flush_anonymous()
        return result

    def _mark_done(self):
        result = super()._mark_done()
        self._confirma_flush_anonymous()
        return result

    def _save_lines(self, question, answer, comment=None, overwrite_existing=True):
        result = super()._save_lines(
            question, answer, comment=comment, overwrite_existing=overwrite_existing
        )
        self._confirma_flush_anonymous()
        return result

    def _clear_inactive_conditional_answers(self):
        result = super()._clear_inactive_conditional_answers()
        self._confirma_flush_anonymous()
        return result

    @api.depends(
        "state",
        "user_input_line_ids.value_scale",
        "user_input_line_ids.value_numerical_box",
        "user_input_line_ids.value_text_box",
        "user_input_line_ids.skipped",
    )
    def _compute_confirma_score(self):
        for answer in self:
            score, scored, comments = 0.0, False, []
            if answer.state == "done":
                for line in answer.user_input_line_ids:
                    if line.skipped:
                        continue
                    if line.question_id.confirma_score:
                        if line.answer_type == "scale":
                            score, scored = float(line.value_scale), True
                        elif line.answer_type == "numerical_box":
                            score, scored = line.value_numerical_box, True
                    elif line.answer_type == "text_box" and line.value_text_box:
                        comments.append(line.value_text_box.strip())
            answer.confirma_score = score
            answer.confirma_scored = scored
            answer.confirma_comment = "\n\n".join(comments) or False

    def action_open_improvement(self):
        """An improvement action from this answer (origin: survey)."""
        self.ensure_one()
        action = self.env["confirma.improvement.action"].create(
            {
                "name": self.env._(
                    "Follow up the answer of %(who)s", who=self.partner_id.name or "-"
                ),
                "description": self.confirma_comment or False,
                "origin": "survey",
                "procedure_id": self.confirma_procedure_id.id,
                "company_id": (self.confirma_company_id or self.env.company).id,
                "user_id": (self.confirma_procedure_id.user_id or self.env.user).id,
                "survey_user_input_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": action._name,
            "res_id": action.id,
            "view_mode": "form",
        }

    def _confirma_url(self):
        self.ensure_one()
        return self.survey_id.get_base_url() + self.get_start_url()

    def _confirma_code_url(self):
        """The short address a letter prints beside the code."""
        self.ensure_one()
        return self.survey_id.get_base_url() + "/confirma/survey"

    @api.model
    def _confirma_find_by_code(self, code):
        """The open invitation of a short code typed by a resident (sudo:
        the caller counts the failures)."""
        code = (code or "").strip().upper().replace(" ", "")
        if len(code) != CODE_LENGTH:
            return self.browse()
        return self.sudo().search(
            [("confirma_code", "=", code), ("state", "!=", "done")], limit=1
        )

    @api.model
    def _load_demo_surveys(self):
        """Demo data: every demo procedure asks its residents; the granted
        cases are closed and their residents invited; some answer (fixed
        scores and comments); staff are asked; a participation session with
        proposals, one an improvement action; the first half-year closed."""
        env = self.env
        survey = env.ref("confirma_surveys.survey_citizen_satisfaction")
        staff_survey = env.ref("confirma_surveys.survey_staff_satisfaction")
        admin = env.ref("base.user_admin")
        procedures = env["confirma.procedure"].search([("state", "=", "active")])
        procedures.write(
            {
                "survey_id": survey.id,
                "survey_delay_days": 0,
                "staff_survey_id": staff_survey.id,
                "staff_user_ids": [(4, admin.id)],
            }
        )
        granted = env["confirma.case"].search([("state", "=", "granted")])
        granted.action_close()
        # the invitations now, not by the job runner later
        env["confirma.case"].with_context(
            queue_job__no_delay=True
        )._cron_survey_invitations()
        invited = self.search([("confirma_kind", "=", "citizen")], order="id")
        score_question = survey._confirma_score_question()
        comments = survey.question_ids.filtered(lambda q: q.question_type == "text_box")
        texts = [
            "I did not have to bring any paper. Great.",
            "The letter was clear, but the page asked for my birth date twice.",
            "Quicker than I expected.",
        ]
        for number, answer in enumerate(invited):
            if number % 5 == 4:  # some never answer
                continue
            lines = [
                {
                    "user_input_id": answer.id,
                    "question_id": score_question.id,
                    "answer_type": "scale",
                    "value_scale": (6, 7, 8, 9, 10, 8, 7)[number % 7],
                }
            ]
            if number % 3 == 0 and comments:
                lines.append(
                    {
                        "user_input_id": answer.id,
                        "question_id": comments[:1].id,
                        "answer_type": "text_box",
                        "value_text_box": texts[number % len(texts)],
                    }
                )
            env["survey.user_input.line"].create(lines)
            answer.write({"state": "done", "end_datetime": fields.Datetime.now()})
        round_ = env["confirma.staff.survey"]._cron_staff_rounds()
        staff_question = staff_survey._confirma_score_question()
        for number, answer in enumerate(round_.user_input_ids):
            env["survey.user_input.line"].create(
                {
                    "user_input_id": answer.id,
                    "question_id": staff_question.id,
                    "answer_type": "scale",
                    "value_scale": (7, 8, 6)[number % 3],
                }
            )
            answer.write({"state": "done", "end_datetime": fields.Datetime.now()})
        return invited
