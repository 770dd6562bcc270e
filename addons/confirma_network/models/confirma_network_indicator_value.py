# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models, tools
from odoo.tools import SQL


class ConfirmaNetworkIndicatorValue(models.Model):
    """The town-wide value of each indicator in each closed period, for
    every member town: the indicators side by side (a pivot by town)."""

    _name = "confirma.network.indicator.value"
    _description = "Indicator value of a member town"
    _auto = False
    _order = "date_to desc, indicator_code, company_id"

    company_id = fields.Many2one("res.company", string="Municipality", readonly=True)
    indicator_code = fields.Char(string="Indicator code", readonly=True)
    indicator_name = fields.Char(string="Indicator", readonly=True, translate=True)
    period = fields.Char(readonly=True)
    date_from = fields.Date(readonly=True)
    date_to = fields.Date(readonly=True)
    value = fields.Float(readonly=True, aggregator="avg")
    target = fields.Float(readonly=True, aggregator="avg")
    on_target = fields.Boolean(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(view)s AS (
                SELECT value.id AS id,
                       value.company_id AS company_id,
                       indicator.code AS indicator_code,
                       indicator.name AS indicator_name,
                       period.name AS period,
                       period.date_from AS date_from,
                       period.date_to AS date_to,
                       value.value AS value,
                       value.target AS target,
                       value.status = 'on_target' AS on_target
                  FROM confirma_indicator_value value
                  JOIN confirma_indicator indicator ON indicator.id = value.indicator_id
                  JOIN confirma_indicator_period period ON period.id = value.period_id
                 WHERE value.scope = 'town' AND period.state = 'closed'
                )
                """,
                view=SQL.identifier(self._table),
            )
        )
