# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools.misc import format_date

from odoo.addons.confirma_citizen.models.res_partner import HOUSEHOLD_RELATIONS

from .. import case_states as states
from ..eligibility import (
    HOUSEHOLD_COLUMNS,
    crossing_domain,
    household_domain,
    window_crossing_domain,
    window_domain,
    with_guardian_domain,
    years_range_domain,
)

FACT_COLUMNS = {
    "boolean": "value_boolean",
    "number": "value_number",
    "text": "value_text",
    "date": "value_date",
}


class ConfirmaRuleCondition(models.Model):
    """One condition of an eligibility rule, compiled to a domain.

    Each kind has its methods, found by name: ``_check_<kind>()`` (what is
    wrong with its parameters, or None), ``_domain_<kind>(reference,
    procedure)`` (the residents it holds for, on ``res.partner``),
    ``_crossing_<kind>(since, today)`` (who started to meet it on a day of
    that span; optional), ``_describe_<kind>()`` (in words, for officers)
    and ``_phrase_<kind>(partner, reference, measure, procedure)`` (why it
    holds for a resident, for a letter; optional: it speaks to the resident,
    or about them when ``self._you(partner)`` is false, to the parent who
    answers for them). Another addon adds a kind with ``selection_add`` and
    these methods.

    A condition is about the beneficiary, or (``subject = guardian``) about
    a parent or guardian in the beneficiary's household: the birth grant of
    a baby whose parent has been registered for a year. The date and household
    arithmetic is plain Python in ``eligibility.py``.
    """

    _name = "confirma.rule.condition"
    _description = "Eligibility condition"
    _order = "rule_id, sequence, id"

    rule_id = fields.Many2one(
        "confirma.rule", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    kind = fields.Selection(
        [
            ("age", "Age"),
            ("registration_years", "Years registered"),
            ("household_size", "Household size"),
            ("household_minors", "Minors in the household"),
            ("household_elders", "People 65+ in the household"),
            ("household_member_age", "Age of a household member"),
            ("household_relation", "Relation in the household"),
            ("born_in_period", "Born in the benefit period"),
            ("district", "District"),
            ("section", "Census section"),
            ("nationality", "Nationality"),
            ("sex", "Sex"),
            ("fact", "Fact"),
            ("channel", "Channel available"),
            ("not_beneficiary", "Not already a beneficiary"),
            ("no_opposition", "No opposition to data consultation"),
            ("padron_renewal", "Padrón renewal due (ENCSARP)"),
            ("group", "Group of conditions"),
        ],
        required=True,
        default="age",
    )
    negate = fields.Boolean(string="Not", help="The condition must NOT hold.")
    subject = fields.Selection(
        [
            ("beneficiary", "The beneficiary"),
            ("guardian", "A parent or guardian"),
        ],
        string="About",
        required=True,
        default="beneficiary",
        help="Whom the condition is about: the beneficiary, or an adult holder "
        "or partner of the beneficiary's household (e.g. a parent registered "
        "for a year, for a baby's birth grant).",
    )
    household_relation = fields.Selection(
        HOUSEHOLD_RELATIONS,
        string="Relation",
        help="The relation to the holder of the household sheet, as the padrón "
        "records it.",
    )
    min_value = fields.Integer(string="From")
    max_value = fields.Integer(
        string="To", help="Inclusive. Leave 0 for no upper limit."
    )
    reference = fields.Selection(
        [
            ("date", "On the evaluation date"),
            ("period_end", "By the end of the period"),
        ],
        string="Measured",
        default="date",
        help="Ages and years can be measured on the day of the evaluation, or "
        "at the end of the benefit period (e.g. turns 65 during the year).",
    )
    codes = fields.Char(
        help="District or section codes separated by commas, e.g. 01, 02."
    )
    country_ids = fields.Many2many("res.country", string="Countries")
    country_group_id = fields.Many2one(
        "res.country.group", string="Country group", help="e.g. European Union."
    )
    sex = fields.Selection([("male", "Male"), ("female", "Female")])
    fact_type_id = fields.Many2one("confirma.fact.type", string="Fact")
    fact_value_type = fields.Selection(related="fact_type_id.value_type")
    fact_operator = fields.Selection(
        [
            ("set", "is recorded"),
            ("=", "="),
            ("!=", "≠"),
            (">", ">"),
            (">=", "≥"),
            ("<", "<"),
            ("<=", "≤"),
        ],
        default="set",
    )
    fact_value = fields.Char(
        help="Number, text, date (YYYY-MM-DD) or yes/no, by the fact's type."
    )
    fact_within_days = fields.Integer(
        string="Date within (days)",
        help="For date facts (a permit's expiry) and padrón renewals: the date "
        "falls between the evaluation date and this many days after it. With a "
        "daily procedure, residents are picked up the day their date enters the "
        "window.",
    )
    fact_months = fields.Integer(
        string="Recorded within (months)",
        help="Only facts dated within this many months before the evaluation "
        "date count. 0: any date.",
    )
    channel = fields.Selection(
        [
            ("email", "Email"),
            ("sms", "SMS"),
            ("post", "Post"),
            ("digital", "Email or SMS"),
        ]
    )
    beneficiary_procedure_id = fields.Many2one(
        "confirma.procedure",
        string="Of procedure",
        help="Leave empty for the procedure being evaluated.",
    )
    group_id = fields.Many2one(
        "confirma.rule",
        string="Group of conditions",
        ondelete="restrict",
        domain=[("is_group", "=", True)],
    )

    _sql_constraints = [
        (
            "range_check",
            "CHECK(min_value >= 0 AND max_value >= 0)",
            "Limits cannot be negative.",
        )
    ]

    # ---- validation -------------------------------------------------------------
    @api.constrains(
        "kind",
        "household_relation",
        "min_value",
        "max_value",
        "codes",
        "country_ids",
        "country_group_id",
        "fact_type_id",
        "fact_operator",
        "fact_value",
        "fact_within_days",
        "channel",
        "group_id",
        "sex",
    )
    def _check_parameters(self):
        for condition in self:
            error = condition._parameter_error()
            if error:
                raise ValidationError(
                    self.env._(
                        "Condition “%(condition)s”: %(error)s",
                        condition=condition._selection_label("kind"),
                        error=error,
                    )
                )

    def _kind_method(self, prefix):
        """This condition's ``<prefix>_<kind>`` method, or None."""
        return getattr(self, f"{prefix}_{self.kind}", None)

    def _parameter_error(self):
        self.ensure_one()
        check = self._kind_method("_check")
        return check() if check else None

    def _check_range(self):
        if not self.min_value and not self.max_value:
            return self.env._("give a lower or an upper limit.")
        if self.max_value and self.max_value < self.min_value:
            return self.env._("the upper limit is below the lower one.")
        return None

    def _check_age(self):
        return self._check_range()

    def _check_registration_years(self):
        return self._check_range()

    def _check_household_size(self):
        return self._check_range()

    def _check_household_minors(self):
        return self._check_range()

    def _check_household_elders(self):
        return self._check_range()

    def _check_household_member_age(self):
        return self._check_range()

    def _check_codes(self):
        return None if self._code_list() else self.env._("list at least one code.")

    def _check_district(self):
        return self._check_codes()

    def _check_section(self):
        return self._check_codes()

    def _check_nationality(self):
        if self.country_ids or self.country_group_id:
            return None
        return self.env._("choose countries or a country group.")

    def _check_sex(self):
        return None if self.sex else self.env._("choose the sex.")

    def _check_fact(self):
        _ = self.env._
        if not self.fact_type_id:
            return _("choose the fact.")
        if self.fact_within_days and self.fact_type_id.value_type != "date":
            return _("only a date can fall within a number of days.")
        if self.fact_operator != "set":
            try:
                self._fact_value()
            except ValueError:
                return _(
                    "“%(value)s” is not a valid value for this fact.",
                    value=self.fact_value or "",
                )
        return None

    def _check_padron_renewal(self):
        if self.fact_within_days > 0:
            return None
        return self.env._("give the number of days before the renewal is due.")

    def _check_household_relation(self):
        if self.household_relation:
            return None
        return self.env._("choose the relation in the household.")

    def _check_channel(self):
        return None if self.channel else self.env._("choose the channel.")

    def _check_group(self):
        return None if self.group_id else self.env._("choose the group of conditions.")

    def _code_list(self):
        return [c.strip() for c in (self.codes or "").split(",") if c.strip()]

    def _fact_value(self):
        value_type = self.fact_type_id.value_type
        raw = (self.fact_value or "").strip()
        if value_type == "number":
            return float(raw.replace(",", "."))
        if value_type == "date":
            return fields.Date.to_date(raw)
        if value_type == "boolean":
            lowered = raw.lower()
            if lowered in ("1", "yes", "true", "sí", "si", "sí", "y", "s"):
                return True
            if lowered in ("0", "no", "false", "n", ""):
                return False
            raise ValueError(raw)
        if not raw:
            raise ValueError(raw)
        return raw

    # ---- compilation ------------------------------------------------------------
    def _measure_date(self, reference, procedure):
        if self.reference == "period_end" and procedure:
            end = procedure._period(reference)[2]
            return end or reference
        return reference

    def _domain(self, reference, procedure=None):
        """This condition as a domain on res.partner (index-friendly), on the
        beneficiary: a guardian condition becomes "a guardian of the
        beneficiary's household meets it" (one sub-query)."""
        self.ensure_one()
        domain = self._subject_domain(reference, procedure)
        if self.subject == "guardian":
            return with_guardian_domain(reference, domain)
        return domain

    def _subject_domain(self, reference, procedure=None):
        """This condition on the person it is about (for a guardian
        condition: on the guardian)."""
        self.ensure_one()
        compile_ = self._kind_method("_domain")
        if compile_ is None:
            raise ValueError(f"No domain for condition kind {self.kind!r}")
        domain = compile_(reference, procedure)
        if self.negate:
            return ["!", *expression.normalize_domain(domain)]
        return domain

    def _years_domain(self, field, reference, procedure):
        measure = self._measure_date(reference, procedure)
        return years_range_domain(field, measure, self.min_value, self.max_value)

    def _domain_age(self, reference, procedure):
        return self._years_domain("birthdate", reference, procedure)

    def _domain_registration_years(self, reference, procedure):
        return self._years_domain("padron_registration_date", reference, procedure)

    def _domain_household_member_age(self, reference, procedure):
        ages = self._years_domain("birthdate", reference, procedure)
        return [("household_id", "any", [("member_ids", "any", ages)])]

    def _domain_household_relation(self, reference, procedure):
        return [("household_relation", "=", self.household_relation)]

    def _domain_born_in_period(self, reference, procedure):
        if not procedure:
            return [("birthdate", "=", reference)]
        _key, start, end = procedure._period(reference)
        domain = [("birthdate", "<=", min(end or reference, reference))]
        if start:
            domain.append(("birthdate", ">=", start))
        return domain

    def _household_count_domain(self):
        column = HOUSEHOLD_COLUMNS[self.kind]
        return household_domain(column, self.min_value, self.max_value)

    def _domain_household_size(self, reference, procedure):
        return self._household_count_domain()

    def _domain_household_minors(self, reference, procedure):
        return self._household_count_domain()

    def _domain_household_elders(self, reference, procedure):
        return self._household_count_domain()

    def _domain_district(self, reference, procedure):
        return [("district_code", "in", self._code_list())]

    def _domain_section(self, reference, procedure):
        return [("section_code", "in", self._code_list())]

    def _domain_nationality(self, reference, procedure):
        countries = self.country_ids | self.country_group_id.country_ids
        return [("nationality_id", "in", countries.ids)]

    def _domain_sex(self, reference, procedure):
        return [("sex", "=", self.sex)]

    def _domain_fact(self, reference, procedure):
        domain = [("type_id", "=", self.fact_type_id.id), ("date", "<=", reference)]
        if self.fact_months:
            domain.append(
                ("date", ">", reference - relativedelta(months=self.fact_months))
            )
        if self.fact_operator and self.fact_operator != "set":
            column = FACT_COLUMNS[self.fact_type_id.value_type]
            domain.append((column, self.fact_operator, self._fact_value()))
        if self.fact_within_days:
            domain += window_domain("value_date", reference, self.fact_within_days)
        return [("fact_ids", "any", domain)]

    def _domain_channel(self, reference, procedure):
        return self.env["res.partner"]._reachable_domain(self.channel)

    def _domain_not_beneficiary(self, reference, procedure):
        target = self.beneficiary_procedure_id or procedure
        if not target:
            return []
        return [
            (
                "confirma_beneficiary_case_ids",
                "not any",
                [
                    ("procedure_id", "=", target.id),
                    ("period", "=", target._period(reference)[0]),
                    "|",
                    ("state", "in", states.BENEFIT),
                    ("resolution", "=", "granted"),
                ],
            )
        ]

    def _domain_no_opposition(self, reference, procedure):
        return [("data_opposition", "=", False)]

    def _domain_padron_renewal(self, reference, procedure):
        return [("padron_encsarp", "=", True)] + window_domain(
            "padron_renewal_due", reference, self.fact_within_days
        )

    def _domain_group(self, reference, procedure):
        return self.group_id._domain(reference, procedure) or []

    def _crossing_domain(self, since, today):
        """Residents who crossed this condition's date threshold in
        (since, today]: who turned 65 on one of those days, or whose permit
        came within 30 days of expiring."""
        self.ensure_one()
        crossing = self._kind_method("_crossing")
        if self.negate or crossing is None:
            return []
        domain = crossing(since, today)
        if domain and self.subject == "guardian":
            return with_guardian_domain(today, domain)
        return domain

    def _crossing_born_in_period(self, since, today):
        return [("birthdate", ">", since), ("birthdate", "<=", today)]

    def _crossing_age(self, since, today):
        if not self.min_value:
            return []
        return crossing_domain("birthdate", self.min_value, since, today)

    def _crossing_registration_years(self, since, today):
        if not self.min_value:
            return []
        return crossing_domain("padron_registration_date", self.min_value, since, today)

    def _crossing_fact(self, since, today):
        if not self.fact_within_days:
            return []
        window = window_crossing_domain(
            "value_date", self.fact_within_days, since, today
        )
        return [("fact_ids", "any", [("type_id", "=", self.fact_type_id.id), *window])]

    def _crossing_padron_renewal(self, since, today):
        return window_crossing_domain(
            "padron_renewal_due", self.fact_within_days, since, today
        )

    # ---- words -------------------------------------------------------------------
    @api.depends(
        "kind",
        "negate",
        "min_value",
        "max_value",
        "codes",
        "country_ids",
        "country_group_id",
        "sex",
        "fact_type_id",
        "fact_operator",
        "fact_value",
        "fact_within_days",
        "channel",
        "beneficiary_procedure_id",
        "group_id",
        "subject",
        "household_relation",
    )
    def _compute_display_name(self):
        for condition in self:
            text = condition._describe()
            if condition.negate:
                text = condition.env._("not (%(condition)s)", condition=text)
            if condition.subject == "guardian":
                text = condition.env._(
                    "A parent or guardian: %(condition)s", condition=text
                )
            condition.display_name = text

    def _describe(self):
        describe = self._kind_method("_describe")
        return describe() if describe else ""

    def _range_text(self, one, many):
        """ "at least 1 year", "between 2 and 5 members"…: ``one`` and
        ``many`` are the unit's singular and plural."""
        _ = self.env._
        low, high = self.min_value, self.max_value
        if low and high:
            return _(
                "between %(low)s and %(high)s %(unit)s", low=low, high=high, unit=many
            )
        if low:
            return _(
                "at least %(low)s %(unit)s", low=low, unit=one if low == 1 else many
            )
        return _(
            "at most %(high)s %(unit)s", high=high, unit=one if high == 1 else many
        )

    def _years_text(self):
        return self._range_text(self.env._("year"), self.env._("years"))

    def _describe_age(self):
        return self.env._("Age: %(range)s", range=self._years_text())

    def _describe_registration_years(self):
        return self.env._("Registered: %(range)s", range=self._years_text())

    def _describe_household_member_age(self):
        return self.env._(
            "Household: a member aged %(range)s", range=self._years_text()
        )

    def _describe_household_size(self):
        text = self._range_text(self.env._("member"), self.env._("members"))
        return self.env._("Household: %(range)s", range=text)

    def _describe_household_minors(self):
        text = self._range_text(self.env._("minor"), self.env._("minors"))
        return self.env._("Household: %(range)s", range=text)

    def _describe_household_elders(self):
        text = self._range_text(
            self.env._("member aged 65+"), self.env._("members aged 65+")
        )
        return self.env._("Household: %(range)s", range=text)

    def _describe_household_relation(self):
        return self.env._(
            "Relation in the household: %(relation)s",
            relation=self._selection_label("household_relation"),
        )

    def _describe_born_in_period(self):
        return self.env._("Born in the benefit period")

    def _describe_district(self):
        return self.env._("District in %(codes)s", codes=", ".join(self._code_list()))

    def _describe_section(self):
        return self.env._(
            "Census section in %(codes)s", codes=", ".join(self._code_list())
        )

    def _describe_nationality(self):
        names = self.country_ids.mapped("name") + self.country_group_id.mapped("name")
        return self.env._("Nationality: %(countries)s", countries=", ".join(names))

    def _selection_label(self, field):
        selection = self._fields[field]._description_selection(self.env)
        return dict(selection).get(self[field], "")

    def _describe_sex(self):
        return self.env._("Sex: %(sex)s", sex=self._selection_label("sex"))

    def _describe_fact(self):
        operator = self._selection_label("fact_operator")
        value = "" if self.fact_operator == "set" else f" {self.fact_value or ''}"
        text = f"{self.fact_type_id.name or ''} {operator}{value}"
        if self.fact_within_days:
            text += self.env._(
                ", within the next %(days)s days", days=self.fact_within_days
            )
        return text

    def _describe_channel(self):
        return self.env._(
            "Reachable by %(channel)s", channel=self._selection_label("channel")
        )

    def _describe_not_beneficiary(self):
        if self.beneficiary_procedure_id:
            return self.env._(
                "Not already a beneficiary of %(procedure)s this period",
                procedure=self.beneficiary_procedure_id.name,
            )
        return self.env._("Not already a beneficiary this period")

    def _describe_no_opposition(self):
        return self.env._("No opposition to data consultation")

    def _describe_padron_renewal(self):
        return self.env._(
            "Padrón renewal (ENCSARP) due within %(days)s days",
            days=self.fact_within_days,
        )

    def _describe_group(self):
        return "(%s)" % (self.group_id.summary or "").replace("\n", " ")

    def _phrase(self, partner, reference, procedure):
        """Why this condition holds for ``partner``, for a letter (or '').

        The letter goes to the context's ``confirma_addressee_id`` (by
        default ``partner``): phrases about someone else (a child, the
        other parent) name them instead of saying "you".
        """
        self.ensure_one()
        if self.negate:
            return self.env._("not: %(condition)s", condition=self._describe().lower())
        phrase = self._kind_method("_phrase")
        if phrase is None:
            return ""
        # the procedure's name in the letter's language
        procedure = procedure.with_env(self.env) if procedure else procedure
        measure = self._measure_date(reference, procedure)
        return phrase(partner, reference, measure, procedure) or ""

    def _you(self, partner):
        """Whether the letter about ``partner`` is addressed to them."""
        addressee = self.env.context.get("confirma_addressee_id")
        return not addressee or addressee == partner.id

    @staticmethod
    def _first_name(partner):
        return partner.first_name or partner.name or ""

    def _phrase_age(self, partner, reference, measure, procedure):
        _ = self.env._
        if not partner.birthdate:
            return ""
        age = relativedelta(measure, partner.birthdate).years
        you, name = self._you(partner), self._first_name(partner)
        if measure != reference:
            if you:
                return _("you will be %(age)s this period", age=age)
            return _("%(name)s will be %(age)s this period", name=name, age=age)
        if you:
            return _("you are %(age)s", age=age)
        if age < 1:
            return _("%(name)s is under one year old", name=name)
        return _("%(name)s is %(age)s", name=name, age=age)

    def _phrase_born_in_period(self, partner, reference, measure, procedure):
        if not partner.birthdate:
            return ""
        date = format_date(self.env, partner.birthdate, date_format="dd/MM/yyyy")
        if self._you(partner):
            return self.env._("you were born on %(date)s", date=date)
        return self.env._(
            "%(name)s was born on %(date)s", name=self._first_name(partner), date=date
        )

    def _phrase_registration_years(self, partner, reference, measure, procedure):
        if not partner.padron_registration_date:
            return ""
        year = partner.padron_registration_date.year
        if self._you(partner):
            return self.env._("you have been registered here since %(year)s", year=year)
        return self.env._(
            "%(name)s has been registered here since %(year)s",
            name=self._first_name(partner),
            year=year,
        )

    def _phrase_household_relation(self, partner, reference, measure, procedure):
        relation = self._selection_label("household_relation").lower()
        if self._you(partner):
            return self.env._(
                "you are registered as %(relation)s of your household sheet",
                relation=relation,
            )
        return self.env._(
            "%(name)s is registered as %(relation)s of your household sheet",
            name=self._first_name(partner),
            relation=relation,
        )

    def _phrase_household_member_age(self, partner, reference, measure, procedure):
        _ = self.env._
        domain = years_range_domain(
            "birthdate", measure, self.min_value, self.max_value
        )
        youngest = partner.household_id.member_ids.filtered_domain(domain).sorted(
            "birthdate", reverse=True
        )[:1]
        if not youngest.birthdate:
            return ""
        age = relativedelta(measure, youngest.birthdate).years
        if age < 1:
            return _("a baby under one year old lives in your household")
        return _("someone aged %(age)s lives in your household", age=age)

    def _household_count(self, partner):
        return partner.household_id[HOUSEHOLD_COLUMNS[self.kind]]

    def _phrase_household_size(self, partner, reference, measure, procedure):
        count = self._household_count(partner)
        if count == 1:
            if self._you(partner):
                return self.env._("you live alone")
            return self.env._("%(name)s lives alone", name=self._first_name(partner))
        if count > 1:
            return self.env._("%(count)s people live in your household", count=count)
        return ""

    def _phrase_household_minors(self, partner, reference, measure, procedure):
        _ = self.env._
        count = self._household_count(partner)
        return (
            _("no minors live in your household"),
            _("a minor lives in your household"),
            _("%(count)s minors live in your household", count=count),
        )[min(count, 2)]

    def _phrase_household_elders(self, partner, reference, measure, procedure):
        _ = self.env._
        count = self._household_count(partner)
        return (
            _("nobody aged 65 or over lives in your household"),
            _("a person aged 65 or over lives in your household"),
            _("%(count)s people aged 65 or over live in your household", count=count),
        )[min(count, 2)]

    def _phrase_district(self, partner, reference, measure, procedure):
        return self.env._("you live in district %(code)s", code=partner.district_code)

    def _phrase_section(self, partner, reference, measure, procedure):
        return self.env._(
            "you live in census section %(code)s", code=partner.section_code
        )

    def _phrase_nationality(self, partner, reference, measure, procedure):
        country = partner.nationality_id.name
        if self._you(partner):
            return self.env._("your nationality is %(country)s", country=country)
        return self.env._(
            "%(name)s's nationality is %(country)s",
            name=self._first_name(partner),
            country=country,
        )

    def _phrase_fact(self, partner, reference, measure, procedure):
        fact = partner.fact_ids.filtered(
            lambda f: f.type_id == self.fact_type_id and f.date <= reference
        ).sorted("date", reverse=True)[:1]
        sentence = self.fact_type_id._sentence(
            fact, you=self._you(partner), name=self._first_name(partner)
        )
        if sentence:
            return sentence
        return self.env._(
            "%(fact)s: %(value)s",
            fact=self.fact_type_id.name,
            value=fact.value_display or self.env._("recorded"),
        )

    def _phrase_channel(self, partner, reference, measure, procedure):
        _ = self.env._
        return {
            "email": _("we can write to you by email"),
            "sms": _("we can send you an SMS"),
            "post": _("we can write to you by post"),
            "digital": _("we can reach you by email or SMS"),
        }[self.channel]

    def _phrase_not_beneficiary(self, partner, reference, measure, procedure):
        target = self.beneficiary_procedure_id or procedure
        if not target:
            return ""
        if self._you(partner):
            return self.env._(
                "you have not received %(procedure)s yet this period",
                procedure=target.name,
            )
        return self.env._(
            "%(name)s has not received %(procedure)s yet this period",
            name=self._first_name(partner),
            procedure=target.name,
        )

    def _phrase_no_opposition(self, partner, reference, measure, procedure):
        if self._you(partner):
            return self.env._(
                "you allow us to check your data with other administrations"
            )
        return self.env._(
            "we may check %(name)s's data with other administrations",
            name=self._first_name(partner),
        )

    def _phrase_padron_renewal(self, partner, reference, measure, procedure):
        if not partner.padron_renewal_due:
            return ""
        date = format_date(
            self.env, partner.padron_renewal_due, date_format="dd/MM/yyyy"
        )
        if self._you(partner):
            return self.env._(
                "your registration in the padrón must be renewed by %(date)s",
                date=date,
            )
        return self.env._(
            "%(name)s's registration in the padrón must be renewed by %(date)s",
            name=self._first_name(partner),
            date=date,
        )
