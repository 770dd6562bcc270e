# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

MINOR_AGE = 18
ELDER_AGE = 65


class ConfirmaHousehold(models.Model):
    """A household sheet (hoja padronal): the people registered in one dwelling."""

    _name = "confirma.household"
    _description = "Household (hoja padronal)"
    _inherit = ["mail.thread"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(
        string="Household code",
        required=True,
        index=True,
        help="The household sheet number (NHOP) of the padrón.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    street = fields.Char(string="Address")
    district_code = fields.Char(string="District", index=True)
    section_code = fields.Char(string="Census section", index=True)
    member_ids = fields.One2many(
        "res.partner",
        "household_id",
        string="Members",
        domain=[("padron_state", "=", "active")],
        check_company=True,
    )
    member_count = fields.Integer(
        string="Size", compute="_compute_counts", store=True, index=True
    )
    minor_count = fields.Integer(
        string="Minors", compute="_compute_counts", store=True, index=True
    )
    elder_count = fields.Integer(
        string="People 65+", compute="_compute_counts", store=True, index=True
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(company_id, name)",
            "A household code is unique within a municipality.",
        )
    ]

    @api.depends("member_ids", "member_ids.birthdate", "member_ids.padron_state")
    def _compute_counts(self):
        today = fields.Date.context_today(self)
        minor_limit = today - relativedelta(years=MINOR_AGE)
        elder_limit = today - relativedelta(years=ELDER_AGE)
        groups = {
            household: (count, minors, elders)
            for household, count, minors, elders in self._read_group_counts(
                minor_limit, elder_limit
            )
        }
        for household in self:
            count, minors, elders = groups.get(household.id, (0, 0, 0))
            household.member_count = count
            household.minor_count = minors
            household.elder_count = elders

    def _read_group_counts(self, minor_limit, elder_limit):
        """(household id, members, minors, elders) of active members, one query."""
        ids = [i for i in self.ids if isinstance(i, int)]
        if not ids:
            return []
        self.env["res.partner"].flush_model(
            ["household_id", "birthdate", "padron_state"]
        )
        self.env.cr.execute(
            """
            SELECT household_id,
                   count(*),
                   count(*) FILTER (WHERE birthdate > %s),
                   count(*) FILTER (WHERE birthdate <= %s)
              FROM res_partner
             WHERE household_id = ANY(%s) AND padron_state = 'active' AND active
             GROUP BY household_id
            """,
            (minor_limit, elder_limit, ids),
        )
        return self.env.cr.fetchall()

    @api.model
    def _cron_refresh_age_counts(self):
        """Daily: recount the households where someone turned 18 or 65 today.

        Only those households change, so only they are recomputed (one search,
        one batched recompute), whatever the size of the population.
        """
        today = fields.Date.context_today(self)
        birthdays = [today - relativedelta(years=age) for age in (MINOR_AGE, ELDER_AGE)]
        households = (
            self.env["res.partner"]
            .search(
                [
                    ("household_id", "!=", False),
                    ("padron_state", "=", "active"),
                    ("birthdate", "in", birthdays),
                ]
            )
            .household_id
        )
        households._compute_counts()
        self.env["ir.cron"]._notify_progress(done=len(households), remaining=0)
        return households
