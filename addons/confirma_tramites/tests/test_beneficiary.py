# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who a benefit is for and who confirms it: a baby's birth grant goes to
one parent of the baby's household sheet, once per baby, never to the
grandmother who lives with them."""

import psycopg2
from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import REFERENCE, ConfirmaPopulationCommon


@tagged("post_install", "-at_install")
class TestBeneficiary(ConfirmaPopulationCommon):
    """The test town plus two households with a baby born in 2026.

    =====  ==========  ==========  ================================
    who    born        registered  household
    =====  ==========  ==========  ================================
    elena  1990-04-02  2026-01-15  H4 holder (registered this year)
    marc   1988-09-30  2012-05-01  H4 partner
    rosa   1956-02-11  2012-05-01  H4 parent (the grandmother)
    nil    2026-03-10  2026-03-10  H4 child
    joan   2026-02-01  2026-02-01  H5 child, living with two lodgers
    =====  ==========  ==========  ================================
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(str(REFERENCE)):
            cls._build_families()
            cls.env.flush_all()

    @classmethod
    def _build_families(cls):
        env = cls.env
        cls.h4, cls.h5 = env["confirma.household"].create(
            [{"name": "T-H4", "district_code": "03"}, {"name": "T-H5"}]
        )

        def member(first, born, registered, household, relation, **extra):
            return env["res.partner"].create(
                {
                    "is_resident": True,
                    "padron_state": "active",
                    "first_name": first,
                    "surname1": "Roca",
                    "birthdate": born,
                    "padron_registration_date": registered,
                    "household_id": household.id,
                    "household_relation": relation,
                    **extra,
                }
            )

        cls.elena = member("Elena", "1990-04-02", "2026-01-15", cls.h4, "holder")
        cls.marc = member("Marc", "1988-09-30", "2012-05-01", cls.h4, "partner")
        cls.rosa = member("Rosa", "1956-02-11", "2012-05-01", cls.h4, "parent")
        cls.nil = member("Nil", "2026-03-10", "2026-03-10", cls.h4, "child")
        cls.joan = member("Joan", "2026-02-01", "2026-02-01", cls.h5, "child")
        cls.lodgers = member(
            "Pere", "1970-01-01", "2000-01-01", cls.h5, "other"
        ) | member("Pau", "1975-01-01", "2000-01-01", cls.h5, "other")
        cls.families = cls.elena | cls.marc | cls.rosa | cls.nil | cls.joan
        cls.everyone = cls.town | cls.families | cls.lodgers
        cls.birth_rule = cls.make_rule(
            {"kind": "born_in_period"},
            {"subject": "guardian", "kind": "registration_years", "min_value": 1},
            {"kind": "not_beneficiary"},
            name="Babies of the year, a parent registered for a year",
        )

    def birth_grant(self, **vals):
        return self.make_procedure(
            self.birth_rule, code="BIRTH", applicant="guardian", **vals
        )

    def sweep(self, procedure):
        return procedure.with_user(self.officer_tramites).sweep(
            reference=REFERENCE, extra_domain=[("id", "in", self.everyone.ids)]
        )

    def test_one_offer_per_baby_to_a_parent(self):
        procedure = self.birth_grant()
        self.assertEqual(self.sweep(procedure), (1, 0))
        case = procedure.case_ids
        self.assertEqual(case.beneficiary_id, self.nil)
        # the holder answers for the baby, although it is the partner who
        # has been registered for a year
        self.assertEqual(case.partner_id, self.elena)
        self.assertTrue(case.for_someone_else)
        self.assertEqual(
            case.explanation,
            "This offer is for Nil, who is registered in your household. "
            "Nil was born on 10/03/2026, Marc has been registered here since "
            "2012 and Nil has not received Test procedure yet this period.",
        )
        # the grandmother and the lodgers get nothing, nor does the baby
        # without a parent on its household sheet
        self.assertFalse(
            self.env["confirma.case"].search(
                [
                    ("procedure_id", "=", procedure.id),
                    ("partner_id", "in", (self.rosa | self.marc | self.lodgers).ids),
                ]
            )
        )
        # again: nothing new (Nil has a case already)
        self.assertEqual(self.sweep(procedure), (0, 1))

    def test_the_parent_is_named_you_when_it_is_them(self):
        self.marc.padron_registration_date = "2026-01-20"
        self.elena.padron_registration_date = "2015-07-01"
        procedure = self.birth_grant()
        self.sweep(procedure)
        self.assertIn(
            "you have been registered here since 2015",
            procedure.case_ids.explanation,
        )

    def test_no_guardian_registered_long_enough(self):
        self.elena.padron_registration_date = "2026-01-15"
        self.marc.padron_registration_date = "2026-01-20"
        procedure = self.birth_grant()
        self.assertEqual(self.sweep(procedure), (0, 0))

    def test_a_baby_without_parent_on_its_sheet_is_not_counted(self):
        rule = self.make_rule({"kind": "born_in_period"}, name="Babies")
        procedure = self.birth_grant(rule_id=rule.id)
        Partner = self.env["res.partner"].with_user(self.officer_tramites)
        eligible = Partner.search(
            procedure._eligible_domain(REFERENCE) + [("id", "in", self.everyone.ids)]
        )
        self.assertEqual(eligible, self.nil)
        # the same procedure for its beneficiaries themselves: both babies
        procedure.applicant = "beneficiary"
        eligible = Partner.search(
            procedure._eligible_domain(REFERENCE) + [("id", "in", self.everyone.ids)]
        )
        self.assertEqual(eligible, self.nil | self.joan)

    def test_adults_confirm_for_themselves(self):
        rule = self.make_rule({"kind": "age", "min_value": 65}, name="Seniors")
        procedure = self.make_procedure(rule, code="SENIOR", applicant="guardian")
        self.sweep(procedure)
        cases = procedure.case_ids
        self.assertEqual(cases.beneficiary_id, self.anna | self.rosa)
        for case in cases:
            self.assertEqual(case.partner_id, case.beneficiary_id)
            self.assertFalse(case.for_someone_else)
            self.assertNotIn("This offer is for", case.explanation)

    @mute_logger("odoo.sql_db")
    def test_one_live_case_per_beneficiary_whoever_confirms(self):
        procedure = self.birth_grant()
        self.sweep(procedure)
        with self.assertRaises(psycopg2.errors.UniqueViolation), self.cr.savepoint():
            self.env["confirma.case"].create(
                {
                    "partner_id": self.marc.id,
                    "beneficiary_id": self.nil.id,
                    "procedure_id": procedure.id,
                    "period": "2026",
                }
            )

    def test_a_departed_baby_cancels_the_parents_case(self):
        procedure = self.birth_grant()
        self.sweep(procedure)
        case = procedure.case_ids
        self.nil.write(
            {
                "padron_state": "deregistered",
                "padron_deregistration_reason": "moved",
                "padron_deregistration_date": "2026-06-14",
            }
        )
        self.env["confirma.case"]._stop_for_departed(self.nil)
        self.assertEqual(case.state, "cancelled")
        self.assertIn("left the padrón", case.cancel_reason)

    def test_the_parents_sms_names_the_child(self):
        self.elena.mobile = "+34 612 000 009"
        procedure = self.birth_grant()
        self.sweep(procedure)
        case = procedure.case_ids
        case._send_sms("offer")
        case._send_sms("reminder")
        bodies = (
            self.env["sms.sms"].sudo().search([("partner_id", "=", self.elena.id)])
        ).mapped("body")
        self.assertEqual(len(bodies), 2)
        self.assertTrue(any("Nil qualifies for Test procedure" in b for b in bodies))
        self.assertTrue(
            any("not confirmed Test procedure for Nil yet" in b for b in bodies)
        )
        self.assertFalse(any("you qualify" in b for b in bodies))

    def test_household_relation_condition(self):
        rule = self.make_rule(
            {"kind": "household_relation", "household_relation": "holder"},
            name="Holders",
        )
        self.assertEqual(self.matching(rule), self.anna | self.bernat | self.driss)
        self.assertEqual(
            rule.condition_ids.display_name, "Relation in the household: Holder"
        )

    def test_guardian_condition_reads_as_such(self):
        condition = self.birth_rule.condition_ids.filtered(
            lambda c: c.subject == "guardian"
        )
        self.assertEqual(
            condition.display_name,
            "A parent or guardian: Registered: at least 1 year",
        )

    def test_units_agree_with_their_number(self):
        rule = self.make_rule(
            {"kind": "age", "min_value": 2},
            {"kind": "household_minors", "max_value": 1},
            {"kind": "household_size", "min_value": 1, "max_value": 3},
            {"kind": "household_elders", "min_value": 1},
        )
        self.assertEqual(
            rule.condition_ids.mapped("display_name"),
            [
                "Age: at least 2 years",
                "Household: at most 1 minor",
                "Household: between 1 and 3 members",
                "Household: at least 1 member aged 65+",
            ],
        )

    def test_the_baby_form_counts_the_parents_case(self):
        procedure = self.birth_grant()
        self.sweep(procedure)
        for partner in (self.nil, self.elena):
            partner = partner.with_user(self.officer_tramites)
            self.assertEqual(partner.confirma_case_count, 1)
            action = partner.action_view_confirma_cases()
            self.assertEqual(
                self.env["confirma.case"].search(action["domain"]),
                procedure.case_ids,
            )
        self.assertFalse(self.rosa.with_user(self.officer_tramites).confirma_case_count)

    def test_fact_sentences(self):
        self.large_family.write(
            {
                "sentence": "you hold a large-family title",
                "sentence_other": "%(name)s's family holds a large-family title",
            }
        )
        self.income.sentence = "your household's income was %(value)s €"
        rule = self.make_rule(
            {"kind": "fact", "fact_type_id": self.large_family.id},
            {
                "kind": "fact",
                "fact_type_id": self.income.id,
                "fact_operator": "<=",
                "fact_value": "20000",
            },
            name="Large families",
        )
        texts = rule.explain(self.driss, REFERENCE)
        self.assertEqual(
            texts[self.driss.id],
            "You hold a large-family title and your household's income was "
            "14,000 €.",
        )
        # a broken sentence falls back to the fact's name and value
        self.income.sentence = "income %(amount)s"
        texts = rule.explain(self.driss, REFERENCE)
        self.assertIn("Household income: 14000", texts[self.driss.id])


@tagged("post_install", "-at_install")
class TestExplanationLanguage(ConfirmaPopulationCommon):
    resident_langs = ("es_ES",)

    def test_the_procedure_is_named_in_the_residents_language(self):
        rule = self.make_rule({"kind": "not_beneficiary"}, name="Not yet")
        procedure = self.make_procedure(rule, code="LANG", name="Senior card")
        procedure.with_context(lang="es_ES").name = "Tarjeta dorada"
        # Bernat reads Spanish; the sweep runs in the officer's English
        case = self.env["confirma.case"]._open_cases(
            procedure, self.bernat, "sweep", REFERENCE
        )
        self.assertIn("Tarjeta dorada", case.explanation)
        self.assertNotIn("Senior card", case.explanation)
