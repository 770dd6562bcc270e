# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime

from odoo import fields

from odoo.addons.confirma_citizen.tests.common import (
    ConfirmaCitizenCommon,
    new_role_users,
)
from odoo.addons.confirma_tramites.tests.common import (
    REFERENCE,
    ConfirmaPopulationCommon,
)


class ConfirmaSurveysCommon(ConfirmaCitizenCommon):
    """Base class of the Confirm@ Surveys tests: a user per role of this addon."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_surveys, cls.officer_surveys, cls.manager_surveys = new_role_users(
            cls.env, "confirma_surveys", "surveys"
        )


class ConfirmaSurveyTownCommon(ConfirmaPopulationCommon):
    """The test town, a procedure with the shipped satisfaction survey and
    closed cases: anna (email), bernat (no email: a letter), driss (opted out
    of surveys)."""

    CLOSED = datetime.datetime(2026, 6, 1, 10, 0)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_surveys, cls.officer_surveys, cls.manager_surveys = new_role_users(
            cls.env, "confirma_surveys", "surveys"
        )
        cls.survey = cls.env.ref("confirma_surveys.survey_citizen_satisfaction")
        cls.staff_survey = cls.env.ref("confirma_surveys.survey_staff_satisfaction")
        cls.procedure = cls.make_procedure(
            cls.make_rule({"kind": "age", "min_value": 18}, name="Adults"),
            code="SAT",
            name="Senior card",
            user_id=cls.officer_tramites.id,
        )
        cls.procedure.with_user(cls.manager_tramites).write(
            {
                "survey_id": cls.survey.id,
                "survey_delay_days": 3,
                "staff_survey_id": cls.staff_survey.id,
                "staff_user_ids": [(4, cls.manager_tramites.id)],
            }
        )
        cls.driss.confirma_survey_opt_out = True
        cls.cases = cls.env["confirma.case"]
        for partner in (cls.anna, cls.bernat, cls.driss):
            cls.cases |= cls.env["confirma.case"].create(
                {
                    "procedure_id": cls.procedure.id,
                    "partner_id": partner.id,
                    "company_id": cls.env.company.id,
                    "period": "2026",
                    "state": "closed",
                    "resolution": "granted",
                    "date_answered": cls.CLOSED - datetime.timedelta(days=10),
                    "date_closed": cls.CLOSED,
                }
            )
        cls.anna_case, cls.bernat_case, cls.driss_case = cls.cases

    def answer(self, user_input, score, comment=None, when=None):
        """Answer the survey as the resident would (the score question,
        optionally a comment) and finish it."""
        survey = user_input.survey_id
        user_input._save_lines(survey._confirma_score_question(), str(score))
        if comment:
            text = survey.question_ids.filtered(lambda q: q.question_type == "text_box")
            user_input._save_lines(text[:1], comment)
        user_input.write(
            {"state": "done", "end_datetime": when or fields.Datetime.now()}
        )
        return user_input


__all__ = ["REFERENCE", "ConfirmaSurveyTownCommon", "ConfirmaSurveysCommon"]
