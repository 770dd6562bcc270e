# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime

from freezegun import freeze_time

from odoo import models

from odoo.addons.confirma_citizen.tests.common import (
    ConfirmaCitizenCommon,
    new_role_users,
)

from ..models.confirma_procedure import EVENT_QUEUE_KEY

# Every test evaluates rules on this day (never on the real today).
REFERENCE = datetime.date(2026, 6, 15)


class ConfirmaTramitesCommon(ConfirmaCitizenCommon):
    """Base class of the Confirm@ Procedures tests: a user per role of this addon."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_tramites, cls.officer_tramites, cls.manager_tramites = new_role_users(
            cls.env, "confirma_tramites", "tramites"
        )


class ConfirmaPopulationCommon(ConfirmaTramitesCommon):
    """A small, hand-built town whose answers to each rule are known.

    =====  ==========  ==========  ========  ================================
    who    born        registered  district  household, other
    =====  ==========  ==========  ========  ================================
    anna   1959-06-15  2004-03-01  01        H1 alone; email; ES
    bernat 1961-06-16  2020-01-01  02        H2 holder; mobile; ES (turns 65
                                             on 2026-06-16)
    carla  2015-01-01  2015-01-01  02        H2 child
    driss  1990-01-01  2010-05-01  01        H3 alone; NIE, MA; opposes data
                                             queries; large family fact
    =====  ==========  ==========  ========  ================================
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # household counts (minors, 65+) are kept as of today: build the town
        # on the reference date
        with freeze_time(str(REFERENCE)):
            cls._build_town()
            cls.env.flush_all()
        # residents created here queued events: the tests start with none
        cls.env.cr.precommit.data.pop(EVENT_QUEUE_KEY, None)

    def setUp(self):
        super().setUp()
        self.env.cr.precommit.data.pop(EVENT_QUEUE_KEY, None)

    @classmethod
    def _build_town(cls):
        env = cls.env
        cls.spain = env.ref("base.es")
        cls.morocco = env.ref("base.ma")
        Household = env["confirma.household"]
        cls.h1, cls.h2, cls.h3 = Household.create(
            [{"name": f"T-H{i}", "district_code": "01"} for i in (1, 2, 3)]
        )

        def resident(name, born, registered, district, section, household, **extra):
            first, surname = name.split(" ", 1)
            return env["res.partner"].create(
                {
                    "is_resident": True,
                    "padron_state": "active",
                    "first_name": first,
                    "surname1": surname,
                    "birthdate": born,
                    "padron_registration_date": registered,
                    "district_code": district,
                    "section_code": section,
                    "household_id": household.id,
                    "nationality_id": extra.pop("nationality", cls.spain).id,
                    **extra,
                }
            )

        cls.anna = resident(
            "Anna Ferrer", "1959-06-15", "2004-03-01", "01", "001", cls.h1,
            surname2="Puig", household_relation="holder", document_type="dni",
            document_number="11111111H", email="anna@example.org",
            street="Carrer Major 1", preferred_language="ca",
        )  # fmt: skip
        cls.bernat = resident(
            "Bernat Soler", "1961-06-16", "2020-01-01", "02", "004", cls.h2,
            household_relation="holder", document_type="dni",
            document_number="22222222J", mobile="+34 612 000 001",
            street="Plaça Nova 2", preferred_language="es",
        )  # fmt: skip
        cls.carla = resident(
            "Carla Soler", "2015-01-01", "2015-01-01", "02", "004", cls.h2,
            household_relation="child",
        )  # fmt: skip
        cls.driss = resident(
            "Driss Alami", "1990-01-01", "2010-05-01", "01", "002", cls.h3,
            household_relation="holder", document_type="nie",
            document_number="X1234567L", nationality=cls.morocco,
            data_opposition=True, preferred_language="es",
        )  # fmt: skip
        cls.town = cls.anna | cls.bernat | cls.carla | cls.driss
        cls.large_family = env["confirma.fact.type"].create(
            {"name": "Large family title", "code": "T_LARGE", "value_type": "boolean"}
        )
        cls.income = env["confirma.fact.type"].create(
            {"name": "Household income", "code": "T_INCOME", "value_type": "number"}
        )
        env["confirma.fact"].create(
            [
                {
                    "partner_id": cls.driss.id,
                    "type_id": cls.large_family.id,
                    "value_boolean": True,
                    "date": "2026-01-10",
                },
                {
                    "partner_id": cls.driss.id,
                    "type_id": cls.income.id,
                    "value_number": 14000,
                    "date": "2025-12-31",
                },
                {
                    "partner_id": cls.bernat.id,
                    "type_id": cls.income.id,
                    "value_number": 31000,
                    "date": "2025-12-31",
                },
            ]
        )

    # ---- helpers ------------------------------------------------------------------
    @classmethod
    def make_rule(cls, *conditions, match="all", name="Test rule", **vals):
        """A rule, created by a Procedures manager (not the administrator)."""
        return (
            cls.env["confirma.rule"]
            .with_user(cls.manager_tramites)
            .create(
                dict(
                    name=name,
                    match=match,
                    condition_ids=[(0, 0, c) for c in conditions],
                    **vals,
                )
            )
        )

    @classmethod
    def make_procedure(cls, rule=None, state="active", **vals):
        values = {
            "name": "Test procedure",
            "code": vals.pop("code", "TEST"),
            "rule_id": rule.id if rule else False,
            "periodicity": "yearly",
            "phase_ids": [
                (0, 0, {"kind": "initiation", "name": "Confirm", "duration_days": 30}),
                (
                    0,
                    0,
                    {"kind": "instruction", "name": "Checks", "duration_days": 20},
                ),
                (0, 0, {"kind": "resolution", "name": "Decision", "duration_days": 10}),
            ],
        }
        values.update(vals)
        procedure = (
            cls.env["confirma.procedure"].with_user(cls.manager_tramites).create(values)
        )
        if state != "draft":
            procedure.write({"state": state})
        return procedure

    def matching(self, rule, procedure=None, reference=REFERENCE):
        """The residents of the test town that ``rule`` selects, for an officer."""
        return (
            self.env["res.partner"]
            .with_user(self.officer_tramites)
            .search([("id", "in", self.town.ids)] + rule._domain(reference, procedure))
        )


def answer_at_counter(cases, user, answer="confirm", **values):
    """Answer ``cases`` at the counter as ``user`` does: the case's button
    opens the answer dialog, the officer ticks that the identity document
    was checked (and any of ``values``), then records the answer. Returns
    the last action (the success notification)."""
    action = None
    for case in cases:
        button = case.with_user(user)
        opened = (
            button.action_counter_confirm()
            if answer == "confirm"
            else button.action_counter_decline()
        )
        wizard = case.env[opened["res_model"]].with_user(user).browse(opened["res_id"])
        wizard.write(dict({"identity_checked": True, "receipt": "none"}, **values))
        action = wizard.action_apply()
    return action


def stored_values(record, skip=()):
    """Every stored value of ``record`` but its id, log columns, one2many
    fields and ``skip``: what a set-based creation must store as the
    ORM's ``create()`` does."""
    skip = {"id", *models.LOG_ACCESS_COLUMNS, *skip}
    return tuple(
        (name, str(record[name]))
        for name, field in sorted(record._fields.items())
        if field.store and field.type != "one2many" and name not in skip
    )
