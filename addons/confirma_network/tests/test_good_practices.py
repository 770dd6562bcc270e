# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import TODAY, ConfirmaNetworkCommon


class PracticeFixture:
    @classmethod
    def practice(cls, user, **values):
        return (
            cls.env["confirma.good.practice"]
            .with_user(user)
            .create(
                dict(
                    {
                        "name": "Rent aid without applications",
                        "objectives": "Young residents get the aid without asking.",
                        "description": "The padrón finds them; they confirm.",
                        "category_ids": [
                            (
                                6,
                                0,
                                cls.env.ref(
                                    "confirma_network.good_practice_category_ict_egov"
                                ).ids,
                            )
                        ],
                    },
                    **values,
                )
            )
        )


@tagged("post_install", "-at_install")
@freeze_time(str(TODAY))
class TestGoodPractices(ConfirmaNetworkCommon, PracticeFixture):
    def test_workflow(self):
        """Officers propose and document; managers validate and publish."""
        practice = self.practice(self.officer_a, description=False)
        self.assertEqual(practice.local_government, "Ajuntament de Vilademo")
        self.assertEqual(practice.state, "proposed")
        with self.assertRaisesRegex(UserError, "Describe .* first"):
            practice.action_document()
        practice.description = "The padrón finds them; they confirm."
        practice.action_document()
        with self.assertRaisesRegex(UserError, "Only procedures managers"):
            practice.action_validate()
        practice.with_user(self.manager_a).action_validate()
        practice.with_user(self.manager_a).action_publish()
        self.assertEqual(practice.state, "published")
        with self.assertRaisesRegex(UserError, "not possible"):
            practice.with_user(self.manager_a).action_publish()

    def test_proof_from_the_towns_own_data(self):
        """Residents served without applying: those whose ex-officio case
        they confirmed; documents no longer requested: per confirmed case,
        the documents the procedure asked for before and no longer does."""
        self.rent.requirement_ids.write(
            {"document_before": True, "document_now": False}
        )
        residents = self._residents(self.town_a, (25, 27, 29))
        self.rent.sweep()
        cases = self.env["confirma.case"].search(
            [("procedure_id", "=", self.rent.id), ("partner_id", "in", residents.ids)]
        )
        self.assertEqual(len(cases), 3)
        cases[:2].action_confirm(channel="counter")
        practice = self.practice(self.manager_a, procedure_ids=[(6, 0, self.rent.ids)])
        self.assertEqual(practice.residents_served, 2)
        self.assertEqual(practice.documents_saved, 2)

    def test_exchange_between_installations(self):
        practice = self.practice(
            self.manager_a,
            procedure_ids=[(6, 0, self.rent.ids)],
            local_government="Ajuntament de Vilademo",
            region="Comunitat Valenciana",
            country_id=self.env.ref("base.es").id,
            budget=1200,
        )
        practice.with_context(lang="ca_ES").name = "Ajuda al lloguer sense sol·licituds"
        data = practice.with_user(self.manager_a)._export_data()
        self.assertEqual(data["format"], "confirma-good-practice")
        self.assertEqual([p["code"] for p in data["packages"]], ["RENT"])
        action = practice.with_user(self.officer_a).action_export()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[-1].split("?")[0])
        )
        self.assertEqual(json.loads(attachment.raw)["name"], data["name"])
        received = (
            self.env["confirma.good.practice"]
            .with_user(self.manager_b)
            .with_company(self.town_b)
            ._import_data(json.dumps(data).encode())
        )
        self.assertEqual(received.company_id, self.town_b)
        self.assertEqual(received.state, "proposed")
        self.assertTrue(received.imported)
        self.assertEqual(received.local_government, "Ajuntament de Vilademo")
        self.assertEqual(received.country_id.code, "ES")
        self.assertEqual(received.budget, 1200)
        self.assertEqual(
            received.with_context(lang="ca_ES").name,
            "Ajuda al lloguer sense sol·licituds",
        )
        self.assertEqual(received.category_ids, practice.category_ids)
        self.assertEqual(
            received.package_attachment_ids.mapped("name"), ["RENT-1.0.0.confirma.json"]
        )
        Practice = self.env["confirma.good.practice"].with_user(self.manager_b)
        with self.assertRaisesRegex(UserError, "not a good practice"):
            Practice._import_data(b"[1, 2]")
        with self.assertRaisesRegex(UserError, "not a good practice"):
            Practice._import_data(b"{broken")

    def test_each_town_sees_its_own(self):
        mine = self.practice(self.manager_a)
        theirs = self.practice(self.manager_b)
        Practice = self.env["confirma.good.practice"]
        both = (mine | theirs).ids
        self.assertEqual(
            Practice.with_user(self.manager_a).search([("id", "in", both)]), mine
        )
        self.assertEqual(
            Practice.with_user(self.manager_b).search([("id", "in", both)]).ids,
            theirs.ids,
        )
        with self.assertRaises(AccessError):
            mine.with_user(self.manager_b).read(["name"])
