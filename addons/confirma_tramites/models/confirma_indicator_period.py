# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime

from odoo import api, fields, models
from odoo.exceptions import UserError

from .. import periods
from .confirma_indicator import PERIODICITIES


class ConfirmaIndicatorPeriod(models.Model):
    """A period of the indicators (half-year or year): computed while open,
    frozen when closed."""

    _name = "confirma.indicator.period"
    _description = "Indicator period"
    _inherit = ["mail.thread"]
    _order = "date_from desc, periodicity"

    name = fields.Char(required=True, readonly=True)
    periodicity = fields.Selection(PERIODICITIES, required=True, readonly=True)
    date_from = fields.Date(required=True, readonly=True)
    date_to = fields.Date(required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda s: s.env.company, readonly=True
    )
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")],
        default="open",
        required=True,
        tracking=True,
        readonly=True,
    )
    date_closed = fields.Datetime(readonly=True)
    value_ids = fields.One2many("confirma.indicator.value", "period_id", readonly=True)
    deviation_count = fields.Integer(compute="_compute_deviation_count")

    _sql_constraints = [
        (
            "period_unique",
            "UNIQUE (company_id, periodicity, date_from)",
            "This period exists already.",
        )
    ]

    def _compute_deviation_count(self):
        counts = dict(
            self.env["confirma.indicator.value"]._read_group(
                [("period_id", "in", self.ids), ("deviation", "=", True)],
                ["period_id"],
                ["__count"],
            )
        )
        for period in self:
            period.deviation_count = counts.get(period, 0)

    @api.model
    def _get(self, periodicity, day, company=None):
        company = company or self.env.company
        key, start, end = periods.bounds(periodicity, day)
        period = self.search(
            [
                ("company_id", "=", company.id),
                ("periodicity", "=", periodicity),
                ("date_from", "=", start),
            ]
        )
        return period or self.create(
            {
                "name": key,
                "periodicity": periodicity,
                "date_from": start,
                "date_to": end,
                "company_id": company.id,
            }
        )

    def action_compute(self):
        """(Re)compute the values of open periods."""
        Value = self.env["confirma.indicator.value"]
        for period in self:
            if period.state == "closed":
                raise UserError(
                    self.env._("Period %(name)s is closed.", name=period.name)
                )
            indicators = self.env["confirma.indicator"].search(
                [
                    ("company_id", "=", period.company_id.id),
                    ("periodicity", "=", period.periodicity),
                ]
            )
            period.value_ids.unlink()
            values = []
            now = fields.Datetime.now()
            for indicator in indicators:
                for row in indicator._measure(period.date_from, period.date_to):
                    if row["value"] is None:
                        continue
                    low, high = indicator._bounds()
                    value = row["value"]
                    values.append(
                        dict(
                            row,
                            period_id=period.id,
                            indicator_id=indicator.id,
                            target=indicator.target,
                            tolerance=indicator.tolerance,
                            deviation=bool(
                                (low is not None and value < low)
                                or (high is not None and value > high)
                            ),
                            date_computed=now,
                        )
                    )
            Value.create(values)
        return True

    def action_close(self):
        """Freeze the values; deviations raise an activity for their owner."""
        open_periods = self.filtered(lambda p: p.state == "open")
        open_periods.action_compute()
        open_periods.write({"state": "closed", "date_closed": fields.Datetime.now()})
        open_periods.value_ids.filtered("deviation")._notify_deviation()
        self.env.registry.clear_cache()  # the transparency page shows them
        return True

    def action_reopen(self):
        self.write({"state": "open", "date_closed": False})
        return True

    @api.model
    def _compute_current(self, today=None):
        """Compute (without closing) the periods containing ``today``."""
        today = fields.Date.to_date(today) or fields.Date.context_today(self)
        periods = self._get("half", today) | self._get("year", today)
        periods.filtered(lambda p: p.state == "open").action_compute()
        return periods

    @api.model
    def _cron_close_periods(self, today=None):
        """Close the periods that ended (the last half-year, the last year):
        one job each (channel root.confirma.reports), the same job once
        however often the daily run asks. Returns the periods."""
        today = fields.Date.to_date(today) or fields.Date.context_today(self)
        closed = self.browse()
        Procedure = self.env["confirma.procedure"].with_context(active_test=False)
        for company in self.env["res.company"].search([]):
            first = Procedure.search(
                [("company_id", "=", company.id)], order="create_date", limit=1
            )
            if not first:
                continue
            for periodicity in ("half", "year"):
                _key, start, _end = periods.bounds(periodicity, today)
                last_day = start - datetime.timedelta(days=1)
                if last_day < first.create_date.date():
                    continue  # before Confirm@: nothing to measure
                previous = self._get(periodicity, last_day, company)
                if previous.state == "open":
                    closed |= previous
        for period in closed:
            period.with_delay(
                description=self.env._(
                    "Close indicator period %(name)s", name=period.name
                ),
                identity_key=f"confirma-indicator-period-close-{period.id}",
            )._close_job()
        return closed

    def _close_job(self):
        """Job: close this period if it is still open (run again after a
        restart, it does nothing twice). One transaction: the values, the
        state and the deviations' activities together."""
        self.ensure_one()
        if self.state != "open":
            return False
        self.with_context(allowed_company_ids=self.company_id.ids).action_close()
        return True
