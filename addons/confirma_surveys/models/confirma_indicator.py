# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime

from odoo import fields, models


class ConfirmaIndicator(models.Model):
    _inherit = "confirma.indicator"

    method = fields.Selection(
        selection_add=[
            ("citizen_satisfaction", "Citizen satisfaction (0-10)"),
            ("staff_satisfaction", "Staff satisfaction (0-10)"),
        ],
        ondelete={"citizen_satisfaction": "cascade", "staff_satisfaction": "cascade"},
    )

    def _satisfaction(self, kind, date_from, date_to):
        """Average 0-10 score of the surveys of ``kind`` answered in the
        period: town-wide and per procedure."""
        Answer = self.env["survey.user_input"].sudo()
        domain = [
            ("confirma_kind", "=", kind),
            ("state", "=", "done"),
            ("confirma_scored", "=", True),
            ("confirma_company_id", "=", self.company_id.id),
            (
                "end_datetime",
                ">=",
                datetime.datetime.combine(date_from, datetime.time.min),
            ),
            (
                "end_datetime",
                "<=",
                datetime.datetime.combine(date_to, datetime.time.max),
            ),
        ]
        rows = Answer._read_group(
            domain, ["confirma_procedure_id"], ["__count", "confirma_score:sum"]
        )
        count = sum(row[1] for row in rows)
        if not count:
            return []
        total = sum(row[2] for row in rows)
        result = [self._row(round(total / count, 2), count, None)]
        for procedure, answers, score in rows:
            result.append(
                self._row(round(score / answers, 2), answers, None, procedure=procedure)
            )
        return result

    def _measure_citizen_satisfaction(self, date_from, date_to):
        return self._satisfaction("citizen", date_from, date_to)

    def _measure_staff_satisfaction(self, date_from, date_to):
        return self._satisfaction("staff", date_from, date_to)


class ConfirmaIndicatorValue(models.Model):
    _inherit = "confirma.indicator.value"

    improvement_action_ids = fields.One2many(
        "confirma.improvement.action", "indicator_value_id"
    )

    def action_open_improvement(self):
        """An improvement action for this deviation (origin: indicator)."""
        self.ensure_one()
        action = self.env["confirma.improvement.action"].create(
            {
                "name": self.env._(
                    "Bring %(name)s back on target", name=self.display_name
                ),
                "origin": "indicator",
                "procedure_id": self.procedure_id.id,
                "company_id": self.company_id.id,
                "user_id": self._owner().id,
                "indicator_value_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": action._name,
            "res_id": action.id,
            "view_mode": "form",
        }
