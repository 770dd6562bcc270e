# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime

from odoo import api, fields, models, tools
from odoo.tools import SQL

from .. import case_states as states
from .confirma_indicator_value import format_measure, format_number

PERIODICITIES = [("half", "Half-yearly"), ("year", "Yearly")]
EX_OFFICIO_ORIGINS = ("sweep", "campaign", "event", "daily")


class ConfirmaIndicator(models.Model):
    """A follow-up indicator of the action plan (section 06 of the Confirm@
    project plan): what it measures, how, its target and accepted deviation,
    its values per period."""

    _name = "confirma.indicator"
    _description = "Follow-up indicator"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    code = fields.Char(required=True, index=True)
    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    definition = fields.Text(translate=True, help="What the indicator measures.")
    computation = fields.Text(
        string="How it is computed", translate=True, help="From which records."
    )
    method = fields.Selection(
        [
            ("procedures_identified", "Procedures working by confirmation (%)"),
            ("procedures_related", "Procedures related to others"),
            ("procedures_interoperable", "Procedures checked with data services"),
            ("ex_officio", "Cases started ex officio (%)"),
            ("documents_eliminated", "Documents no longer asked for (%)"),
            ("procedures_simplified", "Procedures simplified (%)"),
            ("in_person", "Answers at the counter (change %)"),
            ("resolution_days", "Median resolution time (days)"),
            ("campaign_rate", "Campaign confirmation rate (%)"),
        ],
        required=True,
        help="The computation Confirm@ runs on the period's records.",
    )
    unit = fields.Selection(
        [
            ("percent", "%"),
            ("count", "Number"),
            ("days", "Days"),
            ("score", "Score (0-10)"),
        ],
        required=True,
        default="percent",
    )
    periodicity = fields.Selection(
        PERIODICITIES, required=True, default="half", tracking=True
    )
    target = fields.Float(required=True, tracking=True)
    tolerance = fields.Float(
        required=True,
        tracking=True,
        help="Accepted deviation around the target, in the indicator's unit: "
        "a target of 80 with a tolerance of 5 is met from 75 (or up to 85, "
        "for indicators where less is better).",
    )
    direction = fields.Selection(
        [
            ("higher", "Higher is better"),
            ("lower", "Lower is better"),
            ("band", "Within target ± tolerance"),
        ],
        required=True,
        default="higher",
        help="Higher is better: a deviation is below target − tolerance. "
        "Lower is better: above target + tolerance. Band: outside either side.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        tracking=True,
        help="Gets the activity when the town-wide value deviates "
        "(per-procedure values go to the procedure's owner).",
    )
    published = fields.Boolean(
        string="On the transparency page", default=True, tracking=True
    )
    value_ids = fields.One2many("confirma.indicator.value", "indicator_id")
    last_value = fields.Float(compute="_compute_last", string="Last closed value")
    last_period = fields.Char(compute="_compute_last", string="Last closed period")
    last_display = fields.Char(compute="_compute_last", string="Last value")
    last_status = fields.Selection(
        [
            ("on_target", "On target"),
            ("off_target", "Off target"),
            ("no_data", "No data"),
        ],
        compute="_compute_last",
        string="Status",
    )

    _sql_constraints = [
        (
            "code_company_unique",
            "UNIQUE (code, company_id)",
            "An indicator code is unique per municipality.",
        )
    ]

    def _compute_last(self):
        values = self.env["confirma.indicator.value"].search(
            [
                ("indicator_id", "in", self.ids),
                ("procedure_id", "=", False),
                ("channel", "=", False),
                ("state", "=", "closed"),
            ],
            order="date_to desc, id desc",
        )
        last = {}
        for value in values:
            last.setdefault(value.indicator_id, value)
        for indicator in self:
            value = last.get(indicator)
            indicator.last_value = value.value if value else 0.0
            indicator.last_period = value.period_id.name if value else False
            indicator.last_display = format_measure(
                self.env, value.value if value else None, indicator.unit
            )
            indicator.last_status = value.status if value else "no_data"

    def _bounds(self):
        self.ensure_one()
        low, high = self.target - self.tolerance, self.target + self.tolerance
        return {
            "higher": (low, None),
            "lower": (None, high),
            "band": (low, high),
        }[self.direction]

    # ---- computations ------------------------------------------------------------
    def _measure(self, date_from, date_to):
        """Rows of {value, procedure_id, channel, numerator, denominator}:
        the town-wide value (no procedure, no channel) and breakdowns."""
        self.ensure_one()
        return getattr(self, f"_measure_{self.method}")(date_from, date_to)

    @staticmethod
    def _ratio(numerator, denominator):
        return 100.0 * numerator / denominator if denominator else None

    def _share_of_procedures(self, selected_domain):
        Procedure = self.env["confirma.procedure"]
        base = [("company_id", "=", self.company_id.id), ("state", "!=", "retired")]
        total = Procedure.search_count(base)
        selected = Procedure.search_count(base + selected_domain)
        return total, selected

    def _measure_procedures_identified(self, date_from, date_to):
        total, selected = self._share_of_procedures(
            [("state", "=", "active"), ("rule_id", "!=", False)]
        )
        return [self._row(self._ratio(selected, total), selected, total)]

    def _measure_procedures_related(self, date_from, date_to):
        Relation = self.env["confirma.procedure.relation"]
        pairs = Relation._read_group(
            [("procedure_id.company_id", "=", self.company_id.id)],
            ["procedure_id", "related_id"],
        )
        related = {p.id for pair in pairs for p in pair}
        return [self._row(float(len(related)), len(related), None)]

    def _measure_procedures_interoperable(self, date_from, date_to):
        _total, selected = self._share_of_procedures(
            [("requirement_ids.method", "=", "interop")]
        )
        return [self._row(float(selected), selected, None)]

    def _measure_procedures_simplified(self, date_from, date_to):
        total, selected = self._share_of_procedures(
            [
                "|",
                ("technique_ids", "!=", False),
                ("requirement_ids.technique_id", "!=", False),
            ]
        )
        return [self._row(self._ratio(selected, total), selected, total)]

    def _measure_documents_eliminated(self, date_from, date_to):
        Requirement = self.env["confirma.procedure.requirement"]
        base = [
            ("procedure_id.company_id", "=", self.company_id.id),
            ("procedure_id.state", "!=", "retired"),
            ("document_before", "=", True),
        ]
        rows = Requirement._read_group(
            base, ["procedure_id", "document_now"], ["__count"]
        )
        return self._rows_by_procedure(rows, lambda key: not key)

    @staticmethod
    def _tally(rows, counts_up):
        """{group: (numerator, denominator)} from grouped rows of
        (group, key, count): all counted below, ``counts_up(key)`` above."""
        tally = {}
        for group, key, count in rows:
            numerator, denominator = tally.get(group, (0, 0))
            tally[group] = (
                numerator + (count if counts_up(key) else 0),
                denominator + count,
            )
        return tally

    def _rows_by_procedure(self, rows, counts_up):
        """Percentages town-wide and per procedure from grouped rows of
        (procedure, key, count)."""
        per = self._tally(rows, counts_up)
        numerator = sum(n for n, _d in per.values())
        denominator = sum(d for _n, d in per.values())
        return [
            self._row(self._ratio(numerator, denominator), numerator, denominator)
        ] + [
            self._row(self._ratio(n, d), n, d, procedure=procedure)
            for procedure, (n, d) in per.items()
        ]

    def _case_domain(self, field, date_from, date_to):
        end = datetime.datetime.combine(date_to, datetime.time.max)
        return [
            ("company_id", "=", self.company_id.id),
            (field, ">=", datetime.datetime.combine(date_from, datetime.time.min)),
            (field, "<=", end),
        ]

    def _measure_ex_officio(self, date_from, date_to):
        rows = self.env["confirma.case"]._read_group(
            self._case_domain("date_proposed", date_from, date_to),
            ["procedure_id", "origin"],
            ["__count"],
        )
        return self._rows_by_procedure(
            rows, lambda origin: origin in EX_OFFICIO_ORIGINS
        )

    def _measure_campaign_rate(self, date_from, date_to):
        domain = self._case_domain("date_notified", date_from, date_to) + [
            ("campaign_id", "!=", False)
        ]
        rows = self.env["confirma.case"]._read_group(
            domain, ["procedure_id", "outreach_channel", "state"], ["__count"]
        )

        def confirmed(state):
            return state in states.CONFIRMED

        result = self._rows_by_procedure(
            [(p, state, count) for p, _channel, state, count in rows], confirmed
        )
        channels = self._tally(
            [(channel or "none", state, count) for _p, channel, state, count in rows],
            confirmed,
        )
        return result + [
            self._row(self._ratio(n, d), n, d, channel=channel)
            for channel, (n, d) in channels.items()
        ]

    def _measure_in_person(self, date_from, date_to):
        Case = self.env["confirma.case"]
        previous_from = date_from - (date_to - date_from) - datetime.timedelta(days=1)
        previous_to = date_from - datetime.timedelta(days=1)
        now = Case.search_count(
            self._case_domain("date_answered", date_from, date_to)
            + [("channel", "=", "counter")]
        )
        before = Case.search_count(
            self._case_domain("date_answered", previous_from, previous_to)
            + [("channel", "=", "counter")]
        )
        change = self._ratio(now - before, before)
        return [self._row(change, now, before)]

    def _measure_resolution_days(self, date_from, date_to):
        """Median days from the resident's confirmation to the case's close."""
        self.env["confirma.case"].flush_model(
            ["date_answered", "date_closed", "resolution", "company_id"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT procedure_id,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY days),
                       count(*)
                  FROM (SELECT procedure_id,
                               EXTRACT(EPOCH FROM date_closed - date_answered)
                               / 86400.0 AS days
                          FROM confirma_case
                         WHERE company_id = %(company)s
                           AND resolution IS NOT NULL
                           AND date_answered IS NOT NULL
                           AND date_closed >= %(start)s AND date_closed <= %(end)s
                       ) AS c
              GROUP BY ROLLUP (procedure_id)
                """,
                company=self.company_id.id,
                start=datetime.datetime.combine(date_from, datetime.time.min),
                end=datetime.datetime.combine(date_to, datetime.time.max),
            )
        )
        Procedure = self.env["confirma.procedure"]
        return [
            self._row(
                round(median, 2),
                count,
                None,
                procedure=Procedure.browse(procedure_id) if procedure_id else None,
            )
            for procedure_id, median, count in self.env.cr.fetchall()
            if median is not None
        ]

    @staticmethod
    def _row(value, numerator=None, denominator=None, procedure=None, channel=None):
        return {
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
            "procedure_id": procedure.id if procedure else False,
            "channel": channel or False,
        }

    @api.model
    @tools.ormcache("company_id", "lang")
    def _transparency_data(self, company_id, lang):
        """What the transparency page shows, as plain values: the procedures
        working by confirmation and the published indicators' town-wide
        values of the last closed periods. Aggregates only."""
        env = self.with_context(lang=lang).env
        procedures = env["confirma.procedure"].search(
            [
                ("company_id", "=", company_id),
                ("state", "=", "active"),
                ("rule_id", "!=", False),
            ],
            order="sequence, name",
        )
        catalogue = [
            {
                "name": procedure.name,
                "unit": procedure.unit_id.name or "",
                "documents_before": procedure.document_before_count,
                "documents_now": procedure.document_now_count,
                "phases": [
                    {"name": phase.name, "days": phase.duration_days}
                    for phase in procedure.phase_ids
                ],
            }
            for procedure in procedures
        ]
        indicators = env["confirma.indicator"].search(
            [("company_id", "=", company_id), ("published", "=", True)]
        )
        values = env["confirma.indicator.value"].search(
            [("indicator_id", "in", indicators.ids), ("scope", "=", "town")],
            order="date_to",
        )
        by_indicator = {}
        for value in values:
            by_indicator.setdefault(value.indicator_id.id, []).append(value)
        for indicator_id, history in by_indicator.items():
            # the closed periods, and the one in progress (provisional)
            closed = [v for v in history if v.state == "closed"]
            current = [v for v in history if v.state == "open"][-1:]
            by_indicator[indicator_id] = closed + current
        rows = []
        for indicator in indicators:
            history = by_indicator.get(indicator.id, [])[-4:]
            low, high = indicator._bounds()
            rows.append(
                {
                    "code": indicator.code,
                    "name": indicator.name,
                    "definition": indicator.definition or "",
                    "target": format_measure(env, indicator.target, indicator.unit),
                    "tolerance": format_number(env, indicator.tolerance),
                    "periodicity": indicator.periodicity,
                    "history": [
                        {
                            "period": v.period_id.name,
                            "value": format_measure(env, v.value, indicator.unit),
                            "on_target": not v.deviation,
                            "provisional": v.state == "open",
                        }
                        for v in history
                    ],
                    "trend": (
                        "up"
                        if len(history) > 1 and history[-1].value > history[-2].value
                        else "down"
                        if len(history) > 1 and history[-1].value < history[-2].value
                        else "flat"
                    ),
                    "low": low,
                    "high": high,
                }
            )
        return {"procedures": catalogue, "indicators": rows}
