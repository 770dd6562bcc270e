# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime

from lxml import html

from odoo.tests import HttpCase, tagged

from odoo.addons.confirma_citizen.tests.common import AxeChecks, ScreenChecks

from .common import ConfirmaSurveyTownCommon


@tagged("post_install", "-at_install")
class TestSurveyScreens(ScreenChecks, HttpCase, ConfirmaSurveyTownCommon):
    """The surveys' screens open in a browser for a surveys officer: the
    procedure's satisfaction tab, the results, a session with its
    proposals, the improvement actions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["confirma.case"].with_context(
            queue_job__no_delay=True
        )._cron_survey_invitations(now=cls.CLOSED + datetime.timedelta(days=5))
        answer = cls.anna_case.survey_user_input_id
        answer._save_lines(cls.survey._confirma_score_question(), "8")
        answer.write({"state": "done", "end_datetime": cls.CLOSED})
        cls.meeting = cls.env["confirma.participation.session"].create(
            {
                "name": "Senior card",
                "date": "2026-05-10 18:00:00",
                "procedure_ids": [(6, 0, cls.procedure.ids)],
                "proposal_ids": [(0, 0, {"name": "Large print letters"})],
            }
        )
        cls.meeting.proposal_ids.action_create_improvement()

    def open(self, path, selector, tab=""):
        self.open_screen(path, selector, self.officer_surveys.login, tab=tab)

    def test_screens(self):
        self.open(
            "/odoo/action-confirma_tramites.confirma_procedure_action/"
            f"{self.procedure.id}",
            ".o_form_view div[name='survey_score_avg']",
            tab="satisfaction",
        )
        self.open(
            "/odoo/action-confirma_surveys.survey_user_input_action",
            ".o_graph_renderer",
        )
        self.open(
            "/odoo/action-confirma_surveys.confirma_participation_session_action/"
            f"{self.meeting.id}",
            ".o_form_view .o_field_one2many .o_data_row",
        )
        self.open(
            "/odoo/action-confirma_surveys.confirma_improvement_action_action",
            ".o_kanban_record",
        )

    def test_one_answer_per_invitation(self):
        """A resident who answered sees the thank-you page without "Take
        Again": one answer per invitation (logged out, by the link)."""
        answer = self.anna_case.survey_user_input_id
        survey = answer.survey_id
        self.assertTrue(survey.is_attempts_limited)
        page = self.url_open(f"/survey/{survey.access_token}/{answer.access_token}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("/survey/retry/", page.text)


@tagged("post_install", "-at_install")
class TestSurveyAccessibility(AxeChecks, HttpCase, ConfirmaSurveyTownCommon):
    """The satisfaction survey a resident is invited to, in Spanish and in
    Catalan, passes axe-core's WCAG 2.1 A and AA checks: its first page,
    its questions and the thank-you page of an answered invitation."""

    resident_langs = ("es_ES", "ca_ES")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["confirma.case"].with_context(
            queue_job__no_delay=True
        )._cron_survey_invitations(now=cls.CLOSED + datetime.timedelta(days=5))
        cls.pending = cls.anna_case.survey_user_input_id
        cls.answered = cls.bernat_case.survey_user_input_id
        cls.answered._save_lines(cls.survey._confirma_score_question(), "9")
        cls.answered.write({"state": "done", "end_datetime": cls.CLOSED})
        # a resident who pressed "Start": the page of questions
        cls.started = cls.survey._create_answer(partner=cls.driss, check_attempts=False)
        cls.started._mark_in_progress()

    def test_survey_pages(self):
        survey = self.survey
        for code in ("es_ES", "ca_ES"):
            lang = code.replace("_", "-")
            with self.subTest(lang=code):
                self.check_accessibility(
                    [
                        {
                            "name": f"survey code ({code})",
                            "url": f"/confirma/survey?lang={code[:2]}",
                            "lang": lang,
                        },
                        {
                            "name": f"survey code, not found ({code})",
                            "url": "/confirma/survey",
                            "method": "POST",
                            "form": "form",
                            "data": {"code": "ZZZZZZZZ"},
                            "lang": lang,
                        },
                        {
                            "name": f"survey start ({code})",
                            "url": f"/survey/start/{survey.access_token}"
                            f"?answer_token={self.pending.access_token}",
                            "lang": lang,
                        },
                        {
                            "name": f"survey questions ({code})",
                            "url": f"/survey/{survey.access_token}/"
                            f"{self.started.access_token}",
                            "lang": lang,
                        },
                        {
                            "name": f"survey answered ({code})",
                            "url": f"/survey/{survey.access_token}/"
                            f"{self.answered.access_token}",
                            "lang": lang,
                        },
                    ],
                    cookies={"frontend_lang": code},
                )


@tagged("post_install", "-at_install")
class TestSurveyCode(HttpCase, ConfirmaSurveyTownCommon):
    """A survey letter prints a short address and an 8-character code
    instead of a 100-character link; the code opens the resident's survey,
    logged out."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["confirma.case"].with_context(
            queue_job__no_delay=True
        )._cron_survey_invitations(now=cls.CLOSED + datetime.timedelta(days=5))
        cls.invitation = cls.bernat_case.survey_user_input_id

    def post_code(self, code, status):
        page = self.url_open("/confirma/survey")
        self.assertEqual(page.status_code, 200)
        csrf = html.fromstring(page.content).xpath("//input[@name='csrf_token']/@value")
        response = self.url_open(
            "/confirma/survey",
            data={"code": code, "csrf_token": csrf[0]},
            allow_redirects=False,
        )
        if status is not None:
            self.assertEqual(response.status_code, status, response.text[:300])
        return response

    def test_invitations_get_a_code_printed_on_the_letter(self):
        code = self.invitation.confirma_code
        self.assertEqual(len(code), 8)
        self.assertNotEqual(code, self.anna_case.survey_user_input_id.confirma_code)
        letter = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "confirma_surveys.report_survey_letter", self.invitation.ids
            )[0]
        )
        self.assertIn(code, letter)
        self.assertIn("/confirma/survey", letter)

    def test_the_code_opens_the_survey(self):
        code = self.invitation.confirma_code
        response = self.post_code(f" {code.lower()} ", 303)
        self.assertTrue(
            response.headers["Location"].endswith(self.invitation.get_start_url())
        )
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        wrong = self.post_code("ZZZZZZZZ", 404)
        self.assertIn("We found no survey to answer", wrong.text)
        # an answered invitation is not opened again
        self.answer(self.invitation, 8)
        self.post_code(code, 404)

    def test_wrong_codes_are_throttled(self):
        statuses = {
            self.post_code(f"WRONG{i:03d}", None).status_code for i in range(22)
        }
        self.assertIn(429, statuses)
        # locked: even the right code waits
        self.post_code(self.invitation.confirma_code, 429)
