# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.confirma_citizen.tests.common import run_jobs
from odoo.addons.confirma_interop.scsp import certs
from odoo.addons.confirma_interop.tests.common import ConfirmaSimulatorCommon

from .. import seal
from .common import ConfirmaLegalCommon

DECLARATION = {
    "automation_definition_body": "Alcaldía",
    "automation_audit_body": "Servicio de Informática",
    "automation_appeals_body": "Alcaldía",
    "automation_approval": "Decreto 2026/123, de 2 de marzo",
}


@tagged("post_install", "-at_install")
class TestResolutions(ConfirmaLegalCommon):
    def instructed(self, case=None):
        case = self.confirm_at_counter(case)
        case.action_instruct()
        return case

    def test_automated_resolution_is_issued_sealed_and_notified(self):
        self.procedure.write(dict(DECLARATION, automated_resolution=True))
        self.anna.email = "anna@example.org"
        case = self.instructed()
        with freeze_time("2026-06-20 10:00:00"):
            _result, jobs = run_jobs(case.action_grant)
        self.assertEqual(
            sorted(job.func.__name__ for job in jobs),
            ["_issue_job", "_number_exits_job"],
        )
        resolution = case.resolution_ids
        self.assertEqual(resolution.state, "issued")
        self.assertEqual(resolution.name, "RES/2026/000001")
        self.assertEqual(resolution.outcome, "granted")
        self.assertTrue(resolution.automated)
        self.assertEqual(
            resolution.automation_approval, DECLARATION["automation_approval"]
        )
        self.assertFalse(resolution.approved_by_id)
        # sealed, with its CSV, and an exit of the register
        document = resolution.document_id
        self.assertEqual(document.kind, "resolution")
        self.assertTrue(seal.verify_pdf(document._pdf(), [self.ca_pem]).valid)
        self.assertEqual(resolution.register_entry_id.kind, "resolution")
        self.assertEqual(resolution.register_entry_id.direction, "out")
        self.assertEqual(resolution.register_entry_id.name, "RS/2026/000001")
        html = self._html("confirma_legal.action_report_resolution", resolution)
        self.assertIn("Automated administrative action", html)
        self.assertIn(DECLARATION["automation_approval"], html)
        self.assertIn("appeal for reconsideration", html)
        # notified by appearance: available for ten days, a notice by email
        notification = resolution.notification_ids
        self.assertEqual(notification.channel, "sede")
        self.assertEqual(notification.state, "pending")
        self.assertEqual(str(notification.date_deadline), "2026-06-30 10:00:00")
        self.assertEqual(notification.notice_channel, "email")
        notice = (
            self.env["mail.mail"]
            .sudo()
            .search(
                [("model", "=", "confirma.case"), ("res_id", "=", case.id)],
                order="id desc",
                limit=1,
            )
        )
        self.assertIn("you have a notification", notice.subject)
        self.assertNotIn("granted", notice.body_html)  # a notice without content
        # a job run twice issues nothing twice
        resolution._issue_job()
        self.assertEqual(len(self.Document.search([("kind", "=", "resolution")])), 1)

    def test_other_resolutions_wait_for_an_officer(self):
        case = self.instructed()
        case.action_deny()
        resolution = case.resolution_ids
        self.assertEqual((resolution.state, resolution.outcome), ("draft", "denied"))
        self.assertFalse(resolution.document_id)
        with self.assertRaises(AccessError):
            resolution.with_user(self.user_tramites).action_approve()
        resolution.with_user(self.officer_tramites).action_approve()
        self.assertEqual(resolution.state, "issued")
        self.assertEqual(resolution.approved_by_id, self.officer_tramites)
        self.assertTrue(resolution.date_approved)
        html = self._html("confirma_legal.action_report_resolution", resolution)
        self.assertIn("Approved by", html)
        self.assertIn("To deny", html)
        with self.assertRaises(UserError):
            resolution.with_user(self.officer_tramites).action_approve()

    def test_one_resolution_book_whatever_the_register_office(self):
        first = self.instructed()
        first.action_deny()
        first.resolution_ids.with_user(self.officer_tramites).action_approve()
        self.company.confirma_register_office = "O00012345"
        self.other.action_notify()
        second = self.instructed(self.other)
        second.action_deny()
        second.resolution_ids.with_user(self.officer_tramites).action_approve()
        self.assertEqual(
            [first.resolution_ids.number, second.resolution_ids.number], [1, 2]
        )

    def test_automation_must_be_declared(self):
        with self.assertRaises(ValidationError):
            self.procedure.automated_resolution = True
        self.procedure.write(dict(DECLARATION, automated_resolution=True))
        self.assertTrue(self.procedure.automation_declared)

    def test_ten_days_without_access_is_a_rejection(self):
        case = self.instructed()
        with freeze_time("2026-06-20 10:00:00"):
            case.action_grant()
            case.resolution_ids.with_user(self.officer_tramites).action_approve()
        notification = case.resolution_ids.notification_ids
        Notification = self.env["confirma.notification"]
        with freeze_time("2026-06-30 09:59:00"):
            self.assertEqual(Notification._cron_reject_expired(), 0)
        with freeze_time("2026-06-30 10:01:00"):
            self.assertEqual(Notification._cron_reject_expired(), 1)
        self.assertEqual(notification.state, "rejected")
        evidence = notification.evidence_id
        self.assertEqual(evidence.kind, "evidence")
        self.assertTrue(seal.verify_pdf(evidence._pdf(), [self.ca_pem]).valid)
        html = self._html(
            "confirma_legal.action_report_notification_evidence", notification
        )
        self.assertIn("deemed rejected", html)
        # opening it later changes nothing
        case.resolution_ids._notify_opened("portal")
        self.assertEqual(notification.state, "rejected")

    def test_paper_notification(self):
        self.anna.write({"preferred_channel": "post", "street": "Carrer Major 1"})
        case = self.instructed()
        case.action_grant()
        case.resolution_ids.with_user(self.officer_tramites).action_approve()
        notification = case.resolution_ids.notification_ids
        self.assertEqual(
            (notification.channel, notification.state), ("paper", "pending")
        )
        self.assertFalse(notification.date_deadline)
        action = notification.with_user(self.officer_tramites).action_print_notice()
        self.assertEqual(action["report_name"], "confirma_legal.report_paper_notice")
        html = self._html("confirma_legal.action_report_paper_notice", notification)
        self.assertIn("Acknowledgement of receipt", html)
        opened = notification.with_user(self.officer_tramites).action_open_delivery()
        wizard = (
            self.env[opened["res_model"]]
            .with_user(self.officer_tramites)
            .with_context(**opened["context"])
            .create({"date_delivered": "2026-06-25"})
        )
        with self.assertRaises(AccessError):
            wizard.with_user(self.user_tramites).action_apply()
        wizard.action_apply()
        self.assertEqual(notification.state, "delivered")
        self.assertEqual(str(notification.date_delivered), "2026-06-25")
        self.assertEqual(notification.registered_by_id, self.officer_tramites)
        self.assertTrue(notification.evidence_id)

    def _html(self, report, records):
        return (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                report,
                records.ids,
                data={"confirma_csv": "X", "confirma_csv_url": "https://e.org/c"},
            )[0]
            .decode()
        )


@tagged("post_install", "-at_install")
class TestEndToEndWithChecks(ConfirmaSimulatorCommon):
    """A case end to end, its requirements checked with the project's SCSP
    simulator: confirmed (an entry number), checked, resolved by the
    procedure's automated action, the resolution sealed with its CSV,
    notified at the sede and rejected ten days later; every document found
    by its CSV and valid."""

    def test_confirmed_checked_resolved_notified(self):
        self.procedure.write(dict(DECLARATION, automated_resolution=True))
        ca_pem = certs.pem(self.pki.ca)
        case = self.confirmed_cases(self.anna)
        entry = case._answer_entry()
        self.assertTrue(entry.name.startswith("RE/"))
        self.run_checks()
        self.assertEqual(case.state, "instruction")
        self.assertEqual(set(case.interop_check_ids.mapped("result")), {"met"})
        _result, jobs = run_jobs(case.action_grant)
        resolution = case.resolution_ids
        self.assertEqual((resolution.state, resolution.outcome), ("issued", "granted"))
        notification = resolution.notification_ids
        self.assertEqual(notification.state, "pending")
        with freeze_time(notification.date_deadline + timedelta(minutes=1)):
            self.env["confirma.notification"]._cron_reject_expired()
        self.assertEqual(notification.state, "rejected")
        Document = self.env["confirma.document"]
        documents = (
            case._receipt_document() | resolution.document_id | notification.evidence_id
        )
        self.assertEqual(len(documents), 3)
        for document in documents:
            self.assertEqual(Document._find_by_csv(document.csv_display), document)
            verdict = seal.verify_pdf(document._pdf(), [ca_pem])
            self.assertTrue(verdict.valid, verdict.problem)
