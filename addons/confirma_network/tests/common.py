# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime
import json

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.tests import new_test_user

from odoo.addons.confirma_citizen.tests.common import ConfirmaCitizenCommon
from odoo.addons.confirma_tramites.models.confirma_procedure import EVENT_QUEUE_KEY

from .. import package as packages

TODAY = datetime.date(2026, 6, 15)


def born(age):
    """A birthdate ``age`` whole years (and some months) before TODAY."""
    return TODAY - relativedelta(years=age, months=3)


class ConfirmaNetworkCommon(ConfirmaCitizenCommon):
    """Two towns of one provincial installation, each with its own
    procedures manager (not an administrator, and only of their town), and
    town A's rent aid ready to share: an age range and years registered as
    local parameters, two articles of legal basis, test cases at the
    parameters' edges. Town B has four residents of 20, 29, 31 and 40."""

    resident_langs = ("es_ES", "ca_ES")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.town_a = env.company
        cls.town_a.write(
            {"name": "Ajuntament de Vilademo", "confirma_ine_code": "46900"}
        )
        cls.town_b = env["res.company"].create(
            {"name": "Ajuntament de Vilanova", "confirma_ine_code": "46901"}
        )
        env.user.company_ids |= cls.town_b
        cls.manager_a = cls._manager("net_manager_a", cls.town_a)
        cls.manager_b = cls._manager("net_manager_b", cls.town_b)
        cls.officer_a = new_test_user(
            env,
            login="net_officer_a",
            groups="base.group_user,confirma_tramites.group_officer",
            company_id=cls.town_a.id,
            company_ids=[cls.town_a.id],
        )
        with freeze_time(str(TODAY)):
            cls.rent = cls._rent_procedure()
            cls.residents_b = cls._residents(cls.town_b, (20, 29, 31, 40))
            env.flush_all()
        env.cr.precommit.data.pop(EVENT_QUEUE_KEY, None)

    @classmethod
    def _manager(cls, login, town):
        return new_test_user(
            cls.env,
            login=login,
            groups="base.group_user,confirma_tramites.group_manager",
            company_id=town.id,
            company_ids=[town.id],
        )

    @classmethod
    def _residents(cls, town, ages):
        Partner = cls.env["res.partner"].with_company(town)
        household = cls.env["confirma.household"].create(
            [{"name": f"NET-{town.id}-{age}", "company_id": town.id} for age in ages]
        )
        return Partner.create(
            [
                {
                    "is_resident": True,
                    "padron_state": "active",
                    "company_id": town.id,
                    "first_name": f"Age{age}",
                    "surname1": "Test",
                    "birthdate": born(age),
                    "padron_registration_date": TODAY - relativedelta(years=5),
                    "household_id": home.id,
                    "household_relation": "holder",
                }
                for age, home in zip(ages, household, strict=True)
            ]
        )

    @classmethod
    def _rent_procedure(cls):
        env = cls.env(user=cls.manager_a)
        rule = env["confirma.rule"].create(
            {
                "name": "Young residents",
                "match": "all",
                "condition_ids": [
                    (0, 0, {"kind": "age", "min_value": 18, "max_value": 35}),
                    (0, 0, {"kind": "registration_years", "min_value": 2}),
                ],
            }
        )
        age, years = rule.condition_ids
        procedure = env["confirma.procedure"].create(
            {
                "name": "Rent aid for young people",
                "code": "RENT",
                "rule_id": rule.id,
                "periodicity": "yearly",
                "legal_basis": "State Housing Plan",
                "phase_ids": [
                    (0, 0, {"kind": "initiation", "name": "You confirm"}),
                    (0, 0, {"kind": "resolution", "name": "Payments"}),
                ],
                "requirement_ids": [
                    (0, 0, {"name": "Aged 18 to 35", "method": "data"}),
                ],
                "parameter_ids": [
                    (0, 0, cls._param("min_age", "Minimum age", 18, age, "min_value")),
                    (0, 0, cls._param("max_age", "Maximum age", 35, age, "max_value")),
                    (
                        0,
                        0,
                        cls._param(
                            "min_years", "Years registered", 2, years, "min_value"
                        ),
                    ),
                ],
                "legal_article_ids": [
                    (
                        0,
                        0,
                        {
                            "norm": "Real Decreto 42/2022",
                            "article": "art. 3",
                            "summary": "Beneficiaries up to the age limit.",
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "norm": "Ley 39/2015",
                            "article": "art. 28.2",
                            "summary": "No data the administration holds.",
                        },
                    ),
                ],  # fmt: skip
                "test_case_ids": [
                    (
                        0,
                        0,
                        cls._case(
                            "At the maximum age",
                            {
                                "age": {"$param": "max_age"},
                                "registered_years": {"$param": "min_years"},
                            },
                            True,
                            {"es": ["{max_age} años"], "ca": ["{max_age} anys"]},
                        ),
                    ),
                    (
                        0,
                        0,
                        cls._case(
                            "A year past the maximum age",
                            {
                                "age": {"$param": "max_age", "offset": 1},
                                "registered_years": 5,
                            },
                            False,
                        ),
                    ),
                    (
                        0,
                        0,
                        cls._case(
                            "A year below the minimum age",
                            {
                                "age": {"$param": "min_age", "offset": -1},
                                "registered_years": 5,
                            },
                            False,
                        ),
                    ),
                    (
                        0,
                        0,
                        cls._case(
                            "Registered a year too few",
                            {
                                "age": 25,
                                "registered_years": {
                                    "$param": "min_years",
                                    "offset": -1,
                                },
                            },
                            False,
                        ),
                    ),
                ],  # fmt: skip
            }
        )
        procedure.with_context(lang="es_ES").name = "Ayuda al alquiler para jóvenes"
        procedure.with_context(lang="ca_ES").name = "Ajuda al lloguer per a joves"
        procedure.action_submit()
        procedure.action_approve_protocol()
        procedure.action_activate()
        return procedure.with_env(cls.env)

    @staticmethod
    def _param(name, label, value, condition, field):
        return {
            "name": name,
            "label": label,
            "unit": "years",
            "value": str(value),
            "minimum": 0,
            "maximum": 99,
            "condition_id": condition.id,
            "condition_field": field,
        }

    @staticmethod
    def _case(name, resident, eligible, explanation=None):
        return {
            "name": name,
            "resident": json.dumps(resident),
            "expected_eligible": eligible,
            "expected_explanation": json.dumps(explanation or {}),
        }

    def export(self, procedure=None, user=None):
        procedure = (procedure or self.rent).with_user(user or self.manager_a)
        return procedure._package_export()

    def import_into_b(self, package, values=None, user=None):
        """Import ``package`` (a dict) into town B as its manager."""
        Package = self.env["confirma.package"].with_user(user or self.manager_b)
        return Package.with_company(self.town_b)._import_package(
            packages.dumps(package).encode("utf-8"), values or {}, self.town_b
        )
