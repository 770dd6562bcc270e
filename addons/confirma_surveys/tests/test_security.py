# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who reads, changes and deletes the answers of the Confirm@ surveys (they
are the satisfaction indicators), and the anonymous staff rounds."""

import datetime

from odoo import SUPERUSER_ID
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ConfirmaSurveyTownCommon


class SurveyAnswersCommon(ConfirmaSurveyTownCommon):
    """Anna answered 2 out of 10; another town has an answer of its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["confirma.case"].with_context(
            queue_job__no_delay=True
        )._cron_survey_invitations(now=cls.CLOSED + datetime.timedelta(days=5))
        cls.anna_answer = cls.anna_case.survey_user_input_id
        cls.bernat_answer = cls.bernat_case.survey_user_input_id
        cls.anna_answer._save_lines(cls.survey._confirma_score_question(), "2")
        cls.anna_answer.write({"state": "done", "end_datetime": cls.CLOSED})
        cls.other = cls.env["res.company"].create({"name": "Another town"})
        cls.foreign_procedure = cls.env["confirma.procedure"].create(
            {
                "name": "Foreign card",
                "code": "FOREIGN",
                "company_id": cls.other.id,
                "survey_id": cls.survey.id,
            }
        )
        cls.foreign_answer = cls.env["survey.user_input"].create(
            {
                "survey_id": cls.survey.id,
                "confirma_procedure_id": cls.foreign_procedure.id,
                "confirma_channel": "email",
            }
        )


@tagged("post_install", "-at_install")
class TestSurveyAnswersAccess(SurveyAnswersCommon):
    def test_surveys_users_read_only(self):
        """A Confirm@ surveys user (an officer too) reads the answers and
        their lines, and can neither change, delete nor add any."""
        for user in (self.user_surveys, self.officer_surveys):
            with self.subTest(user=user.login):
                self.assertFalse(user.has_group("survey.group_survey_user"))
                answer = self.anna_answer.with_user(user)
                self.assertEqual(answer.confirma_score, 2.0)
                self.assertEqual(answer.partner_id, self.anna)
                lines = answer.user_input_line_ids
                self.assertEqual(lines.mapped("value_scale"), [2])
                with self.assertRaises(AccessError):
                    answer.write({"state": "new"})
                with self.assertRaises(AccessError):
                    answer.unlink()
                with self.assertRaises(AccessError):
                    lines.write({"value_scale": 10})
                with self.assertRaises(AccessError):
                    lines.unlink()
                with self.assertRaises(AccessError):
                    self.env["survey.user_input"].with_user(user).create(
                        {"survey_id": self.survey.id}
                    )
        self.assertEqual(self.anna_answer.confirma_score, 2.0)

    def test_other_municipality_not_read(self):
        Answer = self.env["survey.user_input"]
        for user in (self.user_surveys, self.manager_surveys):
            with self.subTest(user=user.login):
                found = Answer.with_user(user).search([])
                self.assertIn(self.anna_answer, found)
                self.assertNotIn(self.foreign_answer, found)
                with self.assertRaises(AccessError):
                    self.foreign_answer.with_user(user).read(["confirma_score"])
                lines = self.env["survey.user_input.line"].with_user(user)
                self.assertFalse(
                    lines.search([("user_input_id", "=", self.foreign_answer.id)])
                )

    def test_odoo_survey_roles_do_not_edit_confirma_answers(self):
        """Odoo's survey user role (every new employee gets it by default)
        gives no way to change or delete a Confirm@ answer; other surveys'
        answers are left to Odoo; a Confirm@ surveys manager may."""
        both = new_test_user(
            self.env,
            login="surveys_both",
            groups="confirma_surveys.group_user,survey.group_survey_user",
        )
        answer = self.anna_answer.with_user(both)
        with self.assertRaises(AccessError):
            answer.write({"state": "new"})
        with self.assertRaises(AccessError):
            answer.unlink()
        with self.assertRaises(AccessError):
            self.env["survey.user_input"].with_user(both).create(
                {"survey_id": self.survey.id, "confirma_channel": "email"}
            )
        other_survey = self.env["survey.survey"].create({"title": "Canteen menu"})
        other_answer = (
            self.env["survey.user_input"]
            .with_user(both)
            .create({"survey_id": other_survey.id})
        )
        other_answer.write({"state": "in_progress"})
        other_answer.unlink()
        self.bernat_answer.with_user(self.manager_surveys).unlink()
        self.assertFalse(self.bernat_answer.exists())

    def test_letters_and_invitations(self):
        """What surveys officers do still works: print the letters (any
        surveys user), invite the residents of closed cases (officers)."""
        html = (
            self.env["ir.actions.report"]
            .with_user(self.user_surveys)
            ._render_qweb_html(
                "confirma_surveys.action_report_survey_letter",
                self.bernat_answer.ids,
            )[0]
            .decode()
        )
        self.assertIn(self.bernat_answer.access_token, html)
        self.carla.street = "Plaça Nova 2"  # reached by letter
        case = self.env["confirma.case"].create(
            {
                "procedure_id": self.procedure.id,
                "partner_id": self.carla.id,
                "company_id": self.env.company.id,
                "period": "2026",
                "state": "closed",
                "resolution": "granted",
                "date_closed": self.CLOSED,
            }
        )
        with self.assertRaises(AccessError):
            case.with_user(self.user_surveys)._invite_to_survey(
                self.procedure, self.CLOSED
            )
        self.assertEqual(
            case.with_user(self.officer_surveys)._invite_to_survey(
                self.procedure, self.CLOSED
            ),
            1,
        )
        self.assertEqual(case.survey_user_input_id.partner_id, self.carla)
        self.assertEqual(case.survey_user_input_id.confirma_channel, "post")


@tagged("post_install", "-at_install")
class TestAnonymousStaffRounds(HttpCase, ConfirmaSurveyTownCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.round = cls.env["confirma.staff.survey"]._cron_staff_rounds(
            today=datetime.date(2026, 3, 10)
        )

    def test_answers_carry_no_identity(self):
        answers = self.round.user_input_ids
        self.assertEqual(len(answers), 2)  # the owner and the other officer
        self.assertFalse(answers.partner_id)
        self.assertEqual(set(answers.mapped("email")), {False})
        self.assertEqual(answers.confirma_procedure_id, self.procedure)
        mails = self.env["mail.mail"].search(
            [("subject", "like", "Internal survey: working")]
        )
        self.assertEqual(len(mails), 2)
        self.assertEqual(set(mails.mapped("model")), {False})
        self.assertEqual(set(mails.mapped("res_id")), {0})
        self.assertFalse(mails.recipient_ids)
        self.assertEqual(
            set(mails.mapped("email_to")),
            set((self.officer_tramites | self.manager_tramites).mapped("email")),
        )
        for answer in answers:
            self.assertEqual(
                len(mails.filtered(lambda m, a=answer: a.access_token in m.body_html)),
                1,
            )
        # nobody can put a name on them afterwards
        answers.write({"partner_id": self.officer_tramites.partner_id.id})
        self.assertFalse(answers.partner_id)

    def test_logged_in_officer_answers_anonymously(self):
        """An officer logged in follows the link and answers: the answer and
        its lines are written by the system, not by them; I12 is computed."""
        answer = self.round.user_input_ids[0]
        survey = answer.survey_id
        login = self.officer_tramites.login
        self.authenticate(login, login)
        response = self.url_open(
            f"/survey/start/{survey.access_token}?answer_token={answer.access_token}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            f"/survey/{survey.access_token}/{answer.access_token}", response.url
        )
        base = survey.get_base_url()
        begun = self.opener.post(
            f"{base}/survey/begin/{survey.access_token}/{answer.access_token}",
            json={},
        ).json()
        self.assertNotIn("error", begun["result"][1])
        question = survey._confirma_score_question()
        submitted = self.opener.post(
            f"{base}/survey/submit/{survey.access_token}/{answer.access_token}",
            json={"params": {str(question.id): "9"}},
        ).json()
        self.assertNotIn("error", submitted["result"][1], submitted)
        self.env.invalidate_all()
        self.assertEqual((answer.state, answer.confirma_score), ("done", 9.0))
        self.assertFalse(answer.partner_id)
        self.assertEqual(answer.write_uid.id, SUPERUSER_ID)
        self.assertEqual(set(answer.user_input_line_ids.create_uid.ids), {SUPERUSER_ID})
        self.assertEqual(set(answer.user_input_line_ids.write_uid.ids), {SUPERUSER_ID})
        period = self.env["confirma.indicator.period"]._get(
            "half", answer.end_datetime.date()
        )
        period.action_compute()
        staff = period.value_ids.filtered(
            lambda v: v.indicator_id.code == "I12" and v.scope == "town"
        )
        self.assertEqual(staff.value, 9.0)
