# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .. import seal
from .common import ConfirmaLegalCommon, blank_pdf


@tagged("post_install", "-at_install")
class TestSealedReceipt(ConfirmaLegalCommon):
    def test_receipt_sealed_once_with_its_csv(self):
        self.confirm_at_counter()
        document = self.case._receipt_document()
        self.assertEqual(document.kind, "receipt")
        self.assertEqual(document.register_entry_id, self.case._answer_entry())
        self.assertEqual(document.title, f"Receipt {document.register_entry_id.name}")
        self.assertEqual(document.reference, document.register_entry_id.name)
        self.assertTrue(document.sealed)
        self.assertEqual(
            document.seal_subject, "SELLO DE PRUEBAS AJUNTAMENT DE VILADEMO (P4600000J)"
        )
        self.assertEqual(len(document.name), seal.CSV_LENGTH)
        pdf = document._pdf()
        self.assertTrue(pdf.startswith(b"%PDF-"))
        self.assertEqual(document.checksum, seal.sha256(pdf))
        # pyHanko's validator: intact, covering the whole file, trusted
        verdict = seal.verify_pdf(pdf, [self.ca_pem])
        self.assertTrue(verdict.valid, verdict.problem)
        self.assertIn("SELLO DE PRUEBAS", verdict.signer)
        self.assertTrue(verdict.signing_time)
        self.assertEqual(verdict.reason, f"CSV {document.csv_display}")
        # printed on it (the HTML wkhtmltopdf drew it from): the CSV, the
        # verification address, the register entry, the time to resolve
        html = self._receipt_html(document)
        self.assertIn(document.csv_display, html)
        self.assertIn(f"/confirma/csv?csv={document.csv_display}", html)
        self.assertIn(document.register_entry_id.name, html)
        self.assertIn("within <span>60</span> days", html)
        # re-printing returns the same file
        self.assertEqual(self.case._receipt_document(), document)
        self.assertEqual(self.case._receipt_pdf(), (pdf, "pdf"))
        # printed from the case's menu or at the counter: the same file
        action = self.case.with_user(self.officer_tramites).action_print_receipt()
        self.assertEqual(action["report_name"], "confirma_tramites.report_case_receipt")
        printed = (
            self.env["ir.actions.report"]
            .with_user(self.officer_tramites)
            ._render_qweb_pdf(
                "confirma_tramites.action_report_case_receipt", self.case.ids
            )
        )
        self.assertEqual(printed, (pdf, "pdf"))
        self.assertEqual(
            self.Document.search([("case_id", "=", self.case.id)]), document
        )

    def _receipt_html(self, document):
        return (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "confirma_tramites.action_report_case_receipt",
                self.case.ids,
                data={
                    "confirma_csv": document.csv_display,
                    "confirma_csv_url": document.verify_url,
                },
            )[0]
            .decode()
        )

    def test_the_receipt_email_carries_the_sealed_receipt(self):
        self.anna.email = "anna@example.org"
        self.confirm_at_counter(receipt="email")
        document = self.case._receipt_document()
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "confirma.case"), ("res_id", "=", self.case.id)])
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.attachment_ids, document.attachment_id)
        self.assertEqual(mail.attachment_ids.raw, document._pdf())

    def test_changed_or_unknown_seals_fail(self):
        self.confirm_at_counter()
        pdf = self.case._receipt_document()._pdf()
        # a byte changed inside the sealed range
        at = pdf.index(b"/Producer") if b"/Producer" in pdf else 200
        tampered = pdf[:at] + bytes([pdf[at] ^ 1]) + pdf[at + 1 :]
        self.assertFalse(seal.verify_pdf(tampered, [self.ca_pem]).valid)
        # a seal of another authority
        other = seal.verify_pdf(pdf, [])
        self.assertTrue(other.intact)
        self.assertFalse(other.trusted)
        self.assertFalse(other.valid)
        # sealed with a certificate not meant for signing (an authority's)
        from odoo.addons.confirma_interop.scsp import certs

        wrong_key = seal.verify_pdf(
            seal.seal_pdf(
                blank_pdf(),
                certs.key_pem(self.pki.ca_key),
                certs.pem(self.pki.ca),
            ),
            [self.ca_pem],
        )
        self.assertTrue(wrong_key.intact)
        self.assertFalse(wrong_key.valid)
        # not sealed at all
        self.assertFalse(seal.verify_pdf(b"%PDF-1.4 nothing").sealed)

    def test_documents_never_change(self):
        self.confirm_at_counter()
        document = self.case._receipt_document()
        with self.assertRaises(UserError):
            document.sudo().write({"title": "Something else"})
        with self.assertRaises(UserError):
            document.sudo().unlink()
        # the stored file altered behind Odoo's back: detected on reading
        document.attachment_id.sudo().write({"raw": b"%PDF-1.4 forged"})
        with self.assertRaises(UserError):
            document._pdf()

    def test_officers_read_managers_revoke(self):
        self.confirm_at_counter()
        document = self.case._receipt_document()
        as_user = document.with_user(self.user_tramites)
        self.assertEqual(as_user.title, document.title)
        with self.assertRaises(AccessError):
            as_user.write({"state": "revoked"})
        with self.assertRaises(AccessError):
            as_user.action_revoke()
        with self.assertRaises(AccessError):
            self.Document.with_user(self.officer_tramites).create(
                {"name": "X", "title": "X", "kind": "receipt"}
            )
        as_manager = document.with_user(self.manager_tramites)
        action = as_manager.action_revoke()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.manager_tramites)
            .with_context(**action["context"])
            .create({"reason": "Issued to the wrong person"})
        )
        wizard.action_revoke()
        self.assertEqual(document.state, "revoked")
        self.assertEqual(document.revoke_reason, "Issued to the wrong person")
        self.assertEqual(document.revoked_by_id, self.manager_tramites)
        with self.assertRaises(UserError):
            as_manager._revoke("  ")

    def test_other_municipality_sees_nothing(self):
        self.confirm_at_counter()
        document = self.case._receipt_document()
        other_town = self.env["res.company"].create({"name": "Altrepoble"})
        stranger = self.officer_tramites.copy(
            {
                "login": "altrepoble_officer",
                "company_id": other_town.id,
                "company_ids": [(6, 0, other_town.ids)],
            }
        )
        self.assertFalse(self.Document.with_user(stranger).search([]))
        self.assertFalse(self.Entry.with_user(stranger).search([]))
        with self.assertRaises(AccessError):
            document.with_user(stranger).read(["title"])

    def test_unsealed_without_a_certificate(self):
        """A town without a seal still gets its receipts, marked unsealed."""
        self.platform.write({"certificate": False})
        self.confirm_at_counter()
        document = self.case._receipt_document()
        self.assertFalse(document.sealed)
        self.assertFalse(seal.verify_pdf(document._pdf()).sealed)

    def test_certificate_of_a_case_state(self):
        self.confirm_at_counter()
        with self.assertRaises(AccessError):
            self.case.with_user(self.user_tramites).action_issue_certificate()
        action = self.case.with_user(self.officer_tramites).action_issue_certificate()
        certificate = self.Document.search(
            [("case_id", "=", self.case.id), ("kind", "=", "certificate")]
        )
        self.assertEqual(len(certificate), 1)
        self.assertIn(str(certificate.attachment_id.id), action["url"])
        self.assertEqual(certificate.reference, self.case.name)
        self.assertTrue(seal.verify_pdf(certificate._pdf(), [self.ca_pem]).valid)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "confirma_legal.action_report_case_certificate",
                self.case.ids,
                data={"confirma_csv": "X", "confirma_csv_url": "https://e.org/c"},
            )[0]
            .decode()
        )
        self.assertIn("Certificate of the state of a case", html)
        self.assertIn(self.case._answer_entry().name, html)
        self.assertIn("Confirmed", html)


@tagged("post_install", "-at_install")
class TestLetters(ConfirmaLegalCommon):
    """Offer letters carry their own CSV, each kept as a sealed document."""

    def test_campaign_letters_split_and_sealed(self):
        self.env.company.email = "ajuntament@example.org"
        for partner in (self.anna, self.bernat, self.driss):
            partner.write({"street": "Carrer Nou 3", "preferred_channel": "post"})
        procedure = self.make_procedure(
            self.make_rule({"kind": "age", "min_value": 18}, name="Adults"),
            code="LETTERS",
            name="Senior card",
        )
        campaign = self.env["confirma.campaign"].create(
            {"name": "Letters", "procedure_id": procedure.id}
        )
        campaign.launch()
        letters = campaign.case_ids.filtered(lambda c: c.outreach_channel == "post")
        self.assertEqual(len(letters), 3)
        # a real PDF (Odoo renders HTML in tests): one page per letter, split
        campaign.with_context(force_report_rendering=True).action_print_letters()
        documents = self.Document.search(
            [("kind", "=", "letter"), ("case_id", "in", letters.ids)]
        )
        self.assertEqual(documents.case_id, letters)
        for document in documents:
            self.assertEqual(document.reference, document.case_id.name)
            verdict = seal.verify_pdf(document._pdf(), [self.ca_pem])
            self.assertTrue(verdict.valid, verdict.problem)
            self.assertEqual(verdict.reason, f"CSV {document.csv_display}")
        # what is printed carries each letter's code
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "confirma_tramites.action_report_case_letter",
                letters.ids,
                data={
                    "confirma_letter_csv": self.Document._letter_csv(
                        {d.case_id.id: d.name for d in documents}
                    )
                },
            )[0]
            .decode()
        )
        for document in documents:
            self.assertIn(document.csv_display, html)
        # printed again from one case's menu: a letter of its own, its CSV
        case = letters[0]
        notes = len(case.message_ids)
        self.env["ir.actions.report"]._render_qweb_pdf(
            "confirma_tramites.action_report_case_letter", case.ids
        )
        again = self.Document.search(
            [("kind", "=", "letter"), ("case_id", "=", case.id)]
        )
        self.assertEqual(len(again), 2)
        self.assertTrue(seal.verify_pdf(again[0]._pdf(), [self.ca_pem]).valid)
        self.assertEqual(len(case.message_ids), notes + 1)  # one note, not two
