# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import SQL

# Cases whose resident already benefits from the procedure in the period.
BENEFIT_STATES = ("confirmed", "verifying", "instruction", "granted")
FACT_COLUMNS = {
    "boolean": "value_boolean",
    "number": "value_number",
    "text": "value_text",
    "date": "value_date",
}
# Kinds of condition measured with a From / To range.
RANGE_KINDS = (
    "age",
    "registration_years",
    "household_size",
    "household_minors",
    "household_elders",
    "household_member_age",
)
DATE_FIELDS = {"age": "birthdate", "registration_years": "padron_registration_date"}
HOUSEHOLD_COLUMNS = {
    "household_size": "member_count",
    "household_minors": "minor_count",
    "household_elders": "elder_count",
}


class ConfirmaRuleCondition(models.Model):
    """One condition of an eligibility rule, compiled to a domain."""

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
                        condition=dict(
                            self._fields["kind"]._description_selection(self.env)
                        )[condition.kind],
                        error=error,
                    )
                )

    def _parameter_error(self):
        self.ensure_one()
        _ = self.env._
        if self.kind in RANGE_KINDS:
            if not self.min_value and not self.max_value:
                return _("give a lower or an upper limit.")
            if self.max_value and self.max_value < self.min_value:
                return _("the upper limit is below the lower one.")
        elif self.kind in ("district", "section") and not self._code_list():
            return _("list at least one code.")
        elif self.kind == "nationality" and not (
            self.country_ids or self.country_group_id
        ):
            return _("choose countries or a country group.")
        elif self.kind == "sex" and not self.sex:
            return _("choose the sex.")
        elif self.kind == "fact":
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
        elif self.kind == "padron_renewal" and self.fact_within_days <= 0:
            return _("give the number of days before the renewal is due.")
        elif self.kind == "channel" and not self.channel:
            return _("choose the channel.")
        elif self.kind == "group" and not self.group_id:
            return _("choose the group of conditions.")
        return None

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

    def _range_domain(self, field, reference, low, high):
        """``whole years since <field> in [low, high]`` as date comparisons."""
        Partner = self.env["res.partner"]
        domain = []
        if low:
            domain += Partner._age_domain(">=", low, reference, field)
        if high:
            domain += Partner._age_domain("<=", high, reference, field)
        return domain

    def _domain(self, reference, procedure=None):
        """This condition as a domain on res.partner (index-friendly)."""
        self.ensure_one()
        domain = self._positive_domain(reference, procedure)
        if self.negate:
            return ["!", *expression.normalize_domain(domain)]
        return domain

    def _positive_domain(self, reference, procedure):
        kind = self.kind
        low, high = self.min_value, self.max_value
        measure = self._measure_date(reference, procedure)
        if kind in DATE_FIELDS:
            return self._range_domain(DATE_FIELDS[kind], measure, low, high)
        if kind == "household_member_age":
            ages = self._range_domain("birthdate", measure, low, high)
            return [("household_id", "any", [("member_ids", "any", ages)])]
        if kind in HOUSEHOLD_COLUMNS:
            return self._household_domain(HOUSEHOLD_COLUMNS[kind], low, high)
        if kind in ("district", "section"):
            return [(f"{kind}_code", "in", self._code_list())]
        if kind == "nationality":
            countries = self.country_ids | self.country_group_id.country_ids
            return [("nationality_id", "in", countries.ids)]
        if kind == "fact":
            return [("fact_ids", "any", self._fact_domain(reference))]
        if kind == "not_beneficiary":
            return self._beneficiary_domain(reference, procedure)
        if kind == "group":
            return self.group_id._domain(reference, procedure) or []
        if kind == "padron_renewal":
            return [
                ("padron_encsarp", "=", True),
                ("padron_renewal_due", ">=", reference),
                (
                    "padron_renewal_due",
                    "<=",
                    reference + relativedelta(days=self.fact_within_days),
                ),
            ]
        return {
            "sex": lambda: [("sex", "=", self.sex)],
            "channel": self._channel_domain,
            "no_opposition": lambda: [("data_opposition", "=", False)],
        }.get(kind, list)()

    @staticmethod
    def _household_domain(column, low, high):
        subdomain = []
        if low:
            subdomain.append((column, ">=", low))
        if high:
            subdomain.append((column, "<=", high))
        if not low:
            # "at most N" also holds for someone without a household sheet
            return [
                "|",
                ("household_id", "=", False),
                ("household_id", "any", subdomain),
            ]
        return [("household_id", "any", subdomain)]

    def _beneficiary_domain(self, reference, procedure):
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
                    ("state", "in", BENEFIT_STATES),
                    ("resolution", "=", "granted"),
                ],
            )
        ]

    def _fact_domain(self, reference):
        domain = [("type_id", "=", self.fact_type_id.id), ("date", "<=", reference)]
        if self.fact_months:
            domain.append(
                ("date", ">", reference - relativedelta(months=self.fact_months))
            )
        if self.fact_operator and self.fact_operator != "set":
            column = FACT_COLUMNS[self.fact_type_id.value_type]
            domain.append((column, self.fact_operator, self._fact_value()))
        if self.fact_within_days:
            domain += [
                ("value_date", ">=", reference),
                (
                    "value_date",
                    "<=",
                    reference + relativedelta(days=self.fact_within_days),
                ),
            ]
        return domain

    def _channel_domain(self):
        # Odoo's blacklist search methods run their own queries (the phone
        # one even loads every id): sub-selects keep the rule one query.
        email = [
            ("email_normalized", "!=", False),
            (
                "email_normalized",
                "not in",
                SQL("(SELECT email FROM mail_blacklist WHERE active)"),
            ),
        ]
        sms = [
            ("mobile", "!=", False),
            ("phone_sanitized", "!=", False),
            (
                "phone_sanitized",
                "not in",
                SQL("(SELECT number FROM phone_blacklist WHERE active)"),
            ),
        ]
        if self.channel == "email":
            return email
        if self.channel == "sms":
            return sms
        if self.channel == "post":
            return [("street", "!=", False), ("post_opt_out", "=", False)]
        return expression.OR([email, sms])

    def _crossing_domain(self, since, today):
        """Residents who crossed this condition's date threshold in
        (since, today]: who turned 65 on one of those days, or whose permit
        came within 30 days of expiring."""
        self.ensure_one()
        if self.negate:
            return []
        if self.kind == "fact" and self.fact_within_days:
            days = relativedelta(days=self.fact_within_days)
            return [
                (
                    "fact_ids",
                    "any",
                    [
                        ("type_id", "=", self.fact_type_id.id),
                        ("value_date", ">", since + days),
                        ("value_date", "<=", today + days),
                    ],
                )
            ]
        if self.kind == "padron_renewal":
            days = relativedelta(days=self.fact_within_days)
            return [
                ("padron_renewal_due", ">", since + days),
                ("padron_renewal_due", "<=", today + days),
            ]
        if self.kind not in DATE_FIELDS or not self.min_value:
            return []
        years = relativedelta(years=self.min_value)
        return [
            (DATE_FIELDS[self.kind], ">", since - years),
            (DATE_FIELDS[self.kind], "<=", today - years),
        ]

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

    def _describe(self):
        _ = self.env._
        kind = self.kind
        if kind in RANGE_KINDS:
            # units first: the extractor only sees un-nested _() calls
            units = {
                "age": _("years"),
                "registration_years": _("years"),
                "household_size": _("member(s)"),
                "household_minors": _("minor(s)"),
                "household_elders": _("member(s) aged 65+"),
                "household_member_age": _("years"),
            }
            text = self._range_text(units[kind])
            if kind == "household_member_age":
                return _("Household: a member aged %(range)s", range=text)
            if kind == "age":
                return _("Age: %(range)s", range=text)
            if kind == "registration_years":
                return _("Registered: %(range)s", range=text)
            return _("Household: %(range)s", range=text)
        if kind == "district":
            return _("District in %(codes)s", codes=", ".join(self._code_list()))
        if kind == "section":
            return _("Census section in %(codes)s", codes=", ".join(self._code_list()))
        if kind == "nationality":
            names = self.country_ids.mapped("name") + self.country_group_id.mapped(
                "name"
            )
            return _("Nationality: %(countries)s", countries=", ".join(names))
        if kind == "sex":
            return _(
                "Sex: %(sex)s",
                sex=dict(self._fields["sex"]._description_selection(self.env)).get(
                    self.sex, ""
                ),
            )
        if kind == "fact":
            operator = dict(
                self._fields["fact_operator"]._description_selection(self.env)
            ).get(self.fact_operator, "")
            value = "" if self.fact_operator == "set" else f" {self.fact_value or ''}"
            text = f"{self.fact_type_id.name or ''} {operator}{value}"
            if self.fact_within_days:
                text += _(", within the next %(days)s days", days=self.fact_within_days)
            return text
        return self._describe_other()

    def _describe_other(self):
        _ = self.env._
        kind = self.kind
        if kind == "channel":
            return _(
                "Reachable by %(channel)s",
                channel=dict(
                    self._fields["channel"]._description_selection(self.env)
                ).get(self.channel, ""),
            )
        if kind == "not_beneficiary":
            if self.beneficiary_procedure_id:
                return _(
                    "Not already a beneficiary of %(procedure)s this period",
                    procedure=self.beneficiary_procedure_id.name,
                )
            return _("Not already a beneficiary this period")
        if kind == "no_opposition":
            return _("No opposition to data consultation")
        if kind == "padron_renewal":
            return _(
                "Padrón renewal (ENCSARP) due within %(days)s days",
                days=self.fact_within_days,
            )
        if kind == "group":
            return "(%s)" % (self.group_id.summary or "").replace("\n", " ")
        return ""

    def _phrase(self, partner, reference, procedure):
        """Why this condition holds for ``partner``, for a letter (or '')."""
        self.ensure_one()
        if self.negate:
            return self.env._("not: %(condition)s", condition=self._describe().lower())
        measure = self._measure_date(reference, procedure)
        if self.kind in ("age", "registration_years"):
            return self._phrase_dates(partner, reference, measure)
        if self.kind.startswith("household"):
            return self._phrase_household(partner.household_id, measure)
        return self._phrase_other(partner, reference, procedure)

    def _phrase_dates(self, partner, reference, measure):
        _ = self.env._
        if self.kind == "age" and partner.birthdate:
            age = relativedelta(measure, partner.birthdate).years
            if measure != reference:
                return _("you will be %(age)s this period", age=age)
            return _("you are %(age)s", age=age)
        if self.kind == "registration_years" and partner.padron_registration_date:
            return _(
                "you have been registered here since %(year)s",
                year=partner.padron_registration_date.year,
            )
        return ""

    def _phrase_household(self, household, measure):
        _ = self.env._
        if self.kind == "household_member_age":
            domain = self._range_domain(
                "birthdate", measure, self.min_value, self.max_value
            )
            youngest = household.member_ids.filtered_domain(domain).sorted(
                "birthdate", reverse=True
            )[:1]
            if not youngest.birthdate:
                return ""
            age = relativedelta(measure, youngest.birthdate).years
            if age < 1:
                return _("a baby under one year old lives in your household")
            return _("someone aged %(age)s lives in your household", age=age)
        count = household[HOUSEHOLD_COLUMNS[self.kind]]
        # (none, one, several) for each count
        words = {
            "household_size": (
                "",
                _("you live alone"),
                _("%(count)s people live in your household", count=count),
            ),
            "household_minors": (
                _("no minors live in your household"),
                _("a minor lives in your household"),
                _("%(count)s minors live in your household", count=count),
            ),
            "household_elders": (
                _("nobody aged 65 or over lives in your household"),
                _("a person aged 65 or over lives in your household"),
                _(
                    "%(count)s people aged 65 or over live in your household",
                    count=count,
                ),
            ),
        }[self.kind]
        return words[min(count, 2)]

    def _phrase_other(self, partner, reference, procedure):
        _ = self.env._
        kind = self.kind
        if kind in ("district", "section"):
            if kind == "district":
                return _("you live in district %(code)s", code=partner.district_code)
            return _("you live in census section %(code)s", code=partner.section_code)
        if kind == "nationality":
            return _(
                "your nationality is %(country)s", country=partner.nationality_id.name
            )
        if kind == "fact":
            fact = partner.fact_ids.filtered(
                lambda f: f.type_id == self.fact_type_id and f.date <= reference
            )[:1]
            return _(
                "%(fact)s: %(value)s",
                fact=self.fact_type_id.name,
                value=fact.value_display or _("recorded"),
            )
        if kind == "channel":
            return {
                "email": _("we can write to you by email"),
                "sms": _("we can send you an SMS"),
                "post": _("we can write to you by post"),
                "digital": _("we can reach you by email or SMS"),
            }[self.channel]
        if kind == "not_beneficiary":
            target = self.beneficiary_procedure_id or procedure
            return target and _(
                "you have not received %(procedure)s yet this period",
                procedure=target.name,
            )
        if kind == "no_opposition":
            return _("you allow us to check your data with other administrations")
        if kind == "padron_renewal" and partner.padron_renewal_due:
            return _(
                "your registration in the padrón must be renewed by %(date)s",
                date=partner.padron_renewal_due.strftime("%d/%m/%Y"),
            )
        return ""
