# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

#: Workflow records created together.
BATCH = 1000


class AutomationConfiguration(models.Model):
    _inherit = "automation.configuration"

    @api.private
    def _confirma_run_automation(self):
        """``run_automation`` for a campaign's workflow, whose records are a
        city's offers: the same records, created a thousand at a time. OCA's
        creates them one by one and gathers them in a recordset that it
        copies at each one, which grows with the square of the offers (a
        campaign of 100,000 spent minutes in it, in one job)."""
        self.ensure_one()
        if self.state not in ("periodic", "ondemand"):
            return self.env["automation.record"]
        targets = self._get_automation_records_to_create()
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
