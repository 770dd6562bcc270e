# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ConfirmaNetworkCommon


class PlanFixture:
    @classmethod
    def build_plan(cls, user, town):
        env = cls.env(user=user)
        plan = env["confirma.plan"].create(
            {
                "name": "PAM 2023-2027",
                "date_start": "2023-06-17",
                "date_end": "2027-06-16",
                "mission": "A town hall that comes to its residents.",
                "company_id": town.id,
            }
        )
        Objective = env["confirma.plan.objective"]
        strategic = Objective.create(
            {"plan_id": plan.id, "code": "1", "name": "Rights without paperwork"}
        )
        specific = Objective.create(
            {
                "plan_id": plan.id,
                "parent_id": strategic.id,
                "code": "1.1",
                "name": "Every benefit offered ex officio",
            }
        )
        unit = env["confirma.unit"].create(
            {"name": "Social Services", "company_id": town.id}
        )
        theme = env["confirma.plan.theme"].create({"name": "SDG 10"})
        actions = env["confirma.plan.action"].create(
            [
                {
                    "objective_id": specific.id,
                    "name": "Birth grant by confirmation",
                    "unit_id": unit.id,
                    "progress": "100",
                    "theme_ids": [(6, 0, theme.ids)],
                },
                {
                    "objective_id": specific.id,
                    "name": "Welcome pack",
                    "unit_id": unit.id,
                    "progress": "50",
                    "district_codes": "02",
                },
            ]
        )
        return plan, strategic, specific, actions, theme


@tagged("post_install", "-at_install")
class TestActionPlan(ConfirmaNetworkCommon, PlanFixture):
    def test_progress_and_its_history(self):
        plan, strategic, specific, actions, _theme = self.build_plan(
            self.manager_a, self.town_a
        )
        self.assertEqual(specific.kind, "specific")
        self.assertEqual(strategic.kind, "strategic")
        self.assertEqual(plan.objective_ids, strategic, "strategic ones only")
        self.assertEqual(plan.progress, 75.0)
        self.assertEqual(strategic.progress, 75.0)
        self.assertEqual(actions[0].strategic_id, strategic)
        # an officer updates progress in the list; each change is kept
        actions[1].with_user(self.officer_a).progress = "75"
        history = actions[1].update_ids.sorted("id", reverse=True)
        self.assertEqual(history.mapped("progress"), ["75", "50"])
        self.assertEqual(history[0].user_id, self.officer_a)
        self.assertEqual(plan.progress, 87.5)
        with self.assertRaises(AccessError):
            self.env["confirma.plan.action"].with_user(self.officer_a).create(
                {"objective_id": specific.id, "name": "Not theirs to add"}
            )

    def test_each_town_sees_its_own(self):
        plan_a = self.build_plan(self.manager_a, self.town_a)[0]
        plan_b = self.build_plan(self.manager_b, self.town_b)[0]
        for model, a, b in (
            ("confirma.plan", plan_a, plan_b),
            ("confirma.plan.objective", plan_a.objective_ids, plan_b.objective_ids),
            ("confirma.plan.action", plan_a.action_ids, plan_b.action_ids),
            (
                "confirma.plan.action.update",
                plan_a.action_ids.update_ids,
                plan_b.action_ids.update_ids,
            ),
        ):
            with self.subTest(model=model):
                Model = self.env[model]
                ids = (a | b).ids
                self.assertEqual(
                    sorted(
                        Model.with_user(self.manager_b).search([("id", "in", ids)]).ids
                    ),
                    sorted(b.ids),
                )
                self.assertEqual(
                    sorted(
                        Model.with_user(self.manager_a).search([("id", "in", ids)]).ids
                    ),
                    sorted(a.ids),
                )
