# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The exchange of good practices and the action plan, logged out, in
Spanish and Catalan; axe-core's WCAG 2.1 A/AA checks in Chromium."""

from odoo.tests import HttpCase, tagged

from odoo.addons.confirma_citizen.tests.common import AxeChecks

from .. import package as packages
from .common import ConfirmaNetworkCommon
from .test_good_practices import PracticeFixture
from .test_plan import PlanFixture


@tagged("post_install", "-at_install")
class TestPublicPages(
    AxeChecks, HttpCase, ConfirmaNetworkCommon, PracticeFixture, PlanFixture
):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.module.module"]._load_module_terms(
            ["confirma_network", "confirma_tramites"],
            ["es_ES", "ca_ES"],
            overwrite=True,
        )
        cls.published = cls.practice(
            cls.manager_a,
            name="Benefits without applications",
            procedure_ids=[(6, 0, cls.rent.ids)],
            country_id=cls.env.ref("base.es").id,
        )
        cls.published.write({"state": "published"})
        cls.hidden = cls.practice(cls.manager_a, name="Draft idea not shown")
        cls.other = cls.practice(
            cls.manager_b,
            name="Knowledge sharing in Vilanova",
            category_ids=[
                (
                    6,
                    0,
                    cls.env.ref(
                        "confirma_network.good_practice_category_kno_education"
                    ).ids,
                )
            ],
        )
        cls.other.write({"state": "published"})
        cls.plan, cls.strategic, cls.specific, cls.actions, cls.theme = cls.build_plan(
            cls.manager_a, cls.town_a
        )
        cls.plan.published = True

    def test_exchange_page(self):
        for lang, heading in (
            ("es", "Intercambio de buenas prácticas"),
            ("ca", "Intercanvi de bones pràctiques"),
        ):
            with self.subTest(lang=lang):
                page = self.url_open(f"/confirma/practices?lang={lang}")
                self.assertEqual(page.status_code, 200)
                self.assertIn(heading, page.text)
                self.assertIn("Benefits without applications", page.text)
                self.assertIn("Knowledge sharing in Vilanova", page.text, "every town")
                self.assertNotIn("Draft idea not shown", page.text)
        page = self.url_open("/confirma/practices?category=kno_education&lang=es")
        self.assertIn("Knowledge sharing in Vilanova", page.text)
        self.assertNotIn("Benefits without applications", page.text)
        page = self.url_open("/confirma/practices?q=benefits&lang=es")
        self.assertIn("Benefits without applications", page.text)
        self.assertNotIn("Knowledge sharing in Vilanova", page.text)

    def test_practice_and_its_package(self):
        page = self.url_open(f"/confirma/practices/{self.published.id}?lang=ca")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Procediments per a emportar-se", page.text)
        url = f"/confirma/practices/{self.published.id}/package/{self.rent.id}"
        self.assertIn(url, page.text)
        download = self.url_open(url)
        self.assertEqual(download.status_code, 200)
        package = packages.load(download.content)
        self.assertEqual(package["code"], "RENT")
        self.assertEqual(len(package["tests"]["cases"]), 4)
        self.assertIn("attachment", download.headers["Content-Disposition"])
        # an unpublished practice, or a procedure it does not name: nothing
        for url in (
            f"/confirma/practices/{self.hidden.id}",
            f"/confirma/practices/{self.hidden.id}/package/{self.rent.id}",
            f"/confirma/practices/{self.other.id}/package/{self.rent.id}",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url).status_code, 404)

    def test_plan_page(self):
        for lang, words in (
            ("es", ("Por objetivo", "Por área", "Hecho")),
            ("ca", ("Per objectiu", "Per àrea", "Fet")),
        ):
            with self.subTest(lang=lang):
                page = self.url_open(f"/confirma/plan?lang={lang}")
                self.assertEqual(page.status_code, 200)
                for word in words:
                    self.assertIn(word, page.text)
                self.assertIn('aria-valuenow="75"', page.text)
                self.assertIn("Welcome pack", page.text)
        # by theme: only the action filed under it (done: 100 %)
        page = self.url_open(
            f"/confirma/plan/{self.plan.id}?theme={self.theme.id}&lang=es"
        )
        self.assertNotIn("Welcome pack", page.text)
        self.assertIn('aria-valuenow="100"', page.text)
        # by district: actions of that district and of the whole town
        page = self.url_open(f"/confirma/plan/{self.plan.id}?district=01&lang=es")
        self.assertNotIn("Welcome pack", page.text)
        self.assertIn("Birth grant by confirmation", page.text)
        self.plan.published = False
        self.assertEqual(
            self.url_open(f"/confirma/plan/{self.plan.id}").status_code, 404
        )

    def test_network_page(self):
        """The member towns side by side, logged out: figures, no person."""
        for lang, heading in (
            ("es", "Los municipios de la red, uno al lado del otro"),
            ("ca", "Els municipis de la xarxa, l'un al costat de l'altre"),
        ):
            with self.subTest(lang=lang):
                page = self.url_open(f"/confirma/network?lang={lang}")
                self.assertEqual(page.status_code, 200)
                self.assertIn(heading, page.text)
                self.assertIn("Ajuntament de Vilademo", page.text)
                self.assertIn("Ajuntament de Vilanova", page.text)
                self.assertIn("INE 46901", page.text)
                for resident in self.residents_b:
                    self.assertNotIn(resident.first_name, page.text)

    def test_accessibility(self):
        steps = []
        for short in ("es", "ca"):
            steps += [
                {
                    "name": f"exchange ({short})",
                    "url": f"/confirma/practices?lang={short}",
                    "expect": "Benefits without applications",
                },
                {
                    "name": f"practice ({short})",
                    "url": f"/confirma/practices/{self.published.id}?lang={short}",
                    "expect": "Benefits without applications",
                },
                {
                    "name": f"towns compared ({short})",
                    "url": f"/confirma/network?lang={short}",
                    "expect": "Ajuntament de Vilanova",
                },
                {
                    "name": f"action plan ({short})",
                    "url": f"/confirma/plan/{self.plan.id}?lang={short}",
                    "expect": "Welcome pack",
                },
            ]
        self.check_accessibility(steps)
