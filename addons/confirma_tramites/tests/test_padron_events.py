# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Sensors that react to the padrón's own events (INE variation file)."""

import datetime
import io
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.confirma_citizen.tests.common import run_jobs
from odoo.addons.confirma_citizen.tests.test_ine_h import BIRTH, record

from .common import REFERENCE, ConfirmaPopulationCommon

D = datetime.date
# A daughter born in Bernat's household (T-H2) on 8 June 2026.
NEWBORN = dict(
    BIRTH,
    ctl__FVAR=D(2026, 6, 10),
    new__FNAC=D(2026, 6, 8),
    new__NHOP="T-H2",
    new__NIA="000000009001",
)
# Anna Ferrer (DNI 11111111H) dies on 1 June 2026.
ANNA_DIES = dict(
    id__CPRO=46,
    id__CMUN=250,
    id__NOMB="ANNA",
    id__APE1="FERRER",
    id__FNAC=D(1959, 6, 15),
    id__TIDEN=1,
    id__IDEN=11111111,
    id__LIDEN="H",
    ctl__FVAR=D(2026, 6, 1),
    ctl__CVAR="B",
    ctl__CAUV="DE",
)


@tagged("post_install", "-at_install")
class TestPadronEvents(ConfirmaPopulationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kind = {
            kind.code: kind for kind in cls.env["confirma.padron.event.kind"].search([])
        }
        cls.parents_rule = cls.make_rule(
            {"kind": "age", "min_value": 18},
            {"kind": "household_member_age", "max_value": 1},
            name="Parents of a newborn",
        )

    def apply(self, *records, user=None):
        Import = self.env["confirma.padron.import"]
        if user:
            Import = Import.with_user(user)
        content = ("\r\n".join(records) + "\r\n").encode("latin-1")
        return run_jobs(
            lambda: Import.import_file(
                io.BytesIO(content), "H46250AI.626", file_format="ine_h"
            )
        )[0]

    def cases(self, procedure, partner=None):
        domain = [("procedure_id", "=", procedure.id)]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        return self.env["confirma.case"].search(domain)

    @freeze_time(str(REFERENCE))
    def test_birth_opens_the_parents_case_in_the_same_run(self):
        grant = self.make_procedure(
            self.parents_rule,
            code="BIRTH",
            event_kind_ids=[(4, self.kind["birth"].id)],
        )
        other = self.make_procedure(self.parents_rule, code="OTHER")
        # the padrón officer applying the file has no role in procedures:
        # the sensors react as the town hall's own system task
        result = self.apply(record(**NEWBORN), user=self.officer_citizen)
        self.assertEqual((result.created, result.events, result.errors), (1, 1, 0))
        case = self.cases(grant)
        self.assertEqual(case.partner_id, self.bernat)  # the adult of the household
        self.assertEqual(case.origin, "event")
        self.assertTrue(case.explanation)
        self.assertFalse(self.cases(other), "not subscribed to births")
        # the same file again: nothing new
        again = self.apply(record(**NEWBORN))
        self.assertEqual(again.unchanged, 1)
        self.assertEqual(len(self.cases(grant)), 1)

    @freeze_time(str(REFERENCE))
    def test_subscription_is_by_kind(self):
        grant = self.make_procedure(
            self.parents_rule,
            code="BIRTH",
            event_kind_ids=[(4, self.kind["arrival"].id)],
        )
        self.apply(record(**NEWBORN))
        self.assertFalse(self.cases(grant), "a birth is not an arrival")

    @freeze_time(str(REFERENCE))
    def test_death_cancels_open_cases_and_stops_outreach(self):
        adults = self.make_rule({"kind": "age", "min_value": 18}, name="Adults")
        open_procedure = self.make_procedure(adults, code="OPEN")
        done_procedure = self.make_procedure(adults, code="DONE")
        open_procedure.sweep()
        done_procedure.sweep()
        granted = self.cases(done_procedure, self.anna)
        granted.action_confirm()
        granted.action_instruct()
        granted.action_grant()
        offer = self.cases(open_procedure, self.anna)
        offer.action_notify()
        others = self.cases(open_procedure) - offer
        letter = self.env["mail.mail"].create(
            {
                "subject": "You qualify",
                "body_html": "<p>Confirm</p>",
                "recipient_ids": [(4, self.anna.id)],
                "model": "confirma.case",
                "res_id": offer.id,
            }
        )
        # about her case only (an address typed in), to her only (about
        # nothing of Confirm@'s): each is stopped
        about_case = self.env["mail.mail"].create(
            {
                "subject": "Reminder",
                "body_html": "<p>Confirm</p>",
                "email_to": "family@example.org",
                "model": "confirma.case",
                "res_id": offer.id,
            }
        )
        to_her = self.env["mail.mail"].create(
            {
                "subject": "Newsletter",
                "body_html": "<p>News</p>",
                "recipient_ids": [(4, self.anna.id)],
            }
        )
        unrelated = self.env["mail.mail"].create(
            {
                "subject": "Hello",
                "body_html": "<p>Hello</p>",
                "recipient_ids": [(4, self.bernat.id)],
            }
        )
        result = self.apply(record(**ANNA_DIES), user=self.officer_citizen)
        self.assertEqual((result.deregistered, result.errors), (1, 0))
        self.assertEqual(self.anna.padron_deregistration_reason, "death")
        self.assertEqual(offer.state, "cancelled")
        self.assertIn("Death", offer.cancel_reason)
        self.assertIn("2026-06-01", offer.cancel_reason)
        self.assertIn("left the padrón", offer.message_ids[0].body)
        self.assertEqual(granted.state, "granted", "a resolved case stays as it is")
        self.assertTrue(all(c.state == "proposed" for c in others))
        self.assertEqual(letter.state, "cancel")
        self.assertEqual(about_case.state, "cancel")
        self.assertEqual(to_her.state, "cancel")
        self.assertEqual(unrelated.state, "outgoing")
        # no new case is ever opened for her
        open_procedure.with_context(tracking_disable=True).sweep()
        self.assertEqual(self.cases(open_procedure, self.anna), offer)

    def swept_adults(self):
        """A procedure for every adult, swept: each has an offer."""
        adults = self.make_rule({"kind": "age", "min_value": 18}, name="Adults")
        procedure = self.make_procedure(adults)
        procedure.sweep()
        return procedure

    @freeze_time(str(REFERENCE))
    def test_any_deregistration_stops_the_cases(self):
        procedure = self.swept_adults()
        offer = self.cases(procedure, self.driss)
        self.driss.action_deregister("moved", D(2026, 6, 14))
        self.assertEqual(offer.state, "cancelled")
        self.assertIn("Moved to another municipality", offer.cancel_reason)

    @freeze_time(str(REFERENCE))
    def test_a_batch_of_departures_stops_the_cases_once(self):
        procedure = self.swept_adults()
        offers = self.cases(procedure, self.driss) | self.cases(procedure, self.anna)
        self.assertEqual(len(offers), 2)
        Case = type(self.env["confirma.case"])
        calls = []
        stop = Case._stop_for_departed

        def counted(case_model, partners):
            calls.append(partners)
            return stop(case_model, partners)

        # a padrón batch: two reasons and dates, one stop for both
        with patch.object(Case, "_stop_for_departed", counted):
            left = self.env["res.partner"]._deregister_many(
                {
                    ("moved", D(2026, 6, 14)): self.driss.ids,
                    ("death", D(2026, 6, 2)): self.anna.ids,
                }
            )
        self.assertEqual(left, self.driss | self.anna)
        self.assertEqual(calls, [self.driss | self.anna])
        self.assertEqual(set(offers.mapped("state")), {"cancelled"})
        by_partner = {offer.partner_id: offer.cancel_reason for offer in offers}
        self.assertIn("Moved to another municipality", by_partner[self.driss])
        self.assertIn("Death", by_partner[self.anna])

    @freeze_time(str(REFERENCE))
    def test_a_departure_cannot_be_kept_from_its_cases_over_rpc(self):
        # the batch's collector is an object of its own: a context value
        # sent over RPC (JSON) under its key does not defer the stop
        procedure = self.swept_adults()
        offer = self.cases(procedure, self.driss)
        self.driss.with_context(confirma_departures=[]).action_deregister(
            "moved", D(2026, 6, 14)
        )
        self.assertEqual(offer.state, "cancelled")

    def test_encsarp_renewal_condition(self):
        self.driss.write(
            {"padron_encsarp": True, "padron_renewal_date": D(2024, 7, 20)}
        )
        self.assertEqual(self.driss.padron_renewal_due, D(2026, 7, 20))
        rule = self.make_rule(
            {"kind": "padron_renewal", "fact_within_days": 60}, name="Renewal"
        )
        self.assertEqual(self.matching(rule), self.driss)
        self.assertFalse(self.matching(rule, reference=D(2026, 5, 20)))  # 61 days
        self.assertEqual(self.matching(rule, reference=D(2026, 5, 21)), self.driss)
        self.assertFalse(self.matching(rule, reference=D(2026, 7, 21)))  # overdue
        self.driss.padron_encsarp = False
        self.assertFalse(self.matching(rule))
        self.assertIn("60 days", rule.condition_ids.display_name)

    def test_encsarp_daily_sensor_invites_before_the_deadline(self):
        self.driss.write(
            {"padron_encsarp": True, "padron_renewal_date": D(2024, 7, 20)}
        )
        rule = self.make_rule(
            {"kind": "padron_renewal", "fact_within_days": 60}, name="Renewal"
        )
        procedure = self.make_procedure(
            rule, code="ENCSARP", trigger_daily=True, last_daily_date=D(2026, 5, 19)
        )
        with freeze_time("2026-05-20"):
            run_jobs(lambda: procedure._cron_daily_sweep(today=D(2026, 5, 20)))
        self.assertFalse(self.cases(procedure))
        with freeze_time("2026-05-21"):
            run_jobs(lambda: procedure._cron_daily_sweep(today=D(2026, 5, 21)))
        case = self.cases(procedure)
        self.assertEqual(case.partner_id, self.driss)
        self.assertEqual(case.origin, "daily")
        self.assertIn("20/07/2026", case.explanation)

    def test_a_missing_window_is_refused(self):
        from odoo.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            self.make_rule({"kind": "padron_renewal"}, name="No window")
