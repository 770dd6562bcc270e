# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Several municipalities in one installation: each town's officers see
only their town's records, a provincial user sees every member town's
figures and never a resident."""

import base64

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import TODAY, ConfirmaNetworkCommon


@tagged("post_install", "-at_install", "security")
@freeze_time(str(TODAY))
class TestProvince(ConfirmaNetworkCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rent.requirement_ids.write({"document_before": True, "document_now": False})
        cls.residents_a = cls._residents(cls.town_a, (22, 24, 26, 70))
        cls.rent.sweep()
        cls.cases_a = cls.env["confirma.case"].search(
            [("procedure_id", "=", cls.rent.id)]
        )
        cls.cases_a[:2].action_confirm(channel="counter")
        cls.provincial = new_test_user(
            cls.env,
            login="net_provincial",
            groups="base.group_user,confirma_network.group_provincial",
            company_id=cls.town_a.id,
            company_ids=[cls.town_a.id, cls.town_b.id],
        )

    def test_provincial_figures(self):
        Stat = self.env["confirma.network.town.stat"].with_user(self.provincial)
        rows = {row.company_id: row for row in Stat.search([])}
        self.assertEqual(set(rows), {self.town_a, self.town_b})
        a, b = rows[self.town_a], rows[self.town_b]
        self.assertEqual((a.residents, b.residents), (4, 4))
        self.assertEqual(a.ine_code, "46900")
        self.assertEqual((a.procedures_active, b.procedures_active), (1, 0))
        self.assertEqual((a.cases, a.ex_officio, a.confirmed), (3, 3, 2))
        self.assertEqual(a.take_up_rate, 66.7)
        self.assertEqual(a.documents_saved, 2)
        self.assertIsInstance(a.documents_saved, int)
        self.assertEqual((b.cases, b.take_up_rate), (0, 0))

    def test_provincial_never_sees_a_resident(self):
        Partner = self.env["res.partner"].with_user(self.provincial)
        everyone = self.residents_a | self.residents_b
        self.assertFalse(Partner.search([("id", "in", everyone.ids)]))
        with self.assertRaises(AccessError):
            everyone.with_user(self.provincial).read(["name"])
        for model in ("confirma.case", "confirma.procedure", "confirma.household"):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.provincial).search([])

    def test_only_the_towns_a_provincial_user_is_allowed(self):
        self.provincial.write(
            {"company_id": self.town_b.id, "company_ids": [(6, 0, self.town_b.ids)]}
        )
        Stat = self.env["confirma.network.town.stat"].with_user(self.provincial)
        self.assertEqual(Stat.search([]).company_id, self.town_b)


@tagged("post_install", "-at_install", "security")
@freeze_time(str(TODAY))
class TestTwoTownIsolation(ConfirmaNetworkCommon):
    """Two towns' residents, households, facts, padrón imports,
    procedures, cases, campaigns, indicators, improvement actions and
    interoperability logs (when installed) never leak across, as the
    non-admin managers of each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # each town's manager holds the roles of every Confirm@ addon here
        roles = [
            cls.env.ref(xmlid, raise_if_not_found=False)
            for xmlid in (
                "confirma_surveys.group_user",
                "confirma_interop.group_user",
                "confirma_interop.group_auditor",
                "confirma_citizen.group_user",
            )
        ]
        for manager in (cls.manager_a, cls.manager_b):
            manager.groups_id |= cls.env["res.groups"].union(*filter(None, roles))

    def _records(self, town, manager, residents):
        env = self.env(user=manager)
        Sudo = self.env
        fact_type = Sudo["confirma.fact.type"].search([], limit=1)
        rule = env["confirma.rule"].create(
            {
                "name": "Adults",
                "condition_ids": [(0, 0, {"kind": "age", "min_value": 18})],
            }
        )
        procedure = env["confirma.procedure"].create(
            {"name": "Aid", "code": f"AID{town.id}", "rule_id": rule.id}
        )
        procedure.write({"state": "active"})
        procedure.sudo().sweep()
        records = {
            "res.partner": residents,
            "confirma.household": residents.household_id,
            "confirma.fact": Sudo["confirma.fact"].create(
                {
                    "partner_id": residents[0].id,
                    "type_id": fact_type.id,
                    "value_text": "x",
                    "value_boolean": True,
                    "value_number": 1,
                    "date": TODAY,
                }
            ),
            "confirma.padron.import": Sudo["confirma.padron.import"].create(
                {"name": f"padron-{town.id}.csv", "company_id": town.id}
            ),
            "confirma.rule": rule,
            "confirma.procedure": procedure,
            "confirma.case": Sudo["confirma.case"].search(
                [("procedure_id", "=", procedure.id)]
            ),
            "confirma.campaign": env["confirma.campaign"].create(
                {"name": f"Campaign {town.id}", "procedure_id": procedure.id}
            ),
            "confirma.indicator": env["confirma.indicator"].create(
                {
                    "name": "Ex officio",
                    "code": f"X{town.id}",
                    "method": "ex_officio",
                    "target": 50,
                    "tolerance": 5,
                    "company_id": town.id,
                }
            ),
            "confirma.improvement.action": Sudo["confirma.improvement.action"].create(
                {"name": "Shorter letters", "company_id": town.id}
            ),
        }
        if "confirma.interop.log" in self.env:
            records["confirma.interop.log"] = (
                Sudo["confirma.interop.log"]
                .sudo()
                .create(
                    {
                        "date": "2026-06-15 10:00:00",
                        "company_id": town.id,
                        "case_id": records["confirma.case"][:1].id,
                        "status_code": "0003",
                    }
                )
            )
        return records

    def test_nothing_leaks_across(self):
        a = self._records(
            self.town_a, self.manager_a, self._residents(self.town_a, (30, 40))
        )
        b = self._records(self.town_b, self.manager_b, self.residents_b)
        self.assertTrue(a["confirma.case"] and b["confirma.case"])
        for model in a:
            with self.subTest(model=model):
                ids = (a[model] | b[model]).ids
                for manager, own, other in (
                    (self.manager_a, a[model], b[model]),
                    (self.manager_b, b[model], a[model]),
                ):
                    Model = self.env[model].with_user(manager)
                    seen = Model.search([("id", "in", ids)])
                    self.assertEqual(sorted(seen.ids), sorted(own.ids), manager.login)
                    with self.assertRaises(AccessError):
                        other.with_user(manager).read(["display_name"])


@tagged("post_install", "-at_install")
class TestProvincialIneH(ConfirmaNetworkCommon):
    """One provincial INE variation file, many towns: each record goes to
    the town of its municipality code; a municipality that is not a town of
    the installation is refused."""

    def test_one_file_many_towns(self):
        from odoo.addons.confirma_citizen.tests.common import run_jobs
        from odoo.addons.confirma_citizen.tests.test_ine_h import BIRTH, record
        from odoo.addons.confirma_citizen.tests.test_ine_h_apply import h_file

        clerk = new_test_user(
            self.env,
            login="net_padron_clerk",
            groups="base.group_user,confirma_citizen.group_manager",
            company_id=self.town_a.id,
            company_ids=[self.town_a.id, self.town_b.id],
        )
        births = [
            record(**dict(BIRTH, id__CMUN=town, new__NIA=f"00000000{4700 + number}"))
            for number, town in enumerate((900, 901, 999, 901), 1)
        ]
        Import = (
            self.env["confirma.padron.import"]
            .with_user(clerk)
            .with_company(self.town_a)
        )
        result = run_jobs(
            lambda: Import.import_file(
                h_file(*births), "H46000AI.A26", file_format="ine_h"
            )
        )[0]
        self.assertEqual(result.company_id, self.town_a)
        self.assertIn("created=1", result.summary_line())
        self.assertIn("errors=1", result.summary_line())
        report = base64.b64decode(result.error_report).decode()
        self.assertIn("3,", report)
        self.assertIn("municipality 46999 is not a town of this installation", report)
        # the clerk, in both towns, sees B's share beside the file
        child = result.with_context(
            allowed_company_ids=[self.town_a.id, self.town_b.id]
        ).child_ids
        self.assertEqual(child.company_id, self.town_b)
        self.assertEqual(child.parent_id, result)
        self.assertIn("created=2", child.summary_line())
        Partner = self.env["res.partner"].with_context(active_test=False)
        self.assertEqual(
            Partner.search([("nia", "=", "000000004701")]).company_id, self.town_a
        )
        self.assertEqual(
            Partner.search(
                [("nia", "in", ["000000004702", "000000004704"])]
            ).company_id,
            self.town_b,
        )
        self.assertFalse(Partner.search([("nia", "=", "000000004703")]))
        # the town's own officer sees the share of their town, not the file
        Imports = self.env["confirma.padron.import"].with_user(self.manager_b)
        self.assertFalse(Imports.search([("id", "=", result.id)]))

    def test_a_file_of_one_municipality_is_applied_as_it_is(self):
        """A town's own file (any municipality code, as today) is not
        routed when it names no other town of the installation."""
        from odoo.addons.confirma_citizen.tests.common import run_jobs
        from odoo.addons.confirma_citizen.tests.test_ine_h import BIRTH, record
        from odoo.addons.confirma_citizen.tests.test_ine_h_apply import h_file

        Import = self.env["confirma.padron.import"].with_company(self.town_a)
        result = run_jobs(
            lambda: Import.import_file(
                h_file(record(**dict(BIRTH, id__CMUN=250))),
                "H46250AI.A26",
                file_format="ine_h",
            )
        )[0]
        self.assertIn("created=1", result.summary_line())
        self.assertFalse(result.child_ids)


@tagged("post_install", "-at_install", "security")
class TestEveryModelIsScoped(ConfirmaNetworkCommon):
    #: Confirm@ models without a municipality: shared catalogues (the same
    #: for every town, holding no one's data) and the page throttle (client
    #: addresses, read by administrators only)
    SHARED = {
        "confirma.burden.technique",
        "confirma.fact.type",
        "confirma.good.practice.category",
        "confirma.padron.event.kind",
        "confirma.plan.theme",
        "confirma.page.throttle",
    }

    def test_every_confirma_model_is_scoped_to_its_municipality(self):
        """Every stored Confirm@ model that holds a town's data has a
        record rule on its municipality (its own company, or its parent's),
        unless only administrators may read it; the others are the shared
        catalogues listed above."""
        rules = {}
        for rule in self.env["ir.rule"].sudo().search([]):
            rules.setdefault(rule.model_id.model, []).append(rule.domain_force or "")
        Access = self.env["ir.model.access"].sudo()
        system = self.env.ref("base.group_system")
        unscoped = []
        for name in sorted(self.env.registry.models):
            Model = self.env[name]
            if not name.startswith("confirma.") or Model._transient or Model._abstract:
                continue
            if name in self.SHARED:
                self.assertNotIn("company_id", Model._fields, name)
                continue
            scoped = any("company_id" in domain for domain in rules.get(name, []))
            readers = Access.search(
                [("model_id.model", "=", name), ("perm_read", "=", True)]
            ).group_id
            if not scoped and readers - system:
                unscoped.append(name)
        self.assertEqual(unscoped, [])
