# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every public page, in Spanish and in Catalan, passes axe-core's WCAG 2.1
A and AA checks in Chromium: the confirmation page at every step (code
lookup and its error, the birth-date step and its errors, the offer, the
receipt), the resident's portal, the transparency page and the
accessibility statement."""

from odoo.tests import HttpCase, tagged

from odoo.addons.confirma_citizen.tests.common import AxeChecks

from .common import REFERENCE, ConfirmaPopulationCommon

PAGE_LANGS = {"es": "es-ES", "ca": "ca-ES"}


@tagged("post_install", "-at_install")
class TestPublicPagesAccessibility(AxeChecks, HttpCase, ConfirmaPopulationCommon):
    resident_langs = ("es_ES", "ca_ES")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        rule = cls.make_rule({"kind": "age", "min_value": 18}, name="Adults")
        cls.procedure = cls.make_procedure(rule, code="A11Y", name="Senior card")
        Case = cls.env["confirma.case"]
        # one offer per language: answering one does not change the other
        cls.cases = {
            "es": Case._open_cases(cls.procedure, cls.bernat, "sweep", REFERENCE),
            "ca": Case._open_cases(cls.procedure, cls.anna, "sweep", REFERENCE),
        }
        for case in cls.cases.values():
            case.action_notify()
        cls.anna_user = cls.env["res.users"].create(
            {
                "login": "anna_a11y",
                "password": "anna_a11y",
                "partner_id": cls.anna.id,
                "groups_id": [(6, 0, cls.env.ref("base.group_portal").ids)],
            }
        )

    def confirmation_steps(self, short):
        case = self.cases[short]
        lang = PAGE_LANGS[short]
        born = case.partner_id.birthdate
        step = {"lang": lang}
        return [
            {**step, "name": f"lookup ({short})", "url": f"/confirma?lang={short}"},
            {
                **step,
                "name": f"lookup, not found ({short})",
                "url": "/confirma",
                "method": "POST",
                "form": "form",
                "data": {"code": "WRONG123", "document": "00000000T"},
            },
            {
                **step,
                "name": f"birth date ({short})",
                "url": f"{case.access_url}?token={case.page_token}&lang={short}",
            },
            {
                **step,
                "name": f"birth date, not a real date ({short})",
                "url": case.access_url,
                "method": "POST",
                "form": "form",
                "data": {"birth_day": "31", "birth_month": "2", "birth_year": "1959"},
            },
            {
                **step,
                "name": f"birth date, wrong ({short})",
                "url": case.access_url,
                "method": "POST",
                "form": "form",
                "data": {"birth_day": "1", "birth_month": "1", "birth_year": "1960"},
            },
            {
                **step,
                "name": f"offer ({short})",
                "url": case.access_url,
                "method": "POST",
                "form": "form",
                "data": {
                    "birth_day": str(born.day),
                    "birth_month": str(born.month),
                    "birth_year": str(born.year),
                },
                "expect": "Senior card",
            },
            {
                **step,
                "name": f"receipt ({short})",
                "url": f"{case.access_url}/answer",
                "method": "POST",
                "form": "form[action$='/answer']",
                "data": {"answer": "confirm"},
                "expect": case.name,
            },
            {
                **step,
                "name": f"transparency ({short})",
                "url": f"/confirma/transparency?lang={short}",
            },
            {
                **step,
                "name": f"accessibility statement ({short})",
                "url": f"/confirma/accessibility?lang={short}",
            },
        ]

    def test_confirmation_pages(self):
        steps = self.confirmation_steps("es") + self.confirmation_steps("ca")
        self.check_accessibility(steps)
        for case in self.cases.values():
            self.assertEqual(case.state, "confirmed")

    def test_resident_portal(self):
        for short, code in (("es", "es_ES"), ("ca", "ca_ES")):
            with self.subTest(lang=short):
                self.anna_user.lang = code
                self.check_accessibility(
                    [
                        {"name": f"my account ({short})", "url": "/my"},
                        {
                            "name": f"my offers and cases ({short})",
                            "url": "/my/confirma",
                            "expect": "Senior card",
                        },
                    ],
                    login="anna_a11y",
                )
