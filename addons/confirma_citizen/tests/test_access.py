# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ConfirmaCitizenCommon


@tagged("post_install", "-at_install", "security")
class TestAccess(ConfirmaCitizenCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.resident = cls.env["res.partner"].create(
            {
                "name": "Maria Ribes",
                "is_resident": True,
                "padron_state": "active",
                "birthdate": "1950-01-01",
            }
        )
        cls.supplier = cls.env["res.partner"].create({"name": "Supplier S.L."})

    def test_internal_user_without_group_sees_no_resident(self):
        Partner = self.env["res.partner"].with_user(self.user_internal)
        self.assertFalse(Partner.search([("id", "=", self.resident.id)]))
        self.assertTrue(Partner.search([("id", "=", self.supplier.id)]))
        with self.assertRaises(AccessError):
            self.resident.with_user(self.user_internal).read(["birthdate"])

    def test_user_reads_officer_edits(self):
        self.assertEqual(
            self.resident.with_user(self.user_citizen).birthdate.year, 1950
        )
        with self.assertRaises(AccessError):
            self.resident.with_user(self.user_citizen).write({"phone": "+34600000000"})
        self.resident.with_user(self.officer_citizen).write({"phone": "+34600000000"})
        self.assertEqual(self.resident.phone, "+34600000000")

    def test_households_and_facts(self):
        household = self.env["confirma.household"].create({"name": "HX"})
        with self.assertRaises(AccessError):
            household.with_user(self.user_internal).read(["name"])
        with self.assertRaises(AccessError):
            household.with_user(self.user_citizen).write({"street": "x"})
        household.with_user(self.officer_citizen).write({"street": "Carrer Nou 2"})
        fact_type = self.env.ref("confirma_citizen.fact_type_large_family")
        fact = (
            self.env["confirma.fact"]
            .with_user(self.officer_citizen)
            .create(
                {
                    "partner_id": self.resident.id,
                    "type_id": fact_type.id,
                    "value_boolean": True,
                }
            )
        )
        self.assertEqual(fact.company_id, self.resident.company_id)
        with self.assertRaises(AccessError):
            fact_type.with_user(self.officer_citizen).write({"name": "x"})

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "Ajuntament B"})
        household = self.env["confirma.household"].create(
            {"name": "HB", "company_id": other.id}
        )
        Household = self.env["confirma.household"].with_user(self.user_citizen)
        self.assertFalse(Household.search([("id", "=", household.id)]))
