# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Applying an INE variation file (fichero H) to the residents."""

import json

from odoo import _, api, fields, models
from odoo.tools.translate import LazyTranslate

from odoo.addons.queue_job.delay import chain, group

from ..padron import ine_h
from ..padron.layout import RowError
from ..padron.writer import (
    BATCH_SIZE,
    VariationWriter,
    change_key,
    identities_of,
    identity_of,
    plan_batches,
    raw_identity,
)

_lt = LazyTranslate(__name__)
#: Where a record's date of effect is: records apply in date order.
_FVAR = ine_h.OFFSETS[("ctl", "FVAR")]


class ConfirmaPadronImport(models.Model):
    _inherit = "confirma.padron.import"

    file_format = fields.Selection(
        [("csv", "CSV / XLSX"), ("ine_h", "INE variation file (fichero H)")],
        string="Format",
        default="csv",
        required=True,
        readonly=True,
    )
    events = fields.Integer(readonly=True, help="Padrón events recorded.")
    ine_rejected = fields.Integer(
        string="Rejected by INE",
        readonly=True,
        help="Records INE sent back as rejected (TIPOINF R, with its cause "
        "CDEV): listed in the report, not applied.",
    )
    event_ids = fields.One2many("confirma.padron.event", "import_id")

    @api.private
    def summary_line(self):
        line = super().summary_line()
        if self.file_format == "ine_h":
            line += f" events={self.events}"
            if self.ine_rejected:
                line += f" ine_rejected={self.ine_rejected}"
        return line

    @api.private
    def run(self, binary, today=None):
        if self.file_format != "ine_h":
            return super().run(binary, today=today)
        return self._run_ine_h(binary, today=today)

    def action_view_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "confirma_citizen.confirma_padron_event_action"
        )
        action["domain"] = [("import_id", "=", self.id)]
        return action

    def _run_ine_h(self, binary, today=None):
        """Read an INE variation file and hand its records to jobs: in order
        of their date of effect (FVAR, then line), in batches that share no
        person and no household, written side by side; a person's next
        change waits for the stage before it (see ``plan_batches``). Records
        refused when read (or sent back rejected by INE) are reported with
        their line and reason; the others apply. Idempotent: a change already applied
        (same digest) is counted as unchanged."""
        self.ensure_one()
        self.env["res.partner"].check_access("create")
        self.env["confirma.padron.event"].check_access("create")
        today = today or fields.Date.context_today(self)
        self._start(today)
        state = VariationWriter(self, today)
        report, writer = self._error_report()
        try:
            records = sorted(
                ine_h.read_records(binary),
                key=lambda item: (item[1][_FVAR[0] : _FVAR[1]], item[0]),
            )
        except UnicodeDecodeError as error:
            report.close()
            self._fail(error)
        records, refused = self._ine_h_route(records, today)
        for line_no, text, reason in refused:
            state.rows += 1
            state.report(writer, line_no, raw_identity(text), reason)
        changes = []
        for line_no, text in records:
            state.rows += 1
            try:
                variation = ine_h.parse_record(line_no, text)
            except RowError as error:
                state.report(
                    writer, line_no, raw_identity(text), error.render(state.lang)
                )
                continue
            if variation.rejected:
                state.ine_rejected += 1
                state.report(
                    writer,
                    line_no,
                    identity_of(variation),
                    _(
                        "rejected by INE (TIPOINF R), cause %(code)s",
                        code=variation.rejection_code or "-",
                    ),
                    error=False,
                )
                continue
            # the job gets the record as parsed here (and its digest)
            item = (line_no, change_key(text), ine_h.dump(variation))
            changes.append((identities_of(variation), variation, item))
        # the households each change touches: where its person goes, and
        # where they are now
        current = state.current_households(
            set().union(*(identities for identities, _v, _item in changes))
        )
        stages = plan_batches(
            [
                (
                    identities,
                    {variation.household_code} - {None}
                    | {current[i] for i in identities if i in current},
                    item,
                )
                for identities, variation, item in changes
            ],
            BATCH_SIZE,
        )
        batches = []
        for number, stage in enumerate(stages, start=1):
            for rows in stage:
                batches.append(
                    self._add_batch(len(batches), rows, json.dumps, stage=number)
                )
        self._read_done(
            {
                "rows": state.rows,
                "errors": state.errors,
                "ine_rejected": state.ine_rejected,
            },
            report,
            attach=bool(state.errors or state.ine_rejected),
        )
        self._delay_stages(self.env["confirma.padron.import.batch"].concat(*batches))
        return self

    def _delay_stages(self, batches):
        """Hand the batches to jobs: those of a stage side by side, the
        stages one after the other, then the end."""
        stages = {}
        for batch in batches:
            stages.setdefault(batch.stage, []).append(batch._write_delayable())
        steps = [group(*jobs) for _stage, jobs in sorted(stages.items())]
        chain(*steps, self._finish_delayable()).delay()

    def _ine_h_route(self, records, today):
        """Hook: which of the file's ``records`` ((line, text), in date
        order) this import applies, and which it refuses ((line, text,
        reason), reported as errors). All of them here; an installation
        hosting several municipalities hands each town its own records."""
        return records, []

    def _finish_sums(self):
        if self.file_format != "ine_h":
            return super()._finish_sums()
        return ("events",)

    def _done_message(self):
        if self.file_format != "ine_h":
            return super()._done_message()
        return _("Padrón changes applied: %(summary)s", summary=self.summary_line())
