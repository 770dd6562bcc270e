# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    confirma_score = fields.Boolean(
        string="Overall score (0-10)",
        help="Confirm@ reads the satisfaction score from the answer to this "
        "question: a 0-10 scale or a number.",
    )

    @api.constrains("confirma_score", "question_type", "survey_id")
    def _check_confirma_score(self):
        for question in self.filtered("confirma_score"):
            if question.question_type not in ("scale", "numerical_box"):
                raise ValidationError(
                    self.env._(
                        "The overall score question must be a scale or a number."
                    )
                )
            marked = question.survey_id.question_ids.filtered("confirma_score")
            if len(marked) > 1:
                raise ValidationError(
                    self.env._("A survey has one overall score question.")
                )
