# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import random
import threading
import time
import uuid

from freezegun import freeze_time
from psycopg2 import errors

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.confirma_citizen.tests.common import run_jobs

from .common import ConfirmaLegalCommon


@tagged("post_install", "-at_install")
class TestRegister(ConfirmaLegalCommon):
    def test_answers_are_entries(self):
        with freeze_time("2026-06-20 08:15:42"):
            self.confirm_at_counter(data_objection=True)
            self.other.action_notify()
            self.other.action_decline(channel="letter")
        confirm, objection = self.case.register_entry_ids.sorted("id")
        decline = self.other.register_entry_ids
        self.assertEqual(
            [(e.name, e.kind, e.channel, e.direction) for e in (confirm, objection)],
            [
                ("RE/2026/000001", "confirm", "counter", "in"),
                ("RE/2026/000002", "objection", "counter", "in"),
            ],
        )
        self.assertEqual(
            (decline.name, decline.kind, decline.channel),
            ("RE/2026/000003", "decline", "letter"),
        )
        self.assertEqual(str(confirm.date), "2026-06-20 08:15:42")
        self.assertEqual(confirm.partner_id, self.anna)
        self.assertEqual(confirm.partner_document, self.anna.document_number)
        self.assertEqual(confirm.sia_code, "123456")
        self.assertEqual(confirm.office_code, "RGE")
        self.assertEqual(
            confirm.summary, f"Confirmation of Senior card, case {self.case.name}"
        )
        self.assertEqual(self.case._answer_entry(), confirm)
        # answering again has no second effect, and no second entry
        self.assertFalse(self.case._page_answer("confirm"))
        self.assertEqual(len(self.case.register_entry_ids), 2)

    def test_numbers_per_year_in_the_town_time(self):
        """The year is the town's: 23:30 UTC on 31 December is already the
        next year in Madrid, and its book starts at 1."""
        with freeze_time("2026-12-31 22:30:00"):
            self.confirm_at_counter()
        with freeze_time("2026-12-31 23:30:00"):
            self.other.action_notify()
            self.other.action_confirm(channel="page")
        self.assertEqual(self.case._answer_entry().name, "RE/2026/000001")
        self.assertEqual(self.other._answer_entry().name, "RE/2027/000001")

    def test_office_and_exits_have_their_own_books(self):
        self.company.confirma_register_office = "O00012345"
        self.confirm_at_counter()
        entry = self.case._answer_entry()
        self.assertEqual(entry.office_code, "O00012345")
        self.assertEqual(entry.number, 1)
        exit_ = self.case._register_entries("offer", channel="email", direction="out")
        self.assertFalse(exit_.number)  # numbered by the job, moments later
        self.assertEqual(self.Entry._number_exits_job(), 1)
        self.assertEqual(exit_.name, f"RS/{entry.year}/000001")
        self.assertEqual(exit_.office_code, "O00012345")

    def test_the_book_is_read_only(self):
        self.confirm_at_counter()
        entry = self.case._answer_entry()
        for user in (self.user_tramites, self.manager_tramites):
            self.assertEqual(entry.with_user(user).name, entry.name)
            with self.assertRaises(UserError):
                entry.with_user(user).write({"summary": "changed"})
            with self.assertRaises(UserError):
                entry.with_user(user).unlink()
            with self.assertRaises(AccessError):
                self.Entry.with_user(user).create(
                    {"name": "RE/1/1", "direction": "in", "kind": "confirm"}
                )
        with self.assertRaises(UserError):
            entry.sudo().write({"summary": "changed"})
        with self.assertRaises(UserError):
            entry.sudo().unlink()

    def test_exits_are_numbered_in_the_order_of_their_time(self):
        """Two sending batches, the later one registered first in the
        database: numbers follow the time, without gaps, per year."""
        self.other.action_notify()
        with freeze_time("2026-06-20 10:00:00"):
            later = self.other._register_entries(
                "offer", channel="sms", direction="out"
            )
        with freeze_time("2026-06-20 09:00:00"):
            earlier = self.case._register_entries(
                "offer", channel="email", direction="out"
            )
        with freeze_time("2027-01-02 09:00:00"):
            next_year = self.case._register_entries(
                "offer", channel="email", direction="out"
            )
        self.assertEqual(self.Entry._number_exits_job(), 3)
        self.assertEqual(earlier.name, "RS/2026/000001")
        self.assertEqual(later.name, "RS/2026/000002")
        self.assertEqual(next_year.name, "RS/2027/000001")
        self.assertEqual(self.Entry._number_exits_job(), 0)

    def test_a_book_past_a_million(self):
        """A city's exits pass 999,999 in a year: the number keeps its digits
        (entries numbered at once and exits numbered by the job alike)."""
        self.env["confirma.register.counter"].create(
            [
                {
                    "company_id": self.company.id,
                    "office_code": "RGE",
                    "direction": direction,
                    "year": 2026,
                    "last_number": 999999,
                }
                for direction in ("in", "out")
            ]
        )
        with freeze_time("2026-06-20 09:00:00"):
            self.confirm_at_counter()
            exit_ = self.case._register_entries(
                "offer", channel="post", direction="out"
            )
        self.Entry._number_exits_job()
        self.assertEqual(self.case._answer_entry().name, "RE/2026/1000000")
        self.assertEqual(exit_.name, "RS/2026/1000000")

    def test_a_correction_is_a_new_entry(self):
        self.confirm_at_counter()
        entry = self.case._answer_entry()
        action = entry.with_user(self.officer_tramites).action_correct()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.officer_tramites)
            .with_context(**action["context"])
            .create({"reason": "The answer came by letter, not at the counter."})
        )
        opened = wizard.action_apply()
        correction = self.Entry.browse(opened["res_id"])
        self.assertEqual(correction.kind, "correction")
        self.assertEqual(correction.corrects_id, entry)
        self.assertEqual(correction.name, f"RE/{entry.year}/000002")
        self.assertIn(entry.name, correction.summary)
        self.assertEqual(entry.corrected_by_ids, correction)
        self.assertEqual(entry.kind, "confirm")  # unchanged
        with self.assertRaises(AccessError):
            wizard.with_user(self.user_tramites).action_apply()

    def test_a_failed_transaction_gives_its_numbers_back(self):
        self.confirm_at_counter()
        # the savepoint of assertRaises: what the failed transaction wrote
        # is undone
        with self.assertRaises(ValueError):
            self.other.action_notify()
            self.other.action_confirm(channel="page")
            self.assertEqual(self.other._answer_entry().number, 2)
            raise ValueError("something failed after the entry")
        self.env.invalidate_all()
        self.other.action_confirm(channel="page")
        self.assertEqual(self.other._answer_entry().number, 2)


@tagged("post_install", "-at_install")
class TestRegisterConcurrency(ConfirmaLegalCommon):
    """Parallel transactions on one book, each committing as a request does
    (retrying when PostgreSQL cannot serialize it, as Odoo retries a
    request): numbers 1..N, none repeated, none missing, even when some
    transactions fail after taking theirs."""

    WORKERS = 6
    EACH = 4

    def _entry(self, env, office, summary):
        return env["confirma.register.entry"]._add_entries(
            [
                {
                    "direction": "in",
                    "company_id": env.ref("base.main_company").id,
                    "office_code": office,
                    "kind": "confirm",
                    "channel": "page",
                    "summary": summary,
                }
            ]
        )

    def _work(self, index, office, barrier, failures):
        registry = self.env.registry
        try:
            barrier.wait(timeout=30)
            for n in range(self.EACH):
                fail_once = index == 0 and n == 1  # gives its number back
                for _attempt in range(200):
                    with registry.cursor() as cr:
                        env = api.Environment(cr, SUPERUSER_ID, {})
                        try:
                            self._entry(env, office, f"worker {index} #{n}")
                            # the rest of the request takes a moment
                            time.sleep(random.uniform(0, 0.02))
                            if fail_once:
                                fail_once = False
                                cr.rollback()
                                continue
                            cr.commit()  # pylint: disable=invalid-commit
                            break
                        except errors.SerializationFailure:
                            cr.rollback()
                            time.sleep(random.uniform(0, 0.05))
                else:
                    failures.append(f"worker {index} never got a number")
        except Exception as error:  # noqa: BLE001 - reported by the test
            failures.append(repr(error))

    def test_gapless_under_concurrency(self):
        office = f"T{uuid.uuid4().hex[:12]}"
        barrier = threading.Barrier(self.WORKERS)
        failures = []
        threads = [
            threading.Thread(target=self._work, args=(i, office, barrier, failures))
            for i in range(self.WORKERS)
        ]
        registry = self.env.registry
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=180)
            self.assertEqual(failures, [])
            with registry.cursor() as cr:
                cr.execute(
                    SQL(
                        "SELECT number FROM confirma_register_entry "
                        "WHERE office_code = %s ORDER BY number",
                        office,
                    )
                )
                numbers = [row[0] for row in cr.fetchall()]
            self.assertEqual(numbers, list(range(1, self.WORKERS * self.EACH + 1)))
        finally:
            with registry.cursor() as cr:
                for table in ("confirma_register_entry", "confirma_register_counter"):
                    cr.execute(
                        SQL(
                            "DELETE FROM %s WHERE office_code = %s",
                            SQL.identifier(table),
                            office,
                        )
                    )


@tagged("post_install", "-at_install")
class TestRegisterExits(ConfirmaLegalCommon):
    def test_offers_sent_are_exits(self):
        """A campaign's offers, by email, SMS and letter, are exits of the
        register, numbered in one batch; unreachable residents' are not."""
        self.env.company.email = "ajuntament@example.org"
        self.bernat.preferred_channel = "sms"
        self.driss.write({"street": "Carrer Nou 3", "preferred_channel": "post"})
        procedure = self.make_procedure(
            self.make_rule({"kind": "age", "min_value": 18}, name="Adults"),
            code="CAMP",
            name="Senior card",
        )
        campaign = self.env["confirma.campaign"].create(
            {"name": "Senior card 2026", "procedure_id": procedure.id}
        )
        with freeze_time("2026-06-15 09:00:00"):
            sent, jobs = run_jobs(campaign.launch)
        self.assertIn("_number_exits_job", [job.func.__name__ for job in jobs])
        self.assertEqual(sent, {"email": 1, "sms": 1, "post": 1, "none": 0})
        exits = self.Entry.search([("direction", "=", "out")], order="number")
        self.assertEqual(
            [e.name for e in exits],
            ["RS/2026/000001", "RS/2026/000002", "RS/2026/000003"],
        )
        self.assertEqual(set(exits.mapped("kind")), {"offer"})
        self.assertEqual(
            {e.partner_id: e.channel for e in exits},
            {self.anna: "email", self.bernat: "sms", self.driss: "post"},
        )
        self.assertEqual(exits.case_id, campaign.case_ids)
        self.assertTrue(all("Offer of Senior card" in e.summary for e in exits))
