# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..models import res_partner
from .common import ConfirmaCitizenCommon


@tagged("post_install", "-at_install")
class TestResident(ConfirmaCitizenCommon):
    def _resident(self, **vals):
        values = {
            "is_resident": True,
            "first_name": "Joan",
            "surname1": "Ribes",
            "surname2": "Part",
            "padron_state": "active",
        }
        values.update(vals)
        return self.env["res.partner"].with_user(self.officer_citizen).create(values)

    def test_documents_validated(self):
        for doc_type, number in (
            ("dni", "12345678Z"),
            ("nie", "X1234567L"),
            ("passport", "AB1234567"),
        ):
            resident = self._resident(document_type=doc_type, document_number=number)
            self.assertEqual(resident.document_number, number)
        for doc_type, number in (
            ("dni", "12345678A"),
            ("nie", "X1234567A"),
            ("dni", "1234567Z"),
            ("passport", "A-1"),
        ):
            with self.subTest(number=number), self.assertRaises(ValidationError):
                self._resident(document_type=doc_type, document_number=number)

    def test_document_normalised_and_unique_per_company(self):
        resident = self._resident(document_type="dni", document_number="12.345.678-z")
        self.assertEqual(resident.document_number, "12345678Z")
        with self.assertRaises(ValidationError):
            self._resident(document_type="dni", document_number="12345678Z")
        other_company = self.env["res.company"].create({"name": "Ajuntament B"})
        other = self.env["res.partner"].create(
            {
                "name": "Other town's resident",
                "is_resident": True,
                "document_type": "dni",
                "document_number": "12345678Z",
                "company_id": other_company.id,
            }
        )
        self.assertEqual(other.company_id, other_company)

    def test_spanish_name(self):
        resident = self._resident(
            first_name="Pilar", surname1="Valera", surname2="Cosías"
        )
        self.assertEqual(resident.name, "Pilar Valera Cosías")
        resident.surname2 = False
        self.assertEqual(resident.name, "Pilar Valera")

    @freeze_time("2026-06-15")
    def test_age_search_becomes_birthdate_range(self):
        born = {
            "turns_65_today": "1961-06-15",
            "turns_65_tomorrow": "1961-06-16",
            "child": "2015-01-01",
        }
        residents = {
            key: self._resident(birthdate=date, first_name=key)
            for key, date in born.items()
        }
        Partner = self.env["res.partner"].with_user(self.user_citizen)
        found = Partner.search(
            [("age", ">=", 65), ("id", "in", [r.id for r in residents.values()])]
        )
        self.assertEqual(found, residents["turns_65_today"])
        self.assertEqual(residents["turns_65_tomorrow"].age, 64)
        found = Partner.search([("age", "=", 64), ("is_resident", "=", True)])
        self.assertIn(residents["turns_65_tomorrow"], found)
        self.assertNotIn(residents["turns_65_today"], found)
        domain = Partner._age_domain(">=", 65)
        self.assertEqual(
            domain, [("birthdate", "<=", Partner._reference_date().replace(year=1961))]
        )
        self.assertEqual(
            Partner.search_count(
                [("age", "<", 18), ("id", "=", residents["child"].id)]
            ),
            1,
        )

    def test_birth_after_registration_rejected(self):
        with self.assertRaises(ValidationError):
            self._resident(
                birthdate="2000-01-01", padron_registration_date="1999-01-01"
            )

    def test_email_opt_out_uses_blacklist(self):
        resident = self._resident(email="joan@example.org")
        resident.email_opt_out = True
        self.assertTrue(resident.is_blacklisted)
        self.assertTrue(
            self.env["mail.blacklist"].search([("email", "=", "joan@example.org")])
        )
        resident.email_opt_out = False
        self.assertFalse(resident.is_blacklisted)

    def test_sms_opt_out_uses_phone_blacklist(self):
        resident = self._resident(mobile="+34 612 345 678")
        self.assertEqual(resident.phone_sanitized, "+34612345678")
        resident.sms_opt_out = True
        self.assertTrue(resident.phone_sanitized_blacklisted)
        self.assertTrue(
            self.env["phone.blacklist"].search([("number", "=", "+34612345678")])
        )
        self.assertIn(
            resident,
            self.env["res.partner"].search([("sms_opt_out", "=", True)]),
        )
        resident.sms_opt_out = False
        self.assertFalse(resident.phone_sanitized_blacklisted)

    def test_deregister(self):
        resident = self._resident()
        resident.action_deregister("death", "2026-01-02")
        self.assertEqual(resident.padron_state, "deregistered")
        self.assertEqual(resident.padron_deregistration_reason, "death")

    def test_language_falls_back_to_the_municipality(self):
        """A resident whose language is not installed is written to in the
        municipality's language, and the missing language is logged."""
        self.env["res.lang"]._activate_lang("es_ES")
        self.env.company.partner_id.lang = "es_ES"
        catalan = (
            self.env["res.lang"]
            .with_context(active_test=False)
            .search([("code", "=", "ca_ES")])
        )
        catalan.active = False
        resident = self._resident(preferred_language="ca")
        res_partner._MISSING_LANGS.discard("ca_ES")
        with self.assertLogs(res_partner.__name__, "WARNING") as logged:
            self.assertEqual(resident._confirma_lang_code(), "es_ES")
        self.assertIn("ca_ES", logged.output[0])
        resident.preferred_language = "es"
        self.assertEqual(resident._confirma_lang_code(), "es_ES")


@tagged("post_install", "-at_install")
class TestResidentForm(ConfirmaCitizenCommon):
    """Residents open in their own form, not in the contact form."""

    def test_resident_form_instead_of_contact_form(self):
        resident = self.env["res.partner"].create(
            {
                "is_resident": True,
                "first_name": "Rosa",
                "surname1": "Vidal",
                "document_type": "dni",
                "document_number": "12345678Z",
            }
        )
        contact = self.env["res.partner"].create({"name": "Supplier SL"})
        form = self.env.ref("confirma_citizen.res_partner_view_form")
        officer = self.officer_citizen
        self.assertEqual(resident.with_user(officer).get_formview_id(), form.id)
        self.assertNotEqual(contact.get_formview_id(), form.id)
        arch = (
            self.env["res.partner"]
            .with_user(officer)
            .get_views([(form.id, "form")])["views"]["form"]["arch"]
        )
        for shown in (
            "document_number",
            "birthdate",
            "padron_state",
            "preferred_language",
            "preferred_channel",
            "data_opposition",
            "household_member_ids",
            "padron_event_ids",
            "fact_ids",
        ):
            self.assertIn(f'name="{shown}"', arch)
        # no company, VAT, job position or sales fields
        for hidden in ("vat", "is_company", "function", "property_payment_term_id"):
            self.assertNotIn(f'name="{hidden}"', arch)
        action = resident.action_open_resident_form()
        self.assertEqual(action["views"], [(form.id, "form")])
