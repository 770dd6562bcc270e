# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from ..models.confirma_indicator_value import format_measure
from .common import ConfirmaPopulationCommon

H1 = datetime.date(2026, 3, 1)


class IndicatorFixture:
    """A hand-built catalogue and case history whose indicators are known.

    Procedures: P1 active with a rule and a technique, three requirements
    with a document before (two no longer asked) and one checked with a data
    service, related to P2; P2 active with a rule, one document still asked;
    P3 draft (not working by confirmation), a requirement with a technique;
    P4 retired (left out).

    Cases (2026-H1 unless said): c1 P1 sweep, campaign by email, confirmed;
    c2 P1 campaign by letter, expired; c3 P1 at the counter, resolved in 10
    days; c4 P2 application at the counter, resolved in 20 days; c5 P2 event,
    resolved in 30 days; c6 P1 answered at the counter in 2025-H2.
    """

    @classmethod
    def build(cls):
        env = cls.env
        technique = env.ref("confirma_tramites.technique_suppression")
        rule = cls.make_rule({"kind": "age", "min_value": 18}, name="Adults")
        cls.p1 = cls.make_procedure(
            rule, code="P1", name="Senior card", user_id=cls.manager_tramites.id,
            technique_ids=[(6, 0, technique.ids)],
            requirement_ids=[
                (0, 0, {"name": "Age", "document_name": "ID", "document_before": True}),
                (0, 0, {"name": "Census", "document_name": "Census",
                        "document_before": True}),
                (0, 0, {"name": "Photo", "method": "document", "document_name": "Photo",
                        "document_before": True, "document_now": True}),
                (0, 0, {"name": "Income", "method": "interop"}),
            ],
        )  # fmt: skip
        cls.p2 = cls.make_procedure(
            rule, code="P2", name="Canteen aid",
            requirement_ids=[
                (0, 0, {"name": "Enrolment", "method": "document",
                        "document_name": "Enrolment", "document_before": True,
                        "document_now": True}),
            ],
        )  # fmt: skip
        cls.p3 = cls.make_procedure(
            None, state="draft", code="P3", name="Draft aid",
            requirement_ids=[(0, 0, {"name": "Form", "technique_id": technique.id})],
        )  # fmt: skip
        cls.p4 = cls.make_procedure(rule, code="P4", name="Old aid")
        cls.p4.state = "retired"
        env["confirma.procedure.relation"].create(
            {"procedure_id": cls.p1.id, "related_id": cls.p2.id}
        )
        campaign = env["confirma.campaign"].create(
            {"name": "Seniors", "procedure_id": cls.p1.id}
        )

        def case(procedure, partner, period, origin, proposed, **vals):
            return env["confirma.case"].create(
                dict(
                    procedure_id=procedure.id,
                    partner_id=partner.id,
                    company_id=env.company.id,
                    period=period,
                    origin=origin,
                    date_proposed=datetime.datetime.fromisoformat(proposed),
                    **{
                        key: datetime.datetime.fromisoformat(value)
                        if key.startswith("date_")
                        else value
                        for key, value in vals.items()
                    },
                )
            )

        cls.c1 = case(
            cls.p1,
            cls.anna,
            "A",
            "sweep",
            "2026-02-01 10:00",
            campaign_id=campaign.id,
            date_notified="2026-02-02 10:00",
            outreach_channel="email",
            state="confirmed",
            channel="page",
            date_answered="2026-02-05 10:00",
        )
        cls.c2 = case(
            cls.p1,
            cls.bernat,
            "B",
            "campaign",
            "2026-02-01 10:00",
            campaign_id=campaign.id,
            date_notified="2026-02-02 10:00",
            outreach_channel="post",
            state="expired",
        )
        cls.c3 = case(
            cls.p1,
            cls.driss,
            "C",
            "counter",
            "2026-03-01 09:00",
            channel="counter",
            date_answered="2026-03-01 09:00",
            state="closed",
            resolution="granted",
            date_closed="2026-03-11 09:00",
        )
        cls.c4 = case(
            cls.p2,
            cls.anna,
            "D",
            "application",
            "2026-04-01 09:00",
            channel="counter",
            date_answered="2026-04-02 09:00",
            state="closed",
            resolution="denied",
            date_closed="2026-04-22 09:00",
        )
        cls.c5 = case(
            cls.p2,
            cls.bernat,
            "E",
            "event",
            "2026-05-01 09:00",
            channel="page",
            date_answered="2026-05-03 09:00",
            state="closed",
            resolution="granted",
            date_closed="2026-06-02 09:00",
        )
        cls.c6 = case(cls.p1, cls.bernat, "F", "sweep", "2025-12-15 09:00",
                      channel="counter", date_answered="2025-12-20 09:00",
                      state="confirmed")  # fmt: skip


class TestIndicators(ConfirmaPopulationCommon, IndicatorFixture):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.build()
        cls.Period = cls.env["confirma.indicator.period"].with_user(
            cls.manager_tramites
        )

    def values(self, period):
        return {
            (v.indicator_id.code, v.procedure_id.code or v.channel or "town"): round(
                v.value, 2
            )
            for v in period.value_ids
        }

    def test_each_indicator_on_the_fixture(self):
        half = self.Period._get("half", H1)
        half.action_compute()
        got = self.values(half)
        self.assertEqual(got[("I1", "town")], 66.67)  # P1, P2 of P1-P3
        self.assertEqual(got[("I2", "town")], 2)  # P1 and P2 related
        self.assertEqual(got[("I3", "town")], 1)  # P1 checks with data
        self.assertEqual(got[("I6", "town")], 66.67)  # P1 and P3 simplified
        self.assertEqual(got[("I8", "town")], 100.0)  # counter: 2 now, 1 before
        self.assertEqual(got[("I10", "town")], 20.0)  # median of 10, 20, 30 days
        self.assertEqual(got[("I10", "P1")], 10.0)
        self.assertEqual(got[("I10", "P2")], 25.0)
        self.assertEqual(got[("CR", "town")], 50.0)  # c1 confirmed, c2 expired
        self.assertEqual(got[("CR", "P1")], 50.0)
        self.assertEqual(got[("CR", "email")], 100.0)
        self.assertEqual(got[("CR", "post")], 0.0)
        # no survey answers without Confirm@ Surveys' data: no value
        self.assertNotIn(("I11", "town"), got)
        year = self.Period._get("year", H1)
        year.action_compute()
        got = self.values(year)
        self.assertEqual(got[("I4", "town")], 60.0)  # c1, c2, c5 of c1-c5
        self.assertEqual(got[("I4", "P1")], 66.67)
        self.assertEqual(got[("I4", "P2")], 50.0)
        self.assertEqual(got[("I5", "town")], 50.0)  # 2 of 4 documents
        self.assertEqual(got[("I5", "P1")], 66.67)
        self.assertEqual(got[("I5", "P2")], 0.0)

    def test_close_freezes_and_raises_deviations(self):
        """Closing freezes the values; those outside target ± tolerance get
        an activity for the procedure's owner (or the indicator's)."""
        responsible = self.officer_tramites
        resolution = self.env.ref("confirma_tramites.indicator_resolution_days")
        resolution.write({"target": 5, "tolerance": 2, "user_id": responsible.id})
        half = self.Period._get("half", H1)
        half.action_close()
        self.assertEqual(half.state, "closed")
        off = half.value_ids.filtered(
            lambda v: v.indicator_id == resolution and v.deviation
        )
        # town-wide (20 days), P1 (10) and P2 (25) are all over 5 + 2
        self.assertEqual(len(off), 3)
        town = off.filtered(lambda v: v.scope == "town")
        self.assertEqual(town.activity_ids.user_id, responsible)
        p1 = off.filtered(lambda v: v.procedure_id == self.p1)
        self.assertEqual(p1.activity_ids.user_id, self.manager_tramites)
        self.assertIn("Resolution time", p1.activity_ids.summary)
        on_target = half.value_ids.filtered(
            lambda v: v.indicator_id.code == "I6" and v.scope == "town"
        )
        self.assertFalse(on_target.deviation)
        self.assertFalse(on_target.activity_ids)
        with self.assertRaises(UserError):
            half.action_compute()
        self.assertEqual(resolution.last_period, "2026-H1")
        self.assertEqual(resolution.last_value, 20.0)
        # the dashboard's words: value with its unit, target ± tolerance,
        # status in words; an indicator never measured says "No data"
        self.assertEqual(town.value_display, "20 days")
        self.assertEqual(town.target_display, "5 days ± 2")
        self.assertEqual(town.status, "off_target")
        self.assertEqual(on_target.status, "on_target")
        self.assertEqual(resolution.last_display, "20 days")
        self.assertEqual(resolution.last_status, "off_target")
        unmeasured = resolution.copy({"code": "NEW", "method": "resolution_days"})
        self.assertEqual(
            (unmeasured.last_display, unmeasured.last_status), ("No data", "no_data")
        )

    def test_measures_in_the_reader_format(self):
        """Units and decimals as the reader writes them: a decimal comma in
        Spanish, one day or several, scores out of 10."""
        self.env["res.lang"]._activate_lang("es_ES")
        english, spanish = self.env, self.env(context={"lang": "es_ES"})
        self.assertEqual(format_measure(english, 66.666, "percent"), "66.7 %")
        self.assertEqual(format_measure(spanish, 66.666, "percent"), "66,7 %")
        self.assertEqual(format_measure(english, 1, "days"), "1 day")
        self.assertEqual(format_measure(english, 12.5, "days"), "12.5 days")
        self.assertEqual(format_measure(english, 7.5, "score"), "7.5 / 10")
        self.assertEqual(format_measure(english, 3, "count"), "3")
        self.assertEqual(format_measure(english, None, "percent"), "No data")

    def test_cron_closes_finished_periods(self):
        """The daily run closes the half-year and the year that ended, not
        the periods before the catalogue existed."""
        self.env["confirma.procedure"].flush_model()
        self.env.cr.execute("UPDATE confirma_procedure SET create_date = '2025-09-01'")
        self.env["confirma.procedure"].invalidate_model(["create_date"])
        Period = self.env["confirma.indicator.period"]
        with trap_jobs() as trap:
            early = Period._cron_close_periods(today=datetime.date(2025, 8, 15))
            self.assertFalse(early)  # 2025-H1 and 2024 ended before Confirm@
            trap.assert_jobs_count(0)
            closed = Period._cron_close_periods(today=datetime.date(2026, 7, 15))
            self.assertEqual(sorted(closed.mapped("name")), ["2025", "2026-H1"])
            # one job per period, on the reports channel, once however often
            # the daily run asks before it runs
            Period._cron_close_periods(today=datetime.date(2026, 7, 15))
            trap.assert_jobs_count(2)
            for period in closed:
                trap.assert_enqueued_job(period._close_job)
            jobs = {job.recordset: job for job in trap.enqueued_jobs}
            for period in closed:
                self.assertEqual(jobs[period].channel, "root.confirma.reports")
                self.assertEqual(
                    jobs[period].identity_key,
                    f"confirma-indicator-period-close-{period.id}",
                )
            self.assertEqual(set(closed.mapped("state")), {"open"})
            trap.perform_enqueued_jobs()
        self.assertEqual(set(closed.mapped("state")), {"closed"})
        # a job run again (a restart before it was marked done) changes nothing
        dates = closed.mapped("date_closed")
        self.assertEqual([p._close_job() for p in closed], [False, False])
        self.assertEqual(closed.mapped("date_closed"), dates)
        with trap_jobs() as trap:
            again = Period._cron_close_periods(today=datetime.date(2026, 7, 16))
            self.assertFalse(again)
            trap.assert_jobs_count(0)

    def test_only_managers_close(self):
        half = self.env["confirma.indicator.period"]._get("half", H1)
        with self.assertRaises(AccessError):
            half.with_user(self.officer_tramites).action_close()
        values = self.env["confirma.indicator.value"].with_user(self.user_tramites)
        self.assertFalse(values.search([("period_id", "=", half.id)]))


@tagged("post_install", "-at_install")
class TestTransparencyPage(HttpCase, ConfirmaPopulationCommon, IndicatorFixture):
    """The public page: logged out, es/ca, aggregates only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.build()
        for code in ("es_ES", "ca_ES"):
            cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"]._load_module_terms(
            ["confirma_tramites"], ["es_ES", "ca_ES"], overwrite=True
        )
        cls.env["confirma.indicator.period"]._get("half", H1).action_close()

    def test_public_aggregates_only(self):
        for lang, title in (
            ("es", "Procedimientos que funcionan por confirmación"),
            ("ca", "Procediments que funcionen per confirmació"),
        ):
            with self.subTest(lang=lang):
                response = self.url_open(f"/confirma/transparency?lang={lang}")
                self.assertEqual(response.status_code, 200)
                self.assertIn("public", response.headers["Cache-Control"])
                page = response.text
                self.assertIn(title, page)
                self.assertIn("2026-H1", page)
                # values and targets with their unit, in the page's language
                days = "días" if lang == "es" else "dies"
                self.assertIn(f"20 {days}", page)
                # procedures working by confirmation, not the draft one
                self.assertIn(self.p1.with_context(lang=f"{lang}_ES").name, page)
                self.assertNotIn("Draft aid", page)
                # no resident, no case, no code
                for partner in self.town:
                    self.assertNotIn(partner.surname1, page)
                for case in (self.c1, self.c3):
                    self.assertNotIn(case.name, page)
