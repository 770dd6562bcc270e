# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.osv import expression
from odoo.tools.safe_eval import safe_eval

#: Workflow records created together.
BATCH = 1000


class AutomationConfiguration(models.Model):
    _inherit = "automation.configuration"

    @api.private
    def _confirma_run_automation(self, res_ids=None):
        """``run_automation`` for a campaign's workflow, whose records are a
        city's offers: the same records, created a thousand at a time. OCA's
        creates them one by one and gathers them in a recordset that it
        copies at each one, which grows with the square of the offers (a
        campaign of 100,000 spent minutes in it, in one job). ``res_ids``:
        only these of the workflow's records (a batch of offers just sent,
        entered by its own job)."""
        self.ensure_one()
        if self.state not in ("periodic", "ondemand"):
            return self.env["automation.record"]
        if res_ids is None or self.field_id:
            targets = self._get_automation_records_to_create()
            if res_ids is not None:
                targets = targets.filtered(lambda r: r.id in set(res_ids))
        else:
            targets = self._confirma_records_to_create(res_ids)
        Record = self.env["automation.record"]
        ids = []
        for start in range(0, len(targets), BATCH):
            ids += Record.create(
                [
                    self._create_record_vals(record)
                    for record in targets[start : start + BATCH]
                ]
            ).ids
        records = Record.browse(ids)
        records.automation_step_ids._trigger_activities()
        return records

    def _confirma_records_to_create(self, res_ids):
        """Which of ``res_ids`` match the workflow's domain and are not in it
        yet (``_get_automation_records_to_create``, for these only)."""
        Model = self.env[self.model_id.model]
        domain = safe_eval(self.domain, self._get_eval_context())
        if self.company_id and "company_id" in Model._fields:
            domain = expression.AND([domain, [("company_id", "=", self.company_id.id)]])
        records = Model.search(expression.AND([domain, [("id", "in", list(res_ids))]]))
        entered = set(
            self.env["automation.record"]
            .search(
                [
                    ("configuration_id", "=", self.id),
                    ("model", "=", Model._name),
                    ("res_id", "in", records.ids),
                    ("is_test", "!=", True),
                ]
            )
            .mapped("res_id")
        )
        return records.filtered(lambda r: r.id not in entered)
