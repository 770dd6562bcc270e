# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Multi-company rules of the models without a company of their own, and
the business methods that are not callable over RPC."""

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from odoo.addons.confirma_citizen.tests.common import (
    JsonRpcMixin,
    last_job_id,
    opened_files,
    run_stored_jobs,
)

from .common import REFERENCE, ConfirmaPopulationCommon


@tagged("post_install", "-at_install")
class TestCompanyRules(ConfirmaPopulationCommon):
    def test_conditions_and_relations_per_municipality(self):
        """Another municipality's eligibility conditions and process map
        (related procedures) are not seen by an officer of this one."""
        other = self.env["res.company"].create({"name": "Another town"})
        own_rule = self.make_rule({"kind": "age", "min_value": 18}, name="Own")
        own = self.make_procedure(own_rule, code="OWN")
        own_next = self.make_procedure(
            self.make_rule({"kind": "district", "codes": "01"}), code="OWN2"
        )
        Relation = self.env["confirma.procedure.relation"]
        own_relation = Relation.create(
            {"procedure_id": own.id, "related_id": own_next.id}
        )
        foreign_rule = self.env["confirma.rule"].create(
            {
                "name": "Foreign",
                "company_id": other.id,
                "condition_ids": [(0, 0, {"kind": "age", "min_value": 65})],
            }
        )
        foreign, foreign_next = self.env["confirma.procedure"].create(
            [
                {"name": name, "code": name, "company_id": other.id}
                for name in ("FOREIGN", "FOREIGN2")
            ]
        )
        foreign_relation = Relation.create(
            {"procedure_id": foreign.id, "related_id": foreign_next.id}
        )
        officer = self.officer_tramites
        self.assertNotIn(other, officer.company_ids)
        conditions = self.env["confirma.rule.condition"].with_user(officer).search([])
        self.assertIn(own_rule.condition_ids, conditions)
        self.assertFalse(conditions & foreign_rule.condition_ids)
        relations = Relation.with_user(officer).search([])
        self.assertIn(own_relation, relations)
        self.assertNotIn(foreign_relation, relations)
        with self.assertRaises(AccessError):
            foreign_rule.condition_ids.with_user(officer).read(["kind"])
        with self.assertRaises(AccessError):
            foreign_relation.with_user(officer).read(["relation_type"])
        # an officer of both municipalities sees both
        officer.company_ids = [(4, other.id)]
        both = self.env["confirma.rule.condition"].with_user(officer)
        both = both.with_context(allowed_company_ids=[self.company.id, other.id])
        self.assertIn(foreign_rule.condition_ids, both.search([]))


@tagged("post_install", "-at_install")
class TestPrivateMethods(HttpCase, ConfirmaPopulationCommon, JsonRpcMixin):
    """The methods that take callables or run whole sweeps (sweep, launch,
    evaluate, explain, preview, counter_open_case) are refused over RPC; the
    buttons that call them still work."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.make_rule({"kind": "age", "min_value": 18}, name="Adults")
        cls.procedure = cls.make_procedure(cls.rule, code="RPC")
        cls.campaign = (
            cls.env["confirma.campaign"]
            .with_user(cls.officer_tramites)
            .create({"name": "RPC campaign", "procedure_id": cls.procedure.id})
        )

    def setUp(self):
        super().setUp()
        login = self.officer_tramites.login
        self.authenticate(login, login)

    def cases(self):
        return self.env["confirma.case"].search_count(
            [("procedure_id", "=", self.procedure.id)]
        )

    def test_refused_over_rpc(self):
        self.assertEqual(
            self.call_kw("confirma.procedure", "search_count", [[]])["result"],
            self.env["confirma.procedure"].search_count([]),
        )
        with opened_files() as opened:
            for model, method, args in (
                ("confirma.procedure", "evaluate", [[self.procedure.id]]),
                ("confirma.procedure", "sweep", [[self.procedure.id]]),
                (
                    "confirma.procedure",
                    "counter_open_case",
                    [[self.procedure.id], self.anna.id],
                ),
                ("confirma.campaign", "preview", [[self.campaign.id]]),
                ("confirma.campaign", "launch", [[self.campaign.id]]),
                (
                    "confirma.rule",
                    "explain",
                    [[self.rule.id], [self.anna.id], str(REFERENCE)],
                ),
            ):
                with self.subTest(method=f"{model}.{method}"):
                    self.assert_not_remote(model, method, args)
            # a path given where a callable is expected changes nothing either
            self.assert_not_remote(
                "confirma.procedure",
                "sweep",
                [[self.procedure.id]],
                {"extra_domain": "/etc/passwd", "origin": "sweep"},
            )
        self.assertNotIn("/etc/passwd", opened)
        self.assertEqual(self.cases(), 0)
        self.assertEqual(self.campaign.state, "draft")

    def test_buttons_still_work(self):
        preview = self.call_kw(
            "confirma.campaign", "action_preview", [[self.campaign.id]]
        )["result"]
        self.assertEqual(preview["params"]["title"], "3 residents qualify")
        queued_after = last_job_id(self.env)
        self.assertTrue(
            self.call_kw("confirma.campaign", "action_launch", [[self.campaign.id]])[
                "result"
            ]
        )
        # handed to jobs, which the job runner runs
        self.assertEqual(self.cases(), 0)
        run_stored_jobs(self.env, queued_after)
        self.assertEqual(self.cases(), 3)  # Anna, Bernat, Driss
