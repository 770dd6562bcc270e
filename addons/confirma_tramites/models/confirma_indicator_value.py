# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.tools.misc import formatLang


def format_number(env, value):
    """A number as the reader writes it, with one decimal unless whole."""
    return formatLang(env, value, digits=0 if float(value).is_integer() else 1)


def format_measure(env, value, unit):
    """An indicator's value in words and the reader's number format, with
    its unit: "66,7 %", "12 days", "7,5 / 10", "3"; None is "No data"."""
    if value is None:
        return env._("No data")
    number = format_number(env, value)
    if unit == "percent":
        return env._("%(value)s %%", value=number)
    if unit == "days":
        if value == 1:
            return env._("%(value)s day", value=number)
        return env._("%(value)s days", value=number)
    if unit == "score":
        return env._("%(value)s / 10", value=number)
    return formatLang(env, value, digits=0)


class ConfirmaIndicatorValue(models.Model):
    """The value of an indicator in a period, town-wide or for one procedure
    or channel."""

    _name = "confirma.indicator.value"
    _description = "Indicator value"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_to desc, indicator_sequence, procedure_id, channel, id"

    period_id = fields.Many2one(
        "confirma.indicator.period", required=True, index=True, ondelete="cascade"
    )
    indicator_id = fields.Many2one(
        "confirma.indicator", required=True, index=True, ondelete="cascade"
    )
    indicator_sequence = fields.Integer(related="indicator_id.sequence", store=True)
    company_id = fields.Many2one(related="period_id.company_id", store=True, index=True)
    state = fields.Selection(related="period_id.state", store=True)
    date_from = fields.Date(related="period_id.date_from", store=True)
    date_to = fields.Date(related="period_id.date_to", store=True)
    unit = fields.Selection(related="indicator_id.unit")
    procedure_id = fields.Many2one("confirma.procedure", index=True, ondelete="cascade")
    channel = fields.Selection(
        [("email", "Email"), ("sms", "SMS"), ("post", "Letter"), ("none", "No channel")]
    )
    scope = fields.Selection(
        [("town", "Town-wide"), ("procedure", "Procedure"), ("channel", "Channel")],
        compute="_compute_scope",
        store=True,
    )
    value = fields.Float(string="Numeric value", required=True, aggregator="avg")
    numerator = fields.Float(aggregator="sum")
    denominator = fields.Float(aggregator="sum")
    target = fields.Float(string="Numeric target", aggregator="avg")
    tolerance = fields.Float(aggregator="avg")
    deviation = fields.Boolean(index=True)
    status = fields.Selection(
        [("on_target", "On target"), ("off_target", "Off target")],
        compute="_compute_status",
        store=True,
    )
    value_display = fields.Char(string="Value", compute="_compute_displays")
    target_display = fields.Char(string="Target", compute="_compute_displays")
    periodicity = fields.Selection(related="period_id.periodicity", store=True)
    date_computed = fields.Datetime(string="Computed on")

    @api.depends("deviation")
    def _compute_status(self):
        for value in self:
            value.status = "off_target" if value.deviation else "on_target"

    @api.depends("value", "target", "tolerance", "indicator_id.unit")
    def _compute_displays(self):
        for value in self:
            unit = value.indicator_id.unit
            value.value_display = format_measure(self.env, value.value, unit)
            target = format_measure(self.env, value.target, unit)
            value.target_display = (
                self.env._(
                    "%(target)s ± %(tolerance)s",
                    target=target,
                    tolerance=format_number(self.env, value.tolerance),
                )
                if value.tolerance
                else target
            )

    @api.depends("procedure_id", "channel")
    def _compute_scope(self):
        for value in self:
            value.scope = (
                "procedure"
                if value.procedure_id
                else ("channel" if value.channel else "town")
            )

    @api.depends("indicator_id", "period_id", "procedure_id", "channel")
    def _compute_display_name(self):
        for value in self:
            parts = [value.indicator_id.name, value.period_id.name]
            if value.procedure_id:
                parts.append(value.procedure_id.name)
            if value.channel:
                parts.append(dict(self._fields["channel"].selection)[value.channel])
            value.display_name = " · ".join(filter(None, parts))

    def _owner(self):
        self.ensure_one()
        return (
            self.procedure_id.user_id
            or self.indicator_id.user_id
            or self.env.ref("base.user_admin", raise_if_not_found=False)
            or self.env.user
        )

    def _notify_deviation(self):
        for value in self:
            value.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._(
                    "Indicator off target: %(name)s", name=value.display_name
                ),
                note=self.env._(
                    "%(indicator)s was %(value)s in %(period)s; the target is "
                    "%(target)s ± %(tolerance)s. Analyse the causes and decide "
                    "an improvement action.",
                    indicator=value.indicator_id.name,
                    value=round(value.value, 2),
                    period=value.period_id.name,
                    target=value.target,
                    tolerance=value.tolerance,
                ),
                user_id=value._owner().id,
            )
