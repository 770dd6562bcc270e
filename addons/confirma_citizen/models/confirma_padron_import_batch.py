# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The batches of a padrón import, each written by one job (OCA queue_job).

The import reads and checks the file (line numbers, duplicates, the report
of refused rows) and leaves its accepted rows here, a thousand per batch;
each batch is one job on the channel ``root.confirma.import``, one
transaction, run by whichever Odoo node the job runner hands it to. Writing
is idempotent (residents matched by document and NIA, INE changes by their
digest), so that a batch run again after a restart writes nothing twice.
"""

import json

import psycopg2

from odoo import api, fields, models

from odoo.addons.queue_job.exception import RetryableJobError

from ..padron.writer import ResidentWriter, VariationWriter, load_rows

#: What a batch counts of its rows.
COUNTS = ("created", "updated", "unchanged", "deregistered", "errors", "events")
#: Seconds before a batch that met another one's new household runs again.
CONFLICT_RETRY_SECONDS = 2


class ReportRows(list):
    """Refused records of a batch, as the writers report them (a list with
    the ``writerow`` of a CSV writer)."""

    writerow = list.append


class ConfirmaPadronImportBatch(models.Model):
    _name = "confirma.padron.import.batch"
    _description = "Padrón import batch"
    _order = "import_id, sequence"

    import_id = fields.Many2one(
        "confirma.padron.import", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="import_id.company_id", store=True)
    sequence = fields.Integer(required=True)
    # INE changes: the batches of a stage are written side by side, the
    # stages one after the other (a person's next change, see plan_batches)
    stage = fields.Integer(default=1, required=True)
    state = fields.Selection(
        [("pending", "Pending"), ("done", "Written")],
        default="pending",
        required=True,
        index=True,
    )
    rows = fields.Integer()
    first_line = fields.Integer()
    # the checked rows (JSON), emptied once written; read only by the batch's
    # own job (not prefetched with the other batches: a thousand rows each)
    payload = fields.Text(prefetch=False)
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    deregistered = fields.Integer()
    errors = fields.Integer()
    events = fields.Integer()
    # refused records found while writing (INE H): [[line, key, reason], ...]
    report = fields.Text(prefetch=False)

    _sql_constraints = [
        (
            "sequence_uniq",
            "unique(import_id, sequence)",
            "A batch number is unique within its import.",
        )
    ]

    @api.private
    def _delay_write(self):
        """Hand each batch to a job (one per batch, never twice)."""
        for batch in self:
            batch._write_delayable().delay()

    def _write_delayable(self):
        """The batch's job, to be queued (see ``_delay_write``)."""
        self.ensure_one()
        return self.delayable(
            description=self.env._(
                "Padrón %(file)s: batch %(number)s",
                file=self.import_id.name,
                number=self.sequence,
            ),
            identity_key=f"confirma-padron-{self.import_id.id}-batch-{self.sequence}",
        )._write_job()

    def _write_job(self):
        """Job: write this batch, once. A batch that met a household or a
        resident another batch was creating at the same moment runs again a
        little later (then it finds them). Batches of a CSV padrón are all
        queued at once, the end waiting for them; those of an INE file by
        stage (see ``_delay_stages``)."""
        self.ensure_one()
        record = self.import_id
        if self.state == "done" or record.state != "running":
            return False
        try:
            with self.env.cr.savepoint():
                counts, report = self._write(record)
        except psycopg2.errors.UniqueViolation as error:
            self.env.invalidate_all()
            raise RetryableJobError(
                f"another batch created the same record: {error.diag.message_primary}",
                seconds=CONFLICT_RETRY_SECONDS,
            ) from error
        self.write(
            dict(
                {name: counts[name] for name in COUNTS if name in counts},
                state="done",
                payload=False,
                report=json.dumps(report) if report else False,
            )
        )
        return counts

    def _related_action_import(self):
        """The job's related record, for the job queue: the import."""
        return {
            "type": "ir.actions.act_window",
            "res_model": "confirma.padron.import",
            "res_id": self.import_id.id,
            "view_mode": "form",
        }

    def _write(self, record):
        today = record.reference_date
        if record.file_format == "ine_h":
            writer = VariationWriter(record, today)
            report = ReportRows()
            writer.apply(writer.parse_batch(json.loads(self.payload)), report)
            counts = writer.counts()
            counts.update(events=writer.events)
            return counts, [list(row) for row in report]
        writer = ResidentWriter(record, today)
        writer.apply(load_rows(self.payload))
        return writer.counts(), []


class ConfirmaPadronImportSeen(models.Model):
    """The residents a full snapshot named, batch by batch: those active and
    not named are deregistered once every batch is written. Written and read
    with SQL by the import only; emptied when it ends."""

    _name = "confirma.padron.import.seen"
    _description = "Resident named by a full snapshot"
    _log_access = False

    import_id = fields.Many2one(
        "confirma.padron.import", required=True, ondelete="cascade"
    )
    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade")

    _sql_constraints = [
        (
            "partner_uniq",
            "unique(import_id, partner_id)",
            "A resident is named once per snapshot.",
        )
    ]
