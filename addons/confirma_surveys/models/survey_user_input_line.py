# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from .survey_user_input import _check_confirma_answers_edit


class SurveyUserInputLine(models.Model):
    _inherit = "survey.user_input.line"

    @api.model_create_multi
    def create(self, vals_list):
        answers = self.env["survey.user_input"].browse(
            {vals["user_input_id"] for vals in vals_list if vals.get("user_input_id")}
        )
        _check_confirma_answers_edit(
            self.env, answers.sudo().mapped("confirma_kind"), "create"
        )
        return super().create(vals_list)

    def write(self, vals):
        _check_confirma_answers_edit(
            self.env, self.sudo().mapped("user_input_id.confirma_kind"), "write"
        )
        return super().write(vals)

    def unlink(self):
        _check_confirma_answers_edit(
            self.env, self.sudo().mapped("user_input_id.confirma_kind"), "unlink"
        )
        return super().unlink()
