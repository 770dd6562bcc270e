# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io

from odoo.addons.confirma_interop.scsp import certs
from odoo.addons.confirma_tramites.tests.common import (
    REFERENCE,
    ConfirmaPopulationCommon,
    answer_at_counter,
)


def blank_pdf():
    """A PDF of one blank A4 page, never sealed (pyHanko's writer)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.writer import PdfFileWriter

    writer = PdfFileWriter()
    writer.insert_page(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Page"),
                generic.NameObject("/MediaBox"): generic.ArrayObject(
                    [generic.NumberObject(n) for n in (0, 0, 595, 842)]
                ),
            }
        )
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class ConfirmaLegalCommon(ConfirmaPopulationCommon):
    """The test town with its seal (a certificate of the test authority on
    its interoperability platform) and an offer of a procedure to each adult:
    Anna's notified."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pki = certs.TestPki(requester_name="AJUNTAMENT DE VILADEMO")
        cls.ca_pem = certs.pem(cls.pki.ca)
        cls.platform = cls.env.ref("confirma_interop.platform_default")
        cls.platform.write(
            {
                "certificate": base64.b64encode(cls.pki.requester_p12()),
                "certificate_password": certs.TEST_PASSWORD,
            }
        )
        cls.company.partner_id.tz = "Europe/Madrid"
        cls.procedure = cls.make_procedure(
            cls.make_rule({"kind": "age", "min_value": 18}, name="Adults"),
            code="LEGAL",
            name="Senior card",
            sia_code="123456",
        )
        Case = cls.env["confirma.case"]
        cls.case = Case._open_cases(cls.procedure, cls.anna, "sweep", REFERENCE)
        cls.case.action_notify()
        cls.other = Case._open_cases(cls.procedure, cls.bernat, "sweep", REFERENCE)
        cls.Entry = cls.env["confirma.register.entry"]
        cls.Document = cls.env["confirma.document"]

    def confirm_at_counter(self, case=None, **values):
        case = case or self.case
        answer_at_counter(case, self.officer_tramites, **values)
        return case
