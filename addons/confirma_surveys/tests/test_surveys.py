# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import ConfirmaSurveyTownCommon


@tagged("post_install", "-at_install")
class TestSatisfactionSurveys(ConfirmaSurveyTownCommon):
    def invite(self, days_after=5):
        """The daily run and its jobs: the residents invited."""
        with trap_jobs() as trap:
            self.env["confirma.case"]._cron_survey_invitations(
                now=self.CLOSED + datetime.timedelta(days=days_after)
            )
            for job in trap.enqueued_jobs:
                self.assertEqual(job.channel, "root.confirma.outreach")
            return sum(job.perform() for job in trap.enqueued_jobs)

    def test_invitations_are_jobs_handed_out_once(self):
        """The daily run hands a batch of cases to one job, once however
        often it runs before the job does; the job run again (a restart)
        invites nobody twice."""
        Case = self.env["confirma.case"]
        now = self.CLOSED + datetime.timedelta(days=5)
        with trap_jobs() as trap:
            self.assertEqual(Case._cron_survey_invitations(now=now), 2)
            Case._cron_survey_invitations(now=now)
            self.assertEqual(len(trap.enqueued_jobs), 1)
            (job,) = trap.enqueued_jobs
            self.assertTrue(job.identity_key.startswith("confirma-survey-invitations-"))
            self.assertEqual(job.channel, "root.confirma.outreach")
            self.assertEqual(job.perform(), 2)
            self.assertEqual(job.perform(), 0)
        self.assertEqual(self.invite(), 0)

    def test_invited_once_never_opted_out(self):
        """After the delay, one invitation per closed case by the resident's
        channel (anna by email, bernat by letter), never driss (opted out);
        running again invites nobody."""
        self.assertEqual(self.invite(days_after=1), 0)  # before the delay
        self.assertEqual(self.invite(), 2)
        anna = self.anna_case.survey_user_input_id
        bernat = self.bernat_case.survey_user_input_id
        self.assertEqual(anna.confirma_channel, "email")
        self.assertEqual(bernat.confirma_channel, "post")
        self.assertFalse(self.driss_case.survey_user_input_id)
        self.assertFalse(self.driss_case.survey_invited_date)
        self.assertEqual(anna.partner_id, self.anna)
        self.assertEqual(anna.confirma_procedure_id, self.procedure)
        mail = self.env["mail.mail"].search(
            [("model", "=", "survey.user_input"), ("res_id", "=", anna.id)]
        )
        self.assertEqual(mail.email_to, self.anna.email)
        self.assertIn(anna.access_token, mail.body_html)
        self.assertEqual(self.invite(days_after=30), 0)
        self.assertEqual(
            self.env["survey.user_input"].search_count(
                [("confirma_case_id", "in", self.cases.ids)]
            ),
            2,
        )

    def test_channel_rules_of_campaigns(self):
        """A resident who prefers paper gets a letter even with an email; a
        blacklisted email is not used."""
        self.anna.preferred_channel = "post"
        self.env["mail.blacklist"].create({"email": "nobody@example.org"})
        self.bernat.email = "nobody@example.org"
        self.invite()
        self.assertEqual(self.anna_case.survey_user_input_id.confirma_channel, "post")
        self.assertEqual(self.bernat_case.survey_user_input_id.confirma_channel, "post")

    def test_letter_for_residents_without_email(self):
        self.invite()
        bernat = self.bernat_case.survey_user_input_id
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "confirma_surveys.action_report_survey_letter", bernat.ids
            )[0]
            .decode()
        )
        self.assertIn(bernat.access_token, html)
        self.assertIn("barcode_type=QR", html)

    def test_score_read_from_the_marked_question(self):
        """The score is the answer to the marked 0-10 question, not the
        ease question; comments are collected."""
        self.invite()
        anna = self.anna_case.survey_user_input_id
        ease = self.survey.question_ids.filtered(
            lambda q: q.question_type == "scale" and not q.confirma_score
        )
        anna._save_lines(ease, "2")
        self.answer(anna, 9, comment="No papers at all.")
        self.assertEqual(anna.confirma_score, 9.0)
        self.assertTrue(anna.confirma_scored)
        self.assertEqual(anna.confirma_comment, "No papers at all.")
        self.assertEqual(self.anna_case.survey_score, 9.0)
        # unfinished answers have no score
        bernat = self.bernat_case.survey_user_input_id
        bernat._save_lines(self.survey._confirma_score_question(), "3")
        self.assertFalse(bernat.confirma_scored)

    def test_improvement_action_from_an_answer(self):
        self.invite()
        anna = self.answer(
            self.anna_case.survey_user_input_id, 4, comment="Too many steps."
        )
        result = anna.with_user(self.officer_surveys).action_open_improvement()
        action = self.env["confirma.improvement.action"].browse(result["res_id"])
        self.assertEqual(action.origin, "survey")
        self.assertEqual(action.procedure_id, self.procedure)
        self.assertEqual(action.survey_user_input_id, anna)
        self.assertIn("Too many steps.", action.description)

    def test_one_score_question_of_the_right_type(self):
        with self.assertRaises(ValidationError):
            self.survey.question_ids.filtered(
                lambda q: q.question_type == "text_box"
            ).confirma_score = True
        with self.assertRaises(ValidationError):
            self.survey.question_ids.filtered(
                lambda q: q.question_type == "scale" and not q.confirma_score
            ).confirma_score = True

    def test_results_on_the_procedure_and_indicator(self):
        self.invite()
        self.answer(
            self.anna_case.survey_user_input_id,
            9,
            when=self.CLOSED + datetime.timedelta(days=6),
        )
        procedure = self.procedure.with_user(self.user_surveys)
        self.assertEqual(procedure.survey_invited_count, 2)
        self.assertEqual(procedure.survey_answered_count, 1)
        self.assertEqual(procedure.survey_response_rate, 50.0)
        self.assertEqual(procedure.survey_score_avg, 9.0)
        period = self.env["confirma.indicator.period"]._get(
            "half", datetime.date(2026, 6, 15)
        )
        period.action_compute()
        satisfaction = period.value_ids.filtered(lambda v: v.indicator_id.code == "I11")
        self.assertEqual(
            sorted((v.scope, v.value) for v in satisfaction),
            [("procedure", 9.0), ("town", 9.0)],
        )


@tagged("post_install", "-at_install")
class TestStaffAndParticipation(ConfirmaSurveyTownCommon):
    def staff_mails(self):
        return self.env["mail.mail"].search(
            [("subject", "like", "Internal survey: working")]
        )

    def test_staff_round(self):
        """The half-yearly round asks the procedure's officers and owner;
        their scores feed the staff-satisfaction indicator."""
        today = datetime.date(2026, 3, 10)
        round_ = self.env["confirma.staff.survey"]._cron_staff_rounds(today=today)
        self.assertEqual(round_.state, "sent")
        # one anonymous answer per officer: the links went by email
        self.assertEqual(len(round_.user_input_ids), 2)
        self.assertFalse(round_.user_input_ids.partner_id)
        self.assertEqual(
            sorted(self.staff_mails().mapped("email_to")),
            sorted((self.officer_tramites | self.manager_tramites).mapped("email")),
        )
        # once per half-year
        self.assertFalse(
            self.env["confirma.staff.survey"]._cron_staff_rounds(today=today)
        )
        for answer, score in zip(round_.user_input_ids, (6, 8), strict=True):
            self.answer(answer, score, when=datetime.datetime(2026, 3, 12))
        self.assertEqual(round_.score_avg, 7.0)
        period = self.env["confirma.indicator.period"]._get("half", today)
        period.action_compute()
        staff = period.value_ids.filtered(
            lambda v: v.indicator_id.code == "I12" and v.scope == "town"
        )
        self.assertEqual(staff.value, 7.0)
        with self.assertRaises(UserError):
            round_.action_send()

    def test_improvement_action_from_a_session_proposal(self):
        """A proposal of a participation session becomes an improvement
        action (origin: session) owned by the procedure's owner."""
        association = self.env["res.partner"].create(
            {"name": "Associació de veïns", "is_company": True}
        )
        session = (
            self.env["confirma.participation.session"]
            .with_user(self.officer_surveys)
            .create(
                {
                    "name": "Senior card with the neighbours",
                    "date": "2026-05-10 18:00:00",
                    "procedure_ids": [(6, 0, self.procedure.ids)],
                    "partner_ids": [(6, 0, association.ids)],
                    "attendee_ids": [(6, 0, association.ids)],
                    "attendance": 12,
                    "proposal_ids": [
                        (0, 0, {"name": "Large print letters"}),
                        (0, 0, {"name": "Open the counter on Saturdays"}),
                    ],
                }
            )
        )
        first, second = session.proposal_ids
        first.action_create_improvement()
        action = first.improvement_action_id
        self.assertEqual(action.origin, "session")
        self.assertEqual(action.procedure_id, self.procedure)
        self.assertEqual(action.user_id, self.officer_tramites)
        self.assertEqual(action.session_id, session)
        self.assertEqual(first.state, "accepted")
        with self.assertRaises(UserError):
            first.action_create_improvement()
        second.action_reject()
        self.assertEqual(second.state, "rejected")
        self.assertEqual(
            self.procedure.with_user(self.officer_surveys).improvement_action_ids,
            action,
        )
        # a plain user reads sessions but cannot change them
        with self.assertRaises(AccessError):
            session.with_user(self.user_surveys).write({"attendance": 3})

    def test_improvement_action_from_an_indicator_deviation(self):
        period = self.env["confirma.indicator.period"]._get(
            "half", datetime.date(2026, 6, 15)
        )
        period.action_close()
        off = period.value_ids.filtered("deviation")[:1]
        self.assertTrue(off)
        result = off.with_user(self.officer_surveys).action_open_improvement()
        action = self.env["confirma.improvement.action"].browse(result["res_id"])
        self.assertEqual(action.origin, "indicator")
        self.assertEqual(action.indicator_value_id, off)
