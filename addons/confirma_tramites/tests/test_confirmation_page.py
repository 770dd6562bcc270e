# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The resident's confirmation page, request by request, logged out."""

import re
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tools import config

from .common import REFERENCE, ConfirmaPopulationCommon

# every page carries the session's CSRF token in its layout
CSRF = re.compile(r'csrf_token: "([^"]+)"')


class ConfirmationPageCommon(HttpCase, ConfirmaPopulationCommon):
    """An offer of a procedure for Anna (notified) and one for Bernat."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        rule = cls.make_rule({"kind": "age", "min_value": 18}, name="Adults")
        cls.procedure = cls.make_procedure(
            rule,
            code="PAGE",
            name="Senior card",
            requirement_ids=[
                (
                    0,
                    0,
                    {
                        "name": "Income",
                        "method": "interop",
                        "data_holder": "aeat",
                    },
                )
            ],
        )
        Case = cls.env["confirma.case"]
        # Anna (born 1959-06-15), Bernat (1961-06-16): adults without objection
        cls.case = Case._open_cases(cls.procedure, cls.anna, "sweep", REFERENCE)
        cls.case.action_notify()
        cls.other = Case._open_cases(cls.procedure, cls.bernat, "sweep", REFERENCE)

    # ---- helpers ---------------------------------------------------------------------
    def link(self, case=None, token=None, **params):
        case = case or self.case
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return f"{case.access_url}?token={token or case.page_token}&{query}"

    def page_notes(self):
        """How many notes about an answer on the page the case and Anna's
        chatter hold."""
        return tuple(
            len(
                record.message_ids.filtered(
                    lambda m: "on the confirmation page on" in (m.body or "")
                )
            )
            for record in (self.case, self.anna)
        )

    def get(self, url, status=200):
        response = self.url_open(url, allow_redirects=True)
        self.assertEqual(response.status_code, status, response.text[:500])
        return response

    def post(self, url, status=200, **data):
        page = self.url_open(url).text if "csrf_token" not in data else ""
        token = CSRF.search(page)
        if token:
            data.setdefault("csrf_token", token.group(1))
        response = self.url_open(url, data=data, allow_redirects=True)
        self.assertEqual(response.status_code, status, response.text[:500])
        return response

    def verify(self, case=None, birthdate="1959-06-15", status=200):
        """Type ``birthdate`` (ISO) in the page's day, month and year boxes,
        as a resident does (27 3 1950: no leading zeros)."""
        year, month, day = birthdate.split("-")
        return self.post(
            self.link(case),
            status=status,
            birth_day=str(int(day)),
            birth_month=str(int(month)),
            birth_year=year,
        )

    def answer(self, answer, case=None, status=200, **data):
        case = case or self.case
        page = self.get(self.link(case)).text
        return self.post(
            f"{case.access_url}/answer",
            status=status,
            csrf_token=CSRF.search(page).group(1),
            token=case.page_token,
            answer=answer,
            **data,
        )


@tagged("post_install", "-at_install")
class TestConfirmationPage(ConfirmationPageCommon):
    # ---- links -----------------------------------------------------------------------
    def test_wrong_token_shows_nothing(self):
        for url in (
            self.link(token="x" * 32),
            f"/confirma/case/{self.case.id}",
            "/confirma/case/999999?token=abc",
        ):
            page = self.get(url, status=404).text
            self.assertIn("This link is not valid", page)
            self.assertNotIn("Anna", page)
        self.assertEqual(self.case.state, "notified")

    def test_second_factor_before_anything_personal(self):
        self.assertFalse(self.case.date_page_opened)
        page = self.get(self.link()).text
        self.assertTrue(self.case.date_page_opened)  # the link was followed
        self.assertIn("birth date", page)
        # the memorable-date pattern: three labelled boxes and a hint
        for box in ("day", "month", "year"):
            self.assertIn(f'for="confirma_birth_{box}"', page)
        self.assertIn("For example, 27 3 1950", page)
        self.assertNotIn("Anna", page)
        self.assertNotIn(self.case.explanation, page)
        wrong = self.verify(birthdate="1960-01-01", status=403).text
        self.assertIn("does not match", wrong)
        self.assertIn("Attempts left: <strong>4</strong>", wrong)
        self.assertNotIn("Anna", wrong)
        self.assertEqual(self.case.page_attempts, 1)
        offer = self.verify().text
        self.assertIn("Anna", offer)
        self.assertIn("Senior card", offer)
        self.assertIn(self.case.explanation.split(",")[0], offer)
        self.assertIn("Checks", offer)  # the phases, with their durations
        self.assertIn("at most 20 days", offer)
        self.assertEqual(self.case.page_attempts, 0)

    def test_a_date_that_does_not_exist_is_not_an_attempt(self):
        page = self.post(
            self.link(),
            status=400,
            birth_day="31",
            birth_month="2",
            birth_year="1959",
        ).text
        self.assertIn("Enter a real date of birth", page)
        # what was typed stays, the summary is read first, the boxes say so
        self.assertIn('value="31"', page)
        self.assertIn('value="1959"', page)
        self.assertIn('id="confirma_error_summary"', page)
        self.assertIn('autofocus="autofocus"', page)
        self.assertIn('aria-invalid="true"', page)
        self.assertNotIn("Anna", page)
        self.assertEqual(self.case.page_attempts, 0)
        # a wrong but real date keeps what was typed too, and counts
        wrong = self.verify(birthdate="1960-01-01", status=403).text
        self.assertIn('value="1960"', wrong)
        self.assertEqual(self.case.page_attempts, 1)

    def test_accessibility_statement_linked_from_every_public_page(self):
        for url in (
            "/confirma",
            self.link(),
            "/confirma/transparency",
            "/confirma/accessibility",
        ):
            with self.subTest(url=url):
                page = self.get(url).text
                self.assertIn('href="/confirma/accessibility', page)
                self.assertRegex(page, r'<html[^>]* lang="en-US"')
        statement = self.get("/confirma/accessibility").text
        self.assertIn("Royal Decree 1112/2018", statement)
        self.assertIn("partially compliant", statement)
        self.assertIn("Last reviewed on 30/11/2026", statement)

    def test_lockout_after_repeated_failures(self):
        for _attempt in range(4):
            self.verify(birthdate="1960-01-01", status=403)
        locked = self.verify(birthdate="1960-01-01", status=429).text
        self.assertIn("Page locked", locked)
        self.assertTrue(self.case.page_locked_until)
        # even the right birth date is refused while locked
        self.assertIn("Page locked", self.verify(status=429).text)
        self.assertIn("was locked", self.case.message_ids[:1].body)
        self.assertEqual(self.case.state, "notified")

    # ---- answers ---------------------------------------------------------------------
    def test_confirm_then_receipt_and_no_second_effect(self):
        self.verify()
        receipt = self.answer("confirm").text
        self.assertIn("Confirmed", receipt)
        self.assertIn(self.case.code, receipt)
        self.assertEqual(self.case.state, "confirmed")
        self.assertEqual(self.case.channel, "page")
        self.assertTrue(self.case.date_answered)
        self.assertEqual(self.case.answer_ip, "127.0.0.1")
        # the chatter notes follow in a batch, not while the resident waits
        self.assertEqual(self.page_notes(), (0, 0))
        self.assertEqual(self.case.answer_log_pending, "confirmed")
        cron = self.env.ref("confirma_tramites.ir_cron_page_answers")
        self.assertTrue(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        )
        cron.method_direct_trigger()
        self.assertEqual(self.page_notes(), (1, 1))
        self.assertFalse(self.case.answer_log_pending)
        note = self.case.message_ids.filtered(
            lambda m: "on the confirmation page on" in (m.body or "")
        )
        self.assertIn("confirmed by the resident", note.body)
        self.assertIn("from 127.0.0.1", note.body)
        # confirming twice: the same receipt, nothing else happens
        again = self.answer("confirm").text
        self.assertIn("Confirmed", again)
        self.assertFalse(self.case.answer_log_pending)
        cron.method_direct_trigger()
        self.assertEqual(self.page_notes(), (1, 1))
        self.assertIn("Confirmed", self.get(self.link()).text)
        pdf = self.url_open(
            f"{self.case.access_url}/receipt?token={self.case.page_token}"
        )
        self.assertEqual(pdf.status_code, 200)
        self.assertIn("attachment", pdf.headers["Content-Disposition"])
        if pdf.headers["Content-Type"].startswith("text/html"):
            # the report as Odoo renders it in tests
            self.assertIn(self.case.code, pdf.text)
        else:
            # a sealed original (Confirm@ Legal Documents renders a real PDF)
            self.assertTrue(pdf.content.startswith(b"%PDF-"))

    def test_decline_with_a_reason(self):
        self.verify()
        page = self.answer("decline", reason="We moved away").text
        self.assertIn("not interested", page)
        self.assertEqual(self.case.state, "declined")
        self.assertEqual(self.case.decline_reason, "We moved away")
        self.assertEqual(self.case.channel, "page")
        self.env["confirma.case"]._cron_page_answers()
        self.assertEqual(self.page_notes(), (1, 1))
        self.assertIn("declined by the resident", self.anna.message_ids[:1].body)
        # a later confirm has no effect
        self.answer("confirm")
        self.assertEqual(self.case.state, "declined")

    def test_objection_to_data_consultation(self):
        self.verify()
        page = self.answer("confirm", objection="1").text
        self.assertIn("objected to data consultation", page)
        self.assertEqual(self.case.state, "confirmed")
        self.assertTrue(self.case.data_objection)
        self.assertTrue(self.anna.data_opposition)
        self.assertEqual(self.anna.data_opposition_source, "confirmation_page")
        self.assertIn("Request the documents", self.case.activity_ids.summary)

    def test_answer_needs_the_second_factor(self):
        response = self.answer("confirm")
        self.assertIn("birth date", response.text)
        self.assertEqual(self.case.state, "notified")

    def test_expired_and_cancelled_offers(self):
        self.case.action_expire()
        self.verify(status=410)
        self.assertIn(
            "The time to answer has passed", self.get(self.link(), status=410).text
        )
        self.other.action_cancel()
        page = self.verify(self.other, birthdate="1961-06-16", status=410).text
        self.assertIn("withdrawn", page)
        self.assertEqual(self.other.state, "cancelled")

    # ---- code and document -----------------------------------------------------------
    def test_code_and_document(self):
        form = self.get("/confirma").text
        self.assertIn('for="confirma_code"', form)
        page = self.post(
            "/confirma",
            code=self.case.code.lower(),
            document="11111111-h",
        ).text
        self.assertIn("birth date", page)  # the case, second factor first
        for _attempt in range(4):
            wrong = self.post(
                "/confirma", status=404, code="AAAAAAAA", document="11111111H"
            ).text
            self.assertIn("found no offer", wrong)
        locked = self.post(
            "/confirma", status=429, code="AAAAAAAA", document="11111111H"
        ).text
        self.assertIn("Too many attempts", locked)

    # ---- portal -------------------------------------------------------------------
    def test_portal_account_sees_own_cases(self):
        self.env["res.users"].create(
            {
                "login": "anna_portal",
                "password": "anna_portal",
                "partner_id": self.anna.id,
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        self.authenticate("anna_portal", "anna_portal")
        page = self.get("/my/confirma").text
        self.assertIn(self.case.name, page)
        self.assertNotIn(self.other.name, page)  # Bernat's
        # logged in, she is who she says: the offer opens without a birth date
        offer = self.get(f"/my/confirma/{self.case.id}").text
        self.assertIn("Why you qualify", offer)
        self.assertIn(self.case.explanation.split(",")[0], offer)
        # someone else's case: back to her list, nothing shown
        other = self.get(f"/my/confirma/{self.other.id}").text
        self.assertNotIn("Bernat", other)
        self.assertNotIn("Why you qualify", other)

    def test_residents_load_no_script(self):
        """Outside test mode the page is plain HTML and one style sheet: no
        script for a resident's phone to load, no session data rendered for
        scripts. The forms work without JavaScript."""
        outside_tests = {"test_enable": False, "test_file": False}
        with patch.dict(config.options, outside_tests):
            for url in ("/confirma", self.link()):
                page = self.get(url).text
                self.assertNotIn("<script src", page)
                self.assertNotIn("__session_info__", page)
                self.assertRegex(page, r"<link[^>]+web\.assets_frontend[^>]+\.css")
                self.assertIn('name="csrf_token"', page)
        # in test mode, Odoo's frontend scripts drive the tours
        self.assertIn("__session_info__", self.get("/confirma").text)

    # ---- in a browser ----------------------------------------------------------------
    def test_tour_letter_link_to_receipt(self):
        """Headless Chromium: the letter's link, the birth date, confirm, the
        receipt."""
        self.start_tour(self.link(lang="es"), "confirma_confirmation_page")
        self.assertEqual(self.case.state, "confirmed")
        self.assertEqual(self.case.channel, "page")


@tagged("post_install", "-at_install")
class TestConfirmationPageLanguage(ConfirmationPageCommon):
    """With Spanish and Catalan installed: the resident's language, and the
    switch between them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in ("es_ES", "ca_ES"):
            cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"].search(
            [("name", "in", ("confirma_tramites", "web", "portal"))]
        )._update_translations(["es_ES", "ca_ES"])

    def test_language_switch(self):
        # Anna writes in Catalan: her page is in Catalan until she switches
        default = self.get(self.link()).text
        self.assertIn('lang="ca-ES"', default)
        self.assertIn("data de naixement", default)
        spanish = self.get(self.link(lang="es")).text
        self.assertIn('lang="es-ES"', spanish)
        self.assertIn("fecha de nacimiento", spanish)
        self.assertIn('aria-current="true"', spanish)
        # Bernat writes in Spanish
        self.assertIn('lang="es-ES"', self.get(self.link(self.other)).text)

    def test_switch_shows_the_language_rendered(self):
        """The highlighted language is the one the page is in, and
        ``<html lang>`` says so; Catalan is *Valencià* in a Valencian town
        and *Català* elsewhere."""
        catalan = self.get(self.link(lang="ca")).text
        self.assertIn('<html lang="ca-ES"', catalan)
        links = {
            short: re.search(rf'<a [^>]*lang="{short}"[^>]*>', catalan).group(0)
            for short in ("es", "ca")
        }
        self.assertIn('aria-current="true"', links["ca"])
        self.assertNotIn("aria-current", links["es"])
        self.company.confirma_ine_code = "46900"
        self.assertIn(">Valencià<", self.get(self.link(lang="ca")).text)
        self.company.confirma_ine_code = "08077"
        self.assertIn(">Català<", self.get(self.link(lang="ca")).text)


@tagged("post_install", "-at_install")
class TestConfirmationPageLanguageMissing(ConfirmationPageCommon):
    """Catalan not installed: a Catalan resident's page (and ``?lang=ca``)
    is in the municipality's language, and the switch offers only the
    languages installed, highlighting the one shown."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        catalan = (
            cls.env["res.lang"]
            .with_context(active_test=False)
            .search([("code", "=", "ca_ES")])
        )
        catalan.active = False
        cls.company.partner_id.lang = "es_ES"

    def test_falls_back_to_the_municipality_language(self):
        for page in (self.link(), self.link(lang="ca")):
            with self.subTest(page=page):
                text = self.get(page).text
                self.assertIn('<html lang="es-ES"', text)
                self.assertNotIn('lang="ca"', text)
