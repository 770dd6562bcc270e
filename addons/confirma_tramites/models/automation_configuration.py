# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.osv import expression
from odoo.tools.safe_eval import safe_eval

from odoo.addons.confirma_citizen.padron import bulk
from odoo.addons.confirma_citizen.padron.writer import stored_defaults

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
            vals_list = [
                self._create_record_vals(record)
                for record in targets[start : start + BATCH]
            ]
            ids += self._confirma_insert_records(vals_list).ids
        records = Record.browse(ids)
        records.automation_step_ids._trigger_activities()
        return records

    def _confirma_insert_records(self, vals_list):
        """Create the workflow records ``vals_list`` (``_create_record_vals``)
        and their steps set-based, an INSERT each (``bulk.insert``), with the
        values OCA computes for them: a record runs while a step of it is
        scheduled; a step takes its name, type and trigger from its step of
        the workflow. Anything else (another module's values) goes through
        ``create()``."""
        Record = self.env["automation.record"]
        Step = self.env["automation.record.step"]
        steps = [vals.get("automation_step_ids") or [] for vals in vals_list]
        if not all(
            isinstance(command, list | tuple)
            and command[0] == 0
            and not command[2].get("parent_id")
            for commands in steps
            for command in commands
        ):
            return Record.create(vals_list)
        try:
            with self.env.cr.savepoint():
                return self._confirma_insert(Record, Step, vals_list, steps)
        except ValueError:
            self.env.invalidate_all()
            return Record.create(vals_list)

    def _confirma_insert(self, Record, Step, vals_list, steps):
        defaults = stored_defaults(Record)
        records = bulk.insert(
            Record,
            [
                dict(
                    defaults,
                    state="run"
                    if any(
                        command[2].get("state", "scheduled") == "scheduled"
                        for command in commands
                    )
                    else "done",
                    **{k: v for k, v in vals.items() if k != "automation_step_ids"},
                )
                for vals, commands in zip(vals_list, steps, strict=True)
            ],
            given=("state",),
        )
        defaults = stored_defaults(Step)
        workflow_steps = {step.id: step for step in self.automation_step_ids}
        rows = []
        for record_id, record_vals, commands in zip(
            records.ids, vals_list, steps, strict=True
        ):
            for command in commands:
                step = workflow_steps[command[2]["configuration_step_id"]]
                row = dict(
                    defaults,
                    record_id=record_id,
                    name=step.name,
                    configuration_id=step.configuration_id.id,
                    step_type=step.step_type,
                    trigger_type=step.trigger_type,
                    parent_position=0,
                    is_test=bool(record_vals.get("is_test")),
                )
                row.update(command[2])
                rows.append(row)
        # the records' state is written: their new steps do not recompute it
        with self.env.protecting([Record._fields["state"]], records):
            bulk.insert(
                Step,
                rows,
                given=(
                    "name",
                    "configuration_id",
                    "step_type",
                    "trigger_type",
                    "parent_position",
                    "is_test",
                ),
            )
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
