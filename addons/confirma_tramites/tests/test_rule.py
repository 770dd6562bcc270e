# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import REFERENCE, ConfirmaPopulationCommon


@tagged("post_install", "-at_install")
class TestRuleConditions(ConfirmaPopulationCommon):
    """Each kind of condition, against residents whose answer is known."""

    def assertSelects(self, conditions, expected, match="all", procedure=None):
        rule = self.make_rule(*conditions, match=match)
        self.assertEqual(
            self.matching(rule, procedure),
            expected,
            f"{rule.summary!r} selected the wrong residents",
        )
        return rule

    def test_age(self):
        self.assertSelects([{"kind": "age", "min_value": 65}], self.anna)
        # Bernat turns 65 the day after the reference date
        self.assertSelects(
            [{"kind": "age", "min_value": 60, "max_value": 64}], self.bernat
        )
        self.assertSelects([{"kind": "age", "max_value": 17}], self.carla)
        self.assertSelects(
            [{"kind": "age", "min_value": 65, "negate": True}],
            self.bernat | self.carla | self.driss,
        )

    def test_age_by_the_end_of_the_period(self):
        procedure = self.make_procedure(code="AGEP")
        self.assertSelects(
            [{"kind": "age", "min_value": 65, "reference": "period_end"}],
            self.anna | self.bernat,
            procedure=procedure,
        )

    def test_years_registered(self):
        self.assertSelects([{"kind": "registration_years", "min_value": 20}], self.anna)
        self.assertSelects(
            [{"kind": "registration_years", "min_value": 10, "max_value": 16}],
            self.driss | self.carla,
        )

    def test_household(self):
        self.assertSelects(
            [{"kind": "household_size", "max_value": 1}], self.anna | self.driss
        )
        self.assertSelects(
            [{"kind": "household_minors", "min_value": 1}], self.bernat | self.carla
        )
        self.assertSelects([{"kind": "household_elders", "min_value": 1}], self.anna)
        self.assertSelects(
            [{"kind": "household_minors", "min_value": 1, "negate": True}],
            self.anna | self.driss,
        )

    def test_household_member_age(self):
        rule = self.assertSelects(
            [{"kind": "household_member_age", "max_value": 12}],
            self.bernat | self.carla,
        )
        self.assertEqual(
            rule.explain(self.bernat, REFERENCE)[self.bernat.id],
            "Someone aged 11 lives in your household.",
        )

    def test_district_and_section(self):
        self.assertSelects(
            [{"kind": "district", "codes": "01"}], self.anna | self.driss
        )
        self.assertSelects(
            [{"kind": "section", "codes": "002, 004"}],
            self.bernat | self.carla | self.driss,
        )

    def test_nationality(self):
        self.assertSelects(
            [{"kind": "nationality", "country_ids": [(6, 0, [self.morocco.id])]}],
            self.driss,
        )
        self.assertSelects(
            [
                {
                    "kind": "nationality",
                    "country_group_id": self.env.ref("base.europe").id,
                }
            ],
            self.anna | self.bernat | self.carla,
        )

    def test_sex(self):
        self.env["res.partner"].browse(self.anna.id).sex = "female"
        self.assertSelects([{"kind": "sex", "sex": "female"}], self.anna)

    def test_facts(self):
        self.assertSelects(
            [{"kind": "fact", "fact_type_id": self.large_family.id}], self.driss
        )
        self.assertSelects(
            [
                {
                    "kind": "fact",
                    "fact_type_id": self.income.id,
                    "fact_operator": "<",
                    "fact_value": "20000",
                }
            ],
            self.driss,
        )
        self.assertSelects(
            [
                {
                    "kind": "fact",
                    "fact_type_id": self.income.id,
                    "fact_operator": ">=",
                    "fact_value": "14000",
                }
            ],
            self.driss | self.bernat,
        )
        # only facts recorded within 3 months of the reference date count
        self.assertSelects(
            [
                {
                    "kind": "fact",
                    "fact_type_id": self.income.id,
                    "fact_operator": "set",
                    "fact_months": 3,
                }
            ],
            self.env["res.partner"],
        )

    def test_fact_value_must_parse(self):
        with self.assertRaises(ValidationError):
            self.make_rule(
                {
                    "kind": "fact",
                    "fact_type_id": self.income.id,
                    "fact_operator": ">",
                    "fact_value": "a lot",
                }
            )

    def test_channels(self):
        self.assertSelects([{"kind": "channel", "channel": "email"}], self.anna)
        self.assertSelects([{"kind": "channel", "channel": "sms"}], self.bernat)
        self.assertSelects(
            [{"kind": "channel", "channel": "digital"}], self.anna | self.bernat
        )
        self.assertSelects(
            [{"kind": "channel", "channel": "post"}], self.anna | self.bernat
        )
        self.anna.email_opt_out = True
        self.assertSelects(
            [{"kind": "channel", "channel": "email"}], self.anna.browse()
        )

    def test_no_opposition(self):
        self.assertSelects(
            [{"kind": "no_opposition"}], self.anna | self.bernat | self.carla
        )

    def test_not_beneficiary(self):
        rule = self.make_rule({"kind": "age", "min_value": 65})
        procedure = self.make_procedure(rule)
        self.assertSelects(
            [{"kind": "not_beneficiary"}], self.town, procedure=procedure
        )
        case = self.env["confirma.case"]._open_cases(
            procedure, self.anna, "sweep", REFERENCE
        )
        # an offer is not a benefit yet
        self.assertSelects(
            [{"kind": "not_beneficiary"}], self.town, procedure=procedure
        )
        case.action_confirm()
        self.assertSelects(
            [{"kind": "not_beneficiary"}],
            self.bernat | self.carla | self.driss,
            procedure=procedure,
        )
        # another procedure's benefit, named explicitly
        self.assertSelects(
            [{"kind": "not_beneficiary", "beneficiary_procedure_id": procedure.id}],
            self.bernat | self.carla | self.driss,
        )

    def test_and_or_groups(self):
        group = self.make_rule(
            {"kind": "fact", "fact_type_id": self.large_family.id},
            {"kind": "household_minors", "min_value": 1},
            match="any",
            name="Families",
            is_group=True,
        )
        self.assertSelects(
            [
                {"kind": "group", "group_id": group.id},
                {"kind": "age", "min_value": 18},
            ],
            self.bernat | self.driss,
        )
        self.assertSelects(
            [
                {"kind": "age", "min_value": 65},
                {"kind": "district", "codes": "02"},
            ],
            self.anna | self.bernat | self.carla,
            match="any",
        )

    def test_group_cannot_contain_itself(self):
        group = self.make_rule(
            {"kind": "age", "min_value": 1}, name="Loop", is_group=True
        )
        with self.assertRaises(ValidationError):
            group.write(
                {"condition_ids": [(0, 0, {"kind": "group", "group_id": group.id})]}
            )

    def test_limits_are_required(self):
        with self.assertRaises(ValidationError):
            self.make_rule({"kind": "age"})
        with self.assertRaises(ValidationError):
            self.make_rule({"kind": "age", "min_value": 70, "max_value": 60})

    def test_rule_is_one_query(self):
        """A five-condition rule is evaluated by a single SQL query."""
        rule = self.make_rule(
            {"kind": "age", "min_value": 60},
            {"kind": "registration_years", "min_value": 5},
            {"kind": "household_size", "max_value": 2},
            {"kind": "district", "codes": "01, 02"},
            {"kind": "channel", "channel": "digital"},
        )
        domain = rule._domain(REFERENCE)
        Partner = self.env["res.partner"].with_user(self.officer_tramites)
        Partner.search_count(domain)  # warm the caches (rules, fields)
        with self.assertQueryCount(1):
            count = Partner.search_count(domain)
        self.assertEqual(count, 2)  # anna and bernat (carla is too young)

    def test_explanation(self):
        rule = self.make_rule(
            {"kind": "age", "min_value": 65},
            {"kind": "registration_years", "min_value": 10},
            {"kind": "household_size", "max_value": 1},
        )
        texts = rule.with_context(lang="en_US").explain(self.anna, REFERENCE)
        self.assertEqual(
            texts[self.anna.id],
            # Anna's language is Catalan but no Catalan is loaded here: the
            # words fall back to the source text
            "You are 67, you have been registered here since 2004 and you live "
            "alone.",
        )
        texts = self.make_rule(
            {"kind": "household_minors", "min_value": 1},
            {"kind": "channel", "channel": "sms"},
            {"kind": "district", "codes": "02"},
        ).explain(self.bernat, REFERENCE)
        self.assertEqual(
            texts[self.bernat.id],
            "A minor lives in your household, we can send you an SMS and you "
            "live in district 02.",
        )

    def test_summary_reads_as_the_conditions(self):
        rule = self.make_rule(
            {"kind": "age", "min_value": 65, "max_value": 120},
            {"kind": "district", "codes": "01,02"},
        )
        self.assertEqual(
            rule.with_context(lang="en_US").summary,
            "Age: between 65 and 120 years and\nDistrict in 01, 02",
        )
