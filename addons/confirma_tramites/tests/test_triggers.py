# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.confirma_citizen.tests.common import run_jobs
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import REFERENCE, ConfirmaPopulationCommon, answer_at_counter

ANSWER = "confirma.counter.answer"
RECEIPT = "confirma_tramites.report_case_receipt"


@tagged("post_install", "-at_install")
class TestTriggers(ConfirmaPopulationCommon):
    def commit_hooks(self):
        """What happens when the transaction commits (tests never commit)."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    @freeze_time("2026-06-15")
    def test_birth_in_a_household_opens_the_parents_case(self):
        rule = self.make_rule(
            {"kind": "age", "min_value": 18},
            {"kind": "household_minors", "min_value": 1},
            name="Parents",
        )
        procedure = self.make_procedure(rule, code="BIRTH", trigger_event=True)
        other = self.make_procedure(rule, code="NOEVENT")
        self.commit_hooks()
        self.assertFalse(procedure.case_ids)
        # a baby is registered in Driss's household
        self.env["res.partner"].with_user(self.officer_citizen).create(
            {
                "is_resident": True,
                "padron_state": "active",
                "first_name": "Nour",
                "surname1": "Alami",
                "birthdate": "2026-06-10",
                "padron_registration_date": "2026-06-12",
                "household_id": self.h3.id,
                "household_relation": "child",
            }
        )
        self.commit_hooks()
        self.assertEqual(procedure.case_ids.partner_id, self.driss)
        self.assertEqual(procedure.case_ids.origin, "event")
        self.assertFalse(other.case_ids, "only event-driven procedures react")

    @freeze_time("2026-06-15")
    def test_leaving_a_household_reevaluates_who_stays(self):
        rule = self.make_rule(
            {"kind": "age", "min_value": 18},
            {"kind": "household_size", "max_value": 1},
            name="Living alone",
        )
        procedure = self.make_procedure(rule, code="ALONE", trigger_event=True)
        self.commit_hooks()
        # Carla moves from Bernat's household to Anna's: Bernat now lives
        # alone, though nothing changed on his own record
        self.carla.with_user(self.officer_citizen).household_id = self.h1
        self.commit_hooks()
        self.assertEqual(procedure.case_ids.partner_id, self.bernat)
        self.assertEqual(procedure.case_ids.origin, "event")

    @freeze_time("2026-06-15")
    def test_a_burst_without_event_procedures_queues_nothing(self):
        """A month of padrón changes in a town whose procedures do not
        listen to events: no evaluation and no job. Once one listens, the
        burst is handed to the sweep channel's jobs."""
        rule = self.make_rule({"kind": "age", "min_value": 18}, name="Adults")
        self.make_procedure(rule, code="NOEVENT")
        self.commit_hooks()
        residents = self.anna | self.bernat | self.carla
        Procedure = self.env["confirma.procedure"]
        module = "odoo.addons.confirma_tramites.models.confirma_procedure"
        with patch(f"{module}.EVENT_BURST", 1), trap_jobs() as trap:
            Procedure._queue_event(residents)
            self.commit_hooks()
            self.assertEqual(trap.enqueued_jobs, [])
            listening = self.make_procedure(rule, code="EVENT", trigger_event=True)
            Procedure._queue_event(residents)
            self.commit_hooks()
            self.assertEqual(
                [job.method_name for job in trap.enqueued_jobs],
                ["_trigger_residents_job"],
            )
            trap.perform_enqueued_jobs()
        # the adults among them (Carla is a minor)
        self.assertEqual(listening.case_ids.partner_id, self.anna | self.bernat)

    @freeze_time("2026-06-15")
    def test_a_failing_sensor_does_not_block_the_others(self):
        rule = self.make_rule({"kind": "age", "min_value": 18}, name="Adults")
        broken = self.make_procedure(rule, code="BROKEN", trigger_event=True)
        working = self.make_procedure(rule, code="WORKS", trigger_event=True)
        Procedure = type(self.env["confirma.procedure"])
        original = Procedure.sweep

        def sweep(procedure, *args, **kwargs):
            if procedure.code == "BROKEN":
                raise ValueError("rule out of order")
            return original(procedure, *args, **kwargs)

        with (
            patch.object(Procedure, "sweep", sweep),
            mute_logger("odoo.addons.confirma_tramites.models.confirma_procedure"),
        ):
            self.env["confirma.fact"].create(
                {
                    "partner_id": self.anna.id,
                    "type_id": self.large_family.id,
                    "value_boolean": True,
                    "date": "2026-06-01",
                }
            )
            self.commit_hooks()
        self.assertEqual(working.case_ids.partner_id, self.anna)
        self.assertFalse(broken.case_ids)
        self.assertIn("rule out of order", broken.message_ids[:1].body)

    @freeze_time("2026-06-15")
    def test_new_fact_triggers_evaluation(self):
        rule = self.make_rule(
            {"kind": "fact", "fact_type_id": self.large_family.id}, name="Large"
        )
        procedure = self.make_procedure(rule, code="IBI", trigger_event=True)
        self.env["confirma.fact"].with_user(self.officer_citizen).create(
            {
                "partner_id": self.anna.id,
                "type_id": self.large_family.id,
                "value_boolean": True,
                "date": "2026-06-01",
            }
        )
        self.commit_hooks()
        # only Anna was evaluated: Driss qualifies too, but nothing changed
        # for him, so he waits for the next sweep
        self.assertEqual(procedure.case_ids.partner_id, self.anna)

    def test_daily_sensor_picks_only_who_crossed_the_threshold(self):
        procedure = self.make_procedure(
            self.make_rule({"kind": "age", "min_value": 65}),
            code="SENIOR",
            trigger_daily=True,
            last_daily_date="2026-06-15",
        )
        Procedure = self.env["confirma.procedure"]
        with freeze_time("2026-06-16"):
            _procedures, jobs = run_jobs(Procedure._cron_daily_sweep)
        # a job per procedure, on the sweep channel, once a day; it hands
        # the residents who crossed the threshold to sweep jobs, a batch each
        daily, sweep = [job for job in jobs if job.recordset == procedure]
        self.assertEqual((daily.channel, sweep.channel), ("root.confirma.sweep",) * 2)
        self.assertEqual(
            daily.identity_key, f"confirma-daily-sweep-{procedure.id}-2026-06-16"
        )
        self.assertEqual(
            sweep.identity_key,
            f"confirma-sweep-{procedure.id}-2026-06-16-{self.bernat.id}-1",
        )
        # Bernat turned 65 on 2026-06-16; Anna (67) qualifies but did not
        # cross the threshold today: she is left to the sweeps
        self.assertEqual(procedure.case_ids.partner_id, self.bernat)
        self.assertEqual(procedure.case_ids.origin, "daily")
        self.assertEqual(str(procedure.last_daily_date), "2026-06-16")
        with freeze_time("2026-06-16"):
            run_jobs(Procedure._cron_daily_sweep)  # idempotent
            self.assertEqual(procedure._daily_sweep_job("2026-06-16"), 0)
        self.assertEqual(len(procedure.case_ids), 1)

    def test_daily_sensor_renews_permits_before_they_expire(self):
        permit = self.env["confirma.fact.type"].create(
            {
                "name": "Residence permit expiry",
                "code": "T_PERMIT",
                "value_type": "date",
            }
        )
        self.env["confirma.fact"].create(
            [
                {
                    "partner_id": self.driss.id,
                    "type_id": permit.id,
                    "value_date": "2026-07-16",
                    "date": "2026-01-01",
                },
                {
                    "partner_id": self.anna.id,
                    "type_id": permit.id,
                    "value_date": "2026-09-01",
                    "date": "2026-01-01",
                },
            ]
        )
        rule = self.make_rule(
            {
                "kind": "fact",
                "fact_type_id": permit.id,
                "fact_operator": "set",
                "fact_within_days": 30,
            }
        )
        procedure = self.make_procedure(
            rule, code="PERMIT", trigger_daily=True, last_daily_date="2026-06-15"
        )
        self.assertEqual(self.matching(rule), self.env["res.partner"])
        with freeze_time("2026-06-16"):
            run_jobs(self.env["confirma.procedure"]._cron_daily_sweep)
        # Driss's permit expires on 2026-07-16: 30 days ahead from today on
        self.assertEqual(procedure.case_ids.partner_id, self.driss)
        self.assertIn("within the next 30 days", rule.summary)

    def test_daily_sensor_catches_up_missed_days(self):
        procedure = self.make_procedure(
            self.make_rule({"kind": "age", "min_value": 65}),
            code="SENIOR2",
            trigger_daily=True,
            last_daily_date="2026-06-10",
        )
        with freeze_time("2026-06-20"):
            run_jobs(self.env["confirma.procedure"]._cron_daily_sweep)
        self.assertEqual(procedure.case_ids.partner_id, self.bernat)


@tagged("post_install", "-at_install")
class TestCounter(ConfirmaPopulationCommon):
    @freeze_time("2026-06-15")
    def test_counter_confirms_an_offer(self):
        procedure = self.make_procedure(
            self.make_rule({"kind": "age", "min_value": 65}), code="CTR"
        )
        procedure.sweep(extra_domain=[("id", "in", self.town.ids)])
        counter = (
            self.env["confirma.counter"]
            .with_user(self.officer_tramites)
            .create({"document_number": "11111111-h"})
        )
        counter.action_search()
        self.assertEqual(counter.partner_id, self.anna)
        self.assertEqual(counter.offer_ids.procedure_id, procedure)
        case = procedure.case_ids
        # the offer's Confirm opens the answer dialog: nothing happens until
        # the officer checks the identity document
        opened = counter.offer_ids.action_counter_confirm()
        self.assertEqual((opened["res_model"], opened["target"]), (ANSWER, "new"))
        dialog = (
            self.env[ANSWER].with_user(self.officer_tramites).browse(opened["res_id"])
        )
        self.assertEqual(dialog.display_name, f"Answer at the counter: {case.name}")
        self.assertEqual(dialog.partner_id, self.anna)
        self.assertTrue(dialog.explanation)
        with self.assertRaises(UserError):
            dialog.action_apply()
        self.assertIn(case.state, ("proposed", "notified"))
        dialog.write({"identity_checked": True, "data_objection": True})
        done = dialog.action_apply()
        self.assertEqual(done["params"]["type"], "success")
        self.assertEqual(done["params"]["next"]["report_name"], RECEIPT)
        self.assertEqual((case.state, case.channel), ("confirmed", "counter"))
        self.assertTrue(case.data_objection)
        self.assertEqual(self.anna.data_opposition_source, "counter")
        self.assertTrue(
            case.message_ids.filtered(lambda m: "identity document" in (m.body or ""))
        )
        # answered: the dialog does not record a second answer
        with self.assertRaises(UserError):
            dialog.action_apply()
        counter.invalidate_recordset()
        self.assertFalse(counter.offer_ids)
        self.assertEqual(counter.case_ids, case)
        html = (
            self.env["ir.actions.report"]
            .with_user(self.officer_tramites)
            ._render_qweb_html("confirma_tramites.report_case_receipt", case.ids)[0]
            .decode()
        )
        self.assertIn(case.sudo().code, html)
        self.assertIn("Test procedure", html)

    @freeze_time("2026-06-15")
    def test_counter_opens_a_suggested_procedure(self):
        procedure = self.make_procedure(
            self.make_rule({"kind": "district", "codes": "02"}), code="SUG"
        )
        counter = (
            self.env["confirma.counter"]
            .with_user(self.officer_tramites)
            .create({"partner_id": self.bernat.id})
        )
        line = counter.suggestion_ids.filtered(lambda s: s.procedure_id == procedure)
        self.assertEqual(line.beneficiary_id, self.bernat)
        self.assertIn(procedure, self.bernat.confirma_suggestion_ids)
        opened = line.action_open_case()
        case = procedure.case_ids.filtered(lambda c: c.partner_id == self.bernat)
        self.assertEqual(case.origin, "counter")
        self.assertIn(case.state, ("proposed", "notified"))
        self.assertEqual(opened["res_model"], ANSWER)
        answer_at_counter(case, self.officer_tramites, answer="decline")
        self.assertEqual((case.state, case.channel), ("declined", "counter"))
        self.assertNotIn(procedure, self.bernat._confirma_suggestions())
        with self.assertRaises(UserError):
            procedure.with_user(self.officer_tramites).counter_open_case(self.anna)

    @freeze_time("2026-06-15")
    def test_counter_suggests_a_childs_procedures_to_the_parent(self):
        """Bernat, at the counter, hears about his daughter Carla's canteen
        aid (a parent confirms it) and confirms it for her."""
        procedure = self.make_procedure(
            self.make_rule({"kind": "age", "max_value": 17}),
            code="CANTEEN",
            applicant="guardian",
        )
        counter = (
            self.env["confirma.counter"]
            .with_user(self.officer_tramites)
            .create({"partner_id": self.bernat.id})
        )
        line = counter.suggestion_ids.filtered(lambda s: s.procedure_id == procedure)
        self.assertEqual(line.beneficiary_id, self.carla)
        opened = line.action_open_case()
        self.assertEqual(opened["res_model"], ANSWER)
        case = procedure.case_ids
        self.assertEqual(
            (case.beneficiary_id, case.partner_id), (self.carla, self.bernat)
        )
        self.assertEqual(case.origin, "counter")
        answer_at_counter(case, self.officer_tramites)
        self.assertEqual(case.state, "confirmed")
        counter.invalidate_recordset()
        counter.partner_id = self.anna  # the next resident: the lines follow
        self.assertNotIn(procedure, counter.suggestion_ids.procedure_id)
        # Anna is nobody's parent on Carla's sheet: she cannot confirm for her
        other = self.make_procedure(
            self.make_rule({"kind": "age", "max_value": 17}, name="Minors"),
            code="CAMP",
            applicant="guardian",
        )
        with self.assertRaises(UserError):
            other.with_user(self.officer_tramites).counter_open_case(
                self.carla, confirmer=self.anna
            )

    def test_unknown_document(self):
        counter = (
            self.env["confirma.counter"]
            .with_user(self.officer_tramites)
            .create({"document_number": "99999999R"})
        )
        with self.assertRaises(UserError):
            counter.action_search()

    def test_related_suggestions(self):
        first = self.make_procedure(
            self.make_rule({"kind": "age", "min_value": 65}), code="R1"
        )
        second = self.make_procedure(
            self.make_rule({"kind": "district", "codes": "01"}), code="R2"
        )
        self.env["confirma.procedure.relation"].create(
            {"procedure_id": first.id, "related_id": second.id}
        )
        with freeze_time(str(REFERENCE)):
            self.assertEqual(first._related_for(self.anna), second)
            self.assertFalse(first._related_for(self.bernat))
        # the process map shows the relation from both ends
        self.assertIn("Similar requirements", first.process_map)
        self.assertIn(second.display_name, first.process_map)
        self.assertIn(first.display_name, second.process_map)
        third = self.make_procedure(
            self.make_rule({"kind": "age", "min_value": 18}), code="R3"
        )
        self.env["confirma.procedure.relation"].create(
            {
                "procedure_id": third.id,
                "related_id": first.id,
                "relation_type": "follows",
            }
        )
        # R1 comes before R3: R1's map shows R3 after it
        html = str(first.process_map)
        self.assertLess(html.index(first.display_name), html.index(third.display_name))
