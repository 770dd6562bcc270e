# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    confirma_kind = fields.Selection(
        [("citizen", "Residents' satisfaction"), ("staff", "Staff satisfaction")],
        string="Confirm@ survey",
        help="Residents' satisfaction: sent after a case closes. Staff: sent to "
        "the officers of each procedure, period by period.",
    )

    def _confirma_score_question(self):
        """The question whose answer is the 0-10 score."""
        self.ensure_one()
        return self.question_ids.filtered("confirma_score")[:1]
