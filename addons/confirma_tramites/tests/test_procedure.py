# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

import psycopg2
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.confirma_case import CODE_ALPHABET, CODE_LENGTH
from .common import REFERENCE, ConfirmaPopulationCommon, stored_values


@tagged("post_install", "-at_install")
class TestProcedure(ConfirmaPopulationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seniors = cls.make_rule({"kind": "age", "min_value": 65}, name="Seniors")
        cls.adults = cls.make_rule({"kind": "age", "min_value": 18}, name="Adults")

    def test_workflow_records_the_approval(self):
        procedure = self.make_procedure(self.seniors, state="draft", code="WF")
        procedure = procedure.with_user(self.manager_tramites)
        procedure.action_submit()
        self.assertEqual(procedure.state, "review")
        procedure.action_approve_protocol()
        self.assertEqual(procedure.state, "approved")
        self.assertEqual(procedure.approved_by_id, self.manager_tramites)
        self.assertTrue(procedure.approved_date)
        procedure.action_activate()
        self.assertEqual(procedure.state, "active")
        with self.assertRaises(UserError):
            procedure.action_submit()

    def test_officer_cannot_approve(self):
        procedure = self.make_procedure(self.seniors, state="review", code="WF2")
        with self.assertRaises(AccessError):
            procedure.with_user(self.officer_tramites).action_approve_protocol()

    def test_activation_needs_a_rule(self):
        procedure = self.make_procedure(state="approved", code="NORULE")
        with self.assertRaises(UserError):
            procedure.with_user(self.manager_tramites).action_activate()

    def test_no_case_unless_active(self):
        for state in ("draft", "review", "approved", "retired"):
            procedure = self.make_procedure(
                self.seniors, state=state, code=f"S-{state}"
            )
            with self.subTest(state=state), self.assertRaises(UserError):
                procedure.with_user(self.officer_tramites).sweep(reference=REFERENCE)
            with self.subTest(state=state), self.assertRaises(UserError):
                self.env["confirma.case"].create(
                    {"partner_id": self.anna.id, "procedure_id": procedure.id}
                )

    def test_no_case_outside_validity(self):
        procedure = self.make_procedure(
            self.seniors, code="OLD", date_start="2020-01-01", date_end="2021-12-31"
        )
        with self.assertRaises(UserError):
            procedure.sweep(reference=REFERENCE)

    @freeze_time("2026-06-15")
    def test_sweep_opens_cases_once(self):
        procedure = self.make_procedure(self.adults, code="ADULT")
        procedure = procedure.with_user(self.officer_tramites)
        created, skipped = procedure.sweep(extra_domain=[("id", "in", self.town.ids)])
        self.assertEqual((created, skipped), (3, 0))
        cases = procedure.case_ids
        self.assertEqual(cases.partner_id, self.anna | self.bernat | self.driss)
        self.assertEqual(set(cases.mapped("period")), {"2026"})
        self.assertEqual(set(cases.mapped("state")), {"proposed"})
        self.assertEqual(set(cases.mapped("origin")), {"sweep"})
        names = cases.mapped("name")
        self.assertEqual(len(set(names)), 3)
        # the case sequence's numbers, padded, after its prefix for the year
        self.assertTrue(all(re.fullmatch(r"EXP/2026/\d{6}", name) for name in names))
        numbers = sorted(int(name.rsplit("/", 1)[1]) for name in names)
        self.assertEqual(numbers, list(range(numbers[0], numbers[0] + 3)))
        # the same sweep again: nothing new
        self.assertEqual(
            procedure.sweep(extra_domain=[("id", "in", self.town.ids)]), (0, 3)
        )
        self.assertEqual(len(procedure.case_ids), 3)
        case = cases.filtered(lambda c: c.partner_id == self.anna)
        self.assertEqual(len(case.code), CODE_LENGTH)
        self.assertTrue(set(case.code) <= set(CODE_ALPHABET))
        self.assertGreaterEqual(len(case.page_token), 32)  # >= 192 bits
        self.assertTrue(case.explanation.startswith("You are 67"))
        self.assertEqual(str(case.date_deadline), "2026-07-15")
        self.assertEqual(case.phase_id.kind, "initiation")

    def test_database_refuses_a_second_open_case(self):
        procedure = self.make_procedure(self.adults, code="UNIQ")
        vals = {
            "partner_id": self.anna.id,
            "procedure_id": procedure.id,
            "period": "2026",
        }
        first = self.env["confirma.case"].create(vals)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.UniqueViolation),
            self.env.cr.savepoint(),
        ):
            self.env["confirma.case"].create(vals)
        # a cancelled case frees the slot
        first.action_cancel()
        self.env["confirma.case"].create(vals)

    def test_open_cases_skips_concurrent_duplicates(self):
        """A batch that races with another trigger is retried without the
        residents that got their case meanwhile."""
        procedure = self.make_procedure(self.adults, code="RACE")
        Case = self.env["confirma.case"]
        Case.create(
            {
                "partner_id": self.bernat.id,
                "procedure_id": procedure.id,
                "period": "2026",
            }
        )
        with mute_logger("odoo.sql_db"):
            cases = Case._open_cases(
                procedure, self.anna | self.bernat | self.driss, "sweep", REFERENCE
            )
        self.assertEqual(cases.partner_id, self.anna | self.driss)

    def test_cases_opened_set_based_as_create_makes_them(self):
        """A sweep's cases are inserted set-based: every stored value as
        ``create()`` stores it from the same values (but the number, code
        and link token, each its own), the phase and deadline included."""
        procedure = self.make_procedure(self.adults, code="BULK")
        Case = self.env["confirma.case"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True
        )
        residents = self.anna | self.bernat | self.driss
        opened = Case._open_cases(procedure, residents, "sweep", REFERENCE)
        self.assertEqual(opened.beneficiary_id, residents)
        self.assertEqual(set(opened.mapped("phase_id.kind")), {"initiation"})
        self.assertEqual(
            {str(d) for d in opened.mapped("date_deadline")}, {"2026-07-15"}
        )
        skip = ("name", "code", "page_token")
        self.env.invalidate_all()
        inserted = {c.beneficiary_id.id: stored_values(c, skip) for c in opened}
        self.assertEqual(len(set(opened.mapped("code"))), 3)
        vals_list = [
            {
                "partner_id": case.partner_id.id,
                "beneficiary_id": case.beneficiary_id.id,
                "procedure_id": procedure.id,
                "period": case.period,
                "origin": case.origin,
                "explanation": case.explanation,
                "date_state": case.date_state,
            }
            for case in opened
        ]
        # the same cases again, by create() (the first ones cancelled, in
        # the database, so that the unique index lets them in)
        self.env.cr.execute(
            "UPDATE confirma_case SET state = 'cancelled' WHERE id = ANY(%s)",
            [opened.ids],
        )
        created = Case.create(vals_list)
        self.env.invalidate_all()
        self.assertEqual(
            {c.beneficiary_id.id: stored_values(c, skip) for c in created}, inserted
        )

    def test_new_period_new_case(self):
        procedure = self.make_procedure(self.seniors, code="YEAR")
        with freeze_time("2026-06-15"):
            self.assertEqual(
                procedure.sweep(extra_domain=[("id", "in", self.town.ids)])[0], 1
            )
        with freeze_time("2027-01-05"):
            # Bernat turned 65 meanwhile; Anna gets the 2027 benefit
            self.assertEqual(
                procedure.sweep(extra_domain=[("id", "in", self.town.ids)])[0], 2
            )
        self.assertEqual(
            sorted(procedure.case_ids.mapped("period")), ["2026", "2027", "2027"]
        )

    def test_opposition_excludes_when_data_are_queried(self):
        procedure = self.make_procedure(
            self.adults,
            code="DATA",
            requirement_ids=[
                (0, 0, {"name": "Income below threshold", "method": "interop"})
            ],
        )
        self.assertTrue(procedure.needs_data_query)
        eligible = self.env["res.partner"].search(
            procedure._eligible_domain(REFERENCE) + [("id", "in", self.town.ids)]
        )
        self.assertEqual(eligible, self.anna | self.bernat)

    def test_document_counts(self):
        procedure = self.make_procedure(
            self.adults,
            code="DOCS",
            requirement_ids=[
                (0, 0, {"name": "ID", "document_before": True, "method": "interop"}),
                (
                    0,
                    0,
                    {
                        "name": "Census certificate",
                        "document_before": True,
                        "method": "data",
                    },
                ),
                (
                    0,
                    0,
                    {
                        "name": "Bank account",
                        "document_before": True,
                        "document_now": True,
                        "method": "document",
                    },
                ),
            ],
        )
        self.assertEqual(procedure.document_before_count, 3)
        self.assertEqual(procedure.document_now_count, 1)

    def test_periods(self):
        procedure = self.make_procedure(self.adults, code="PER")
        for periodicity, key in (
            ("once", "once"),
            ("yearly", "2026"),
            ("half_yearly", "2026-H1"),
            ("quarterly", "2026-Q2"),
            ("monthly", "2026-06"),
        ):
            procedure.periodicity = periodicity
            self.assertEqual(procedure._period(REFERENCE)[0], key)

    def test_case_workflow(self):
        procedure = self.make_procedure(self.adults, code="FLOW")
        case = self.env["confirma.case"]._open_cases(
            procedure, self.anna, "sweep", REFERENCE
        )
        case = case.with_user(self.officer_tramites)
        with self.assertRaises(UserError):
            case.action_grant()
        case.action_notify()
        case.action_confirm(channel="page")
        self.assertEqual((case.state, case.channel), ("confirmed", "page"))
        # not granted before the requirements are checked
        with self.assertRaises(UserError):
            case.action_grant()
        case.action_instruct()
        self.assertEqual(case.phase_id.kind, "instruction")
        case.action_grant()
        case.action_close()
        self.assertEqual((case.state, case.resolution), ("closed", "granted"))

    def test_manager_grants_before_the_checks_with_a_reason(self):
        procedure = self.make_procedure(self.adults, code="OVER")
        case = self.env["confirma.case"]._open_cases(
            procedure, self.anna, "sweep", REFERENCE
        )
        case.action_confirm(channel="page")
        Override = self.env["confirma.case.grant.override"]
        # officers cannot (no access to the dialog, nor its action)
        with self.assertRaises(AccessError):
            Override.with_user(self.officer_tramites).create({"case_id": case.id})
        opened = case.with_user(self.manager_tramites).action_grant_override()
        dialog = Override.with_user(self.manager_tramites).browse(opened["res_id"])
        with self.assertRaises(UserError):
            dialog.action_apply()  # no reason
        self.assertEqual(case.state, "confirmed")
        dialog.reason = "Urgent: the family is at risk"
        dialog.action_apply()
        self.assertEqual((case.state, case.resolution), ("granted", "granted"))
        self.assertTrue(
            case.message_ids.filtered(
                lambda m: "Urgent: the family is at risk" in (m.body or "")
            )
        )

    def test_expiry_cron(self):
        procedure = self.make_procedure(self.adults, code="EXP")
        with freeze_time("2026-06-15"):
            cases = self.env["confirma.case"]._open_cases(
                procedure, self.anna | self.bernat, "sweep", REFERENCE
            )
            cases.filtered(lambda c: c.partner_id == self.bernat).action_confirm()
        with freeze_time("2026-07-20"):
            self.assertEqual(self.env["confirma.case"]._cron_expire(), 1)
        self.assertEqual(
            cases.filtered(lambda c: c.partner_id == self.anna).state, "expired"
        )

    def test_access(self):
        procedure = self.make_procedure(self.adults, code="ACC")
        case = self.env["confirma.case"]._open_cases(
            procedure, self.anna, "sweep", REFERENCE
        )
        # a Confirm@ user reads but does not change
        self.assertTrue(case.with_user(self.user_tramites).read(["state"]))
        with self.assertRaises(AccessError):
            case.with_user(self.user_tramites).action_confirm()
        with self.assertRaises(AccessError):
            self.env["confirma.procedure"].with_user(self.officer_tramites).create(
                {"name": "X", "code": "X"}
            )
        # plain internal users see no case, no procedure
        with self.assertRaises(AccessError):
            case.with_user(self.user_internal).read(["state"])
        with self.assertRaises(AccessError):
            procedure.with_user(self.user_internal).read(["name"])

    def test_cases_of_a_batch_checked_for_their_company(self):
        """Cases opened together are checked set-based: a resident of
        another town among them is refused as Odoo refuses it, naming it."""
        other = self.env["res.company"].create({"name": "Another town"})
        stranger = self.env["res.partner"].create(
            {"name": "Stranger", "is_resident": True, "company_id": other.id}
        )
        procedure = self.make_procedure(self.adults, code="CC")
        Case = self.env["confirma.case"]
        vals = [
            {"procedure_id": procedure.id, "partner_id": partner.id}
            for partner in (self.anna, self.bernat, stranger)
        ]
        with self.assertRaisesRegex(UserError, "(?s)Incompatible companies.*Stranger"):
            with self.env.cr.savepoint():
                Case.create(vals)
        cases = Case.create(vals[:2])
        self.assertEqual(cases.partner_id, self.anna | self.bernat)
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            with self.env.cr.savepoint():
                cases.write({"beneficiary_id": stranger.id})

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "Another town"})
        procedure = self.make_procedure(self.adults, code="MC")
        self.env["confirma.case"]._open_cases(procedure, self.anna, "sweep", REFERENCE)
        self.officer_tramites.write(
            {"company_ids": [(6, 0, [other.id])], "company_id": other.id}
        )
        Case = self.env["confirma.case"].with_user(self.officer_tramites)
        self.assertFalse(Case.search([("procedure_id", "=", procedure.id)]))
