# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression

from .. import case_states as states
from ..eligibility import (
    HOUSEHOLD_COLUMNS,
    crossing_domain,
    household_domain,
    window_crossing_domain,
    window_domain,
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
    holds for a resident, for a letter; optional). Another addon adds a
    kind with ``selection_add`` and these methods. The date and household
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
        """This condition as a domain on res.partner (index-friendly)."""
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
                "confirma_case_ids",
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
        return crossing(since, today)

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
    )
    def _compute_display_name(self):
        for condition in self:
            text = condition._describe()
            if condition.negate:
                text = condition.env._("not (%(condition)s)", condition=text)
            condition.display_name = text

    def _describe(self):
        describe = self._kind_method("_describe")
        return describe() if describe else ""

    def _range_text(self, unit):
        _ = self.env._
        low, high = self.min_value, self.max_value
        if low and high:
            return _(
                "between %(low)s and %(high)s %(unit)s", low=low, high=high, unit=unit
            )
        if low:
            return _("at least %(low)s %(unit)s", low=low, unit=unit)
        return _("at most %(high)s %(unit)s", high=high, unit=unit)

    def _describe_age(self):
        text = self._range_text(self.env._("years"))
        return self.env._("Age: %(range)s", range=text)

    def _describe_registration_years(self):
        text = self._range_text(self.env._("years"))
        return self.env._("Registered: %(range)s", range=text)

    def _describe_household_member_age(self):
        text = self._range_text(self.env._("years"))
        return self.env._("Household: a member aged %(range)s", range=text)

    def _describe_household_size(self):
        text = self._range_text(self.env._("member(s)"))
        return self.env._("Household: %(range)s", range=text)

    def _describe_household_minors(self):
        text = self._range_text(self.env._("minor(s)"))
        return self.env._("Household: %(range)s", range=text)

    def _describe_household_elders(self):
        text = self._range_text(self.env._("member(s) aged 65+"))
        return self.env._("Household: %(range)s", range=text)

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
        """Why this condition holds for ``partner``, for a letter (or '')."""
        self.ensure_one()
        if self.negate:
            return self.env._("not: %(condition)s", condition=self._describe().lower())
        phrase = self._kind_method("_phrase")
        if phrase is None:
            return ""
        measure = self._measure_date(reference, procedure)
        return phrase(partner, reference, measure, procedure) or ""

    def _phrase_age(self, partner, reference, measure, procedure):
        if not partner.birthdate:
            return ""
        age = relativedelta(measure, partner.birthdate).years
        if measure != reference:
            return self.env._("you will be %(age)s this period", age=age)
        return self.env._("you are %(age)s", age=age)

    def _phrase_registration_years(self, partner, reference, measure, procedure):
        if not partner.padron_registration_date:
            return ""
        return self.env._(
            "you have been registered here since %(year)s",
            year=partner.padron_registration_date.year,
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
            return self.env._("you live alone")
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
        return self.env._(
            "your nationality is %(country)s", country=partner.nationality_id.name
        )

    def _phrase_fact(self, partner, reference, measure, procedure):
        fact = partner.fact_ids.filtered(
            lambda f: f.type_id == self.fact_type_id and f.date <= reference
        )[:1]
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
        return target and self.env._(
            "you have not received %(procedure)s yet this period",
            procedure=target.name,
        )

    def _phrase_no_opposition(self, partner, reference, measure, procedure):
        return self.env._("you allow us to check your data with other administrations")

    def _phrase_padron_renewal(self, partner, reference, measure, procedure):
        if not partner.padron_renewal_due:
            return ""
        return self.env._(
            "your registration in the padrón must be renewed by %(date)s",
            date=partner.padron_renewal_due.strftime("%d/%m/%Y"),
        )
