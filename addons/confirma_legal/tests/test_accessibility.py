# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The verification pages, in Spanish and in Catalan, pass axe-core's WCAG
2.1 A and AA checks in Chromium: the form, a wrong code, a document, a
revoked document."""

from odoo.tests import HttpCase, tagged

from odoo.addons.confirma_citizen.tests.common import AxeChecks

from .common import ConfirmaLegalCommon

PAGE_LANGS = {"es": "es-ES", "ca": "ca-ES"}


@tagged("post_install", "-at_install")
class TestVerificationAccessibility(AxeChecks, HttpCase, ConfirmaLegalCommon):
    resident_langs = ("es_ES", "ca_ES")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case.action_confirm(channel="page")
        cls.document = cls.case._receipt_document()
        cls.other.action_notify()
        cls.other.action_confirm(channel="page")
        cls.revoked = cls.other._receipt_document()
        cls.revoked._revoke("Issued to the wrong person")

    def steps(self, short):
        step = {"lang": PAGE_LANGS[short]}
        return [
            {**step, "name": f"form ({short})", "url": f"/confirma/csv?lang={short}"},
            {
                **step,
                "name": f"wrong code ({short})",
                "url": "/confirma/csv",
                "method": "POST",
                "form": "form",
                "data": {"csv": "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-F"},
            },
            {
                **step,
                "name": f"document ({short})",
                "url": f"/confirma/csv?csv={self.document.csv_display}&lang={short}",
                "expect": self.document.reference,
            },
            {
                **step,
                "name": f"revoked ({short})",
                "url": f"/confirma/csv?csv={self.revoked.csv_display}&lang={short}",
                "expect": "Issued to the wrong person",
            },
        ]

    def test_verification_pages(self):
        self.check_accessibility(self.steps("es") + self.steps("ca"))
