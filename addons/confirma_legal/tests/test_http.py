# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo.tests import HttpCase, tagged

from .. import seal
from .common import ConfirmaLegalCommon

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestVerificationPage(HttpCase, ConfirmaLegalCommon):
    """``/confirma/csv``, logged out: the original for its code, nothing
    without it, and guesses counted."""

    resident_langs = ("es_ES", "ca_ES")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        answer = cls.case.with_context(tracking_disable=True)
        answer.action_confirm(channel="page")
        cls.document = cls.case._receipt_document()

    def get(self, url, status=200):
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, status, response.text[:300])
        return response

    def post(self, csv, status=200, lang="en"):
        page = self.get(f"/confirma/csv?lang={lang}").text
        response = self.url_open(
            "/confirma/csv",
            data={"csrf_token": CSRF.search(page).group(1), "csv": csv, "lang": lang},
        )
        self.assertEqual(response.status_code, status, response.text[:300])
        return response

    def test_the_code_gives_the_original(self):
        form = self.get("/confirma/csv").text
        self.assertIn("Verify a document", form)
        self.assertIn('for="confirma_csv"', form)
        # typed as printed, or carelessly
        for typed in (self.document.csv_display, self.document.name.lower()):
            page = self.post(typed).text
            self.assertIn("This is an authentic document", page)
            self.assertIn(self.document.reference, page)
            self.assertIn(self.document.checksum, page)
            self.assertNotIn(self.anna.name, page)  # nothing personal on the page
        # the QR code's address
        self.assertTrue(
            self.document.verify_url.endswith(
                f"/confirma/csv?csv={self.document.csv_display}"
            )
        )
        page = self.get(f"/confirma/csv?csv={self.document.csv_display}").text
        self.assertIn(self.document.reference, page)
        pdf = self.get(f"/confirma/csv/{self.document.csv_display}/original.pdf")
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        self.assertEqual(pdf.content, self.document._pdf())
        self.assertTrue(seal.verify_pdf(pdf.content, [self.ca_pem]).valid)
        self.assertIn("no-store", pdf.headers.get("Cache-Control", ""))

    def test_the_resident_receipt_is_the_sealed_original(self):
        self.authenticate(None, None)
        link = f"{self.case.access_url}?token={self.case.page_token}"
        page = self.url_open(link).text
        year, month, day = "1959", "6", "15"
        self.url_open(
            link,
            data={
                "csrf_token": re.search(r'csrf_token: "([^"]+)"', page).group(1),
                "birth_day": day,
                "birth_month": month,
                "birth_year": year,
            },
        )
        receipt = self.get(f"{self.case.access_url}/receipt")
        self.assertEqual(receipt.content, self.document._pdf())

    def test_unknown_codes_are_counted(self):
        wrong = seal.new_csv()
        page = self.post(wrong, status=404).text
        self.assertIn("No document has that code", page)
        self.post("not a code", status=404)
        self.get(f"/confirma/csv/{wrong}/original.pdf", status=404)
        # the same code guessed again and again: locked, even the right one
        for _attempt in range(2):
            self.post(wrong, status=404)
        locked = self.post(wrong, status=429).text
        self.assertIn("Too many attempts", locked)

    def test_revoked_documents_say_so(self):
        self.document.with_user(self.manager_tramites)._revoke("Wrong amount")
        page = self.post(self.document.csv_display, status=410).text
        self.assertIn("This document was revoked", page)
        self.assertIn("Wrong amount", page)
        self.assertNotIn("original.pdf", page)
        self.get(f"/confirma/csv/{self.document.csv_display}/original.pdf", 410)

    def test_in_spanish_and_catalan(self):
        es = self.get("/confirma/csv?lang=es").text
        self.assertIn("Verificar un documento", es)
        ca = self.post(self.document.csv_display, lang="ca").text
        self.assertIn("document autèntic", ca)


@tagged("post_install", "-at_install")
class TestNotificationByAppearance(HttpCase, ConfirmaLegalCommon):
    """A case end to end: notified, confirmed (an entry number), checked,
    granted, the resolution sealed with its CSV, notified by appearance on
    the resident's page; every document verifiable on ``/confirma/csv``."""

    def verify_birthdate(self, case):
        link = f"{case.access_url}?token={case.page_token}"
        page = self.url_open(link).text
        born = case.partner_id.birthdate
        response = self.url_open(
            link,
            data={
                "csrf_token": re.search(r'csrf_token: "([^"]+)"', page).group(1),
                "birth_day": str(born.day),
                "birth_month": str(born.month),
                "birth_year": str(born.year),
            },
        )
        self.assertEqual(response.status_code, 200)
        return response

    def granted(self):
        """Anna's case confirmed at the counter, granted, its resolution
        approved by an officer."""
        self.confirm_at_counter()
        self.case.action_instruct()
        self.case.action_grant()
        resolution = self.case.resolution_ids
        resolution.with_user(self.officer_tramites).action_approve()
        return resolution

    def test_end_to_end(self):
        self.authenticate(None, None)
        self.verify_birthdate(self.case)
        answer = self.case.with_context(tracking_disable=True)
        answer.action_confirm(channel="page")
        entry = self.case._answer_entry()
        self.assertTrue(entry.name.startswith("RE/"))
        self.case.action_verify()
        self.case.action_instruct()
        self.case.action_grant()
        resolution = self.case.resolution_ids
        resolution.with_user(self.officer_tramites).action_approve()
        notification = resolution.notification_ids
        # the page offers the notification; opening it notifies
        page = self.url_open(self.case.access_url).text
        self.assertIn("Open the notification", page)
        pdf = self.url_open(f"{self.case.access_url}/resolution/{resolution.id}")
        self.assertEqual(pdf.status_code, 200)
        self.assertEqual(pdf.content, resolution.document_id._pdf())
        self.assertEqual(notification.state, "accessed")
        self.assertEqual(notification.identification, "link_birthdate")
        self.assertEqual(notification.access_ip, "127.0.0.1")
        self.assertIn("read it (PDF)", self.url_open(self.case.access_url).text)
        # every document of the case is verifiable by its CSV, logged out
        receipt = self.case._receipt_document()
        documents = receipt | resolution.document_id | notification.evidence_id
        self.assertEqual(
            set(documents.mapped("kind")), {"receipt", "resolution", "evidence"}
        )
        for document in documents:
            original = self.url_open(
                f"/confirma/csv/{document.csv_display}/original.pdf"
            )
            self.assertEqual(original.status_code, 200)
            self.assertEqual(original.content, document._pdf())
            self.assertTrue(seal.verify_pdf(original.content, [self.ca_pem]).valid)

    def test_someone_else_gets_nothing(self):
        resolution = self.granted()
        # without the birth date: not even with the token
        self.authenticate(None, None)
        response = self.url_open(
            f"{self.case.access_url}/resolution/{resolution.id}"
            f"?token={self.case.page_token}"
        )
        self.assertEqual(response.status_code, 404)
        # another resident's verified session: not this resolution
        self.other.action_notify()
        self.verify_birthdate(self.other)
        response = self.url_open(f"{self.other.access_url}/resolution/{resolution.id}")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(resolution.notification_ids.state, "pending")

    def test_opened_on_the_portal(self):
        resolution = self.granted()
        self.env["res.users"].create(
            {
                "login": "anna_portal",
                "password": "anna_portal",
                "partner_id": self.anna.id,
                "groups_id": [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        )
        self.authenticate("anna_portal", "anna_portal")
        portal = self.url_open("/my/confirma").text
        self.assertIn("Open the notification", portal)
        self.assertIn(f"/my/confirma/resolution/{resolution.id}", portal)
        pdf = self.url_open(f"/my/confirma/resolution/{resolution.id}")
        self.assertEqual(pdf.content, resolution.document_id._pdf())
        notification = resolution.notification_ids
        self.assertEqual(
            (notification.state, notification.identification), ("accessed", "portal")
        )
        self.assertEqual(
            self.url_open(
                f"/my/confirma/resolution/{resolution.id + 1000}"
            ).status_code,
            404,
        )


@tagged("post_install", "-at_install")
class TestTransparency(HttpCase, ConfirmaLegalCommon):
    def test_automated_actions_are_declared(self):
        page = self.url_open("/confirma/transparency").text
        self.assertNotIn("Automated administrative actions", page)
        self.procedure.write(
            {
                "automated_resolution": True,
                "automation_definition_body": "Mayor's Office",
                "automation_audit_body": "IT Service",
                "automation_appeals_body": "Mayor's Office",
                "automation_approval": "Decree 2026/123",
            }
        )
        page = self.url_open("/confirma/transparency").text
        self.assertIn("Automated administrative actions", page)
        self.assertIn("Resolves cases by itself.", page)
        self.assertIn("Decree 2026/123", page)
        self.assertIn("IT Service", page)
        self.assertIn(self.procedure.rule_id.summary.split("\n")[0][:30], page)
