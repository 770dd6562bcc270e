# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression

from ..eligibility import guardian_member_domain


class ConfirmaRule(models.Model):
    """An eligibility rule (sensor): conditions on resident data.

    A rule compiles to ONE domain on ``res.partner``, hence one SQL query
    whatever the number of residents. Conditions are combined with AND
    (match all) or OR (match any); a condition of kind *group* nests another
    rule, so any AND/OR tree can be built in the user interface.
    """

    _name = "confirma.rule"
    _description = "Eligibility rule"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    match = fields.Selection(
        [("all", "All conditions hold (AND)"), ("any", "Any condition holds (OR)")],
        required=True,
        default="all",
    )
    condition_ids = fields.One2many(
        "confirma.rule.condition", "rule_id", string="Conditions", copy=True
    )
    is_group = fields.Boolean(
        string="Sub-group",
        help="Used only inside another rule, as a group of conditions.",
    )
    procedure_ids = fields.One2many("confirma.procedure", "rule_id")
    summary = fields.Text(compute="_compute_summary")
    active = fields.Boolean(default=True)

    @api.depends(
        "match",
        "condition_ids.display_name",
    )
    def _compute_summary(self):
        for rule in self:
            glue = rule.env._(" and\n") if rule.match == "all" else rule.env._(" or\n")
            rule.summary = glue.join(rule.condition_ids.mapped("display_name"))

    @api.constrains("condition_ids")
    def _check_cycles(self):
        for rule in self:
            seen = set()
            stack = [rule]
            while stack:
                current = stack.pop()
                if current.id in seen:
                    raise ValidationError(
                        self.env._(
                            "The rule %(name)s contains itself through its groups.",
                            name=rule.name,
                        )
                    )
                seen.add(current.id)
                stack.extend(
                    current.condition_ids.filtered(lambda c: c.kind == "group").group_id
                )

    def _domain(self, reference, procedure=None):
        """The rule as one domain on res.partner, for the date ``reference``."""
        self.ensure_one()
        domains = [
            condition._domain(reference, procedure) for condition in self.condition_ids
        ]
        if not domains:
            return []
        if self.match == "all":
            return expression.AND(domains)
        return expression.OR(domains)

    def _leaf_conditions(self):
        """Every non-group condition of the rule and its groups."""
        leaves = self.env["confirma.rule.condition"]
        for condition in self.condition_ids:
            if condition.kind == "group":
                leaves |= condition.group_id._leaf_conditions()
            else:
                leaves |= condition
        return leaves

    def _crossing_domain(self, since, today):
        """Residents whose dates crossed a threshold in (since, today].

        Only date-driven conditions (age, years registered) can be crossed:
        a resident who turned 65 between the two dates matches; the daily
        sweep then applies the whole rule to just those residents.
        """
        self.ensure_one()
        domains = [
            d
            for d in (c._crossing_domain(since, today) for c in self._leaf_conditions())
            if d
        ]
        return expression.OR(domains) if domains else []

    @api.private
    def explain(self, partners, reference, procedure=None, addressees=None):
        """Plain-language reasons, per resident: {partner_id: text}.

        Set-based: one query per condition finds, among ``partners``, those
        for whom it holds; the words are then put together per resident in
        the language of whom the letter goes to. ``addressees`` maps a
        beneficiary to the parent who answers for them ({id: id}): their
        explanation speaks to that parent about the beneficiary, and a
        condition about a guardian names the one who meets it.
        """
        self.ensure_one()
        addressees = addressees or {}
        Partner = self.env["res.partner"].with_context(active_test=False)
        holding = {}
        leaves = self._leaf_conditions()
        for condition in leaves:
            holding[condition.id] = set(
                Partner.search(
                    [("id", "in", partners.ids)]
                    + condition._domain(reference, procedure)
                ).ids
            )
        guardians = self._guardians_meeting(
            leaves.filtered(lambda c: c.subject == "guardian"),
            partners,
            reference,
            procedure,
        )
        texts = {}
        for lang_code, group in partners.grouped(
            lambda p: Partner.browse(addressees.get(p.id, p.id))._confirma_lang_code()
        ).items():
            env_lang = self.with_context(lang=lang_code).env
            for partner in group.with_env(env_lang):
                addressee_id = addressees.get(partner.id, partner.id)
                conditions = leaves.with_env(env_lang)
                if addressee_id != partner.id:
                    conditions = conditions.with_context(
                        confirma_addressee_id=addressee_id
                    )
                phrases = []
                for condition in conditions:
                    if partner.id not in holding[condition.id]:
                        continue
                    about = partner
                    if condition.subject == "guardian":
                        about = _pick(
                            partner.browse(),
                            guardians[condition.id].get(partner.household_id.id, []),
                            addressee_id,
                        )
                    phrase = about and condition._phrase(about, reference, procedure)
                    if phrase:
                        phrases.append(phrase)
                text = _join(env_lang, phrases)
                if addressee_id != partner.id:
                    text = " ".join(
                        filter(
                            None,
                            [
                                env_lang._(
                                    "This offer is for %(name)s, who is registered "
                                    "in your household.",
                                    name=partner.first_name or partner.name,
                                ),
                                text,
                            ],
                        )
                    )
                texts[partner.id] = text
        return texts

    def _guardians_meeting(self, conditions, partners, reference, procedure):
        """For each guardian condition, the guardians who meet it, per
        household of ``partners``: {condition_id: {household_id: [ids]}}
        (one query per condition)."""
        Partner = self.env["res.partner"].with_context(active_test=False)
        households = partners.household_id.ids
        result = {}
        for condition in conditions:
            found = Partner.search_read(
                [("household_id", "in", households)]
                + guardian_member_domain(
                    reference, condition._subject_domain(reference, procedure)
                ),
                ["household_id"],
                order="id",
                load=None,
            )
            by_household = result[condition.id] = {}
            for row in found:
                by_household.setdefault(row["household_id"], []).append(row["id"])
        return result


def _pick(partners, ids, preferred):
    """The resident to talk about among ``ids``: ``preferred`` (the
    addressee) when there, else the first."""
    return partners.browse(preferred if preferred in ids else ids[:1])


def _join(env, phrases):
    if not phrases:
        return ""
    if len(phrases) == 1:
        text = phrases[0]
    else:
        text = env._(
            "%(first)s and %(last)s",
            first=", ".join(phrases[:-1]),
            last=phrases[-1],
        )
    return text[0].upper() + text[1:] + "."
