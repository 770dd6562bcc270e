# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import csv
import datetime
import io
import itertools
import json
import logging
import tempfile

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from odoo.addons.queue_job.exception import RetryableJobError

from ..padron import csv_safe, layout
from ..padron.layout import RowError
from ..padron.writer import BATCH_SIZE, ResidentWriter, dump_rows

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

#: Share (%) of the active residents a full snapshot may deregister unless
#: forced; the setting ``confirma_citizen.snapshot_max_deregister``.
SNAPSHOT_MAX_DEREGISTER_PARAM = "confirma_citizen.snapshot_max_deregister"
SNAPSHOT_MAX_DEREGISTER_DEFAULT = 5.0
#: The job that ends an import runs after its batches (a larger number runs
#: later), and looks again this many seconds later while some are left.
FINISH_PRIORITY = 20
FINISH_WAIT_SECONDS = 2


class ConfirmaPadronImport(models.Model):
    """One import of a padrón file: what it did, and the rows it refused."""

    _name = "confirma.padron.import"
    _description = "Padrón import"
    _inherit = ["mail.thread", "confirma.job.progress.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="File", required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        "res.users", readonly=True, default=lambda self: self.env.user
    )
    mapping_id = fields.Many2one(
        "confirma.padron.mapping", readonly=True, check_company=True
    )
    full_snapshot = fields.Boolean(
        readonly=True,
        help="The file holds the whole register: residents missing from it were "
        "deregistered.",
    )
    snapshot_forced = fields.Boolean(
        string="Forced",
        readonly=True,
        help="The officer asked to deregister the residents missing from the "
        "full snapshot even beyond the share allowed in the settings.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "In progress"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        default="draft",
        readonly=True,
        tracking=True,
    )
    reference_date = fields.Date(
        readonly=True, help="The day the file was read: ages and dates refer to it."
    )
    date_start = fields.Datetime(readonly=True)
    date_done = fields.Datetime(string="Finished", readonly=True)
    duration = fields.Float(string="Duration (s)", readonly=True)
    rows = fields.Integer(readonly=True, default=0)
    created = fields.Integer(readonly=True, default=0)
    updated = fields.Integer(readonly=True, default=0)
    unchanged = fields.Integer(readonly=True, default=0)
    deregistered = fields.Integer(readonly=True, default=0)
    errors = fields.Integer(readonly=True, default=0)
    error_report = fields.Binary(attachment=True, readonly=True)
    error_report_name = fields.Char(readonly=True)
    failure = fields.Text(readonly=True)
    batch_ids = fields.One2many("confirma.padron.import.batch", "import_id")
    batch_count = fields.Integer(string="Batches", compute="_compute_progress")
    batch_done_count = fields.Integer(
        string="Batches written", compute="_compute_progress"
    )
    progress = fields.Float(string="Batches written (%)", compute="_compute_progress")

    @api.depends("batch_ids.state", "state")
    def _compute_progress(self):
        Batch = self.env["confirma.padron.import.batch"]
        counts = {
            (record.id, state): count
            for record, state, count in Batch._read_group(
                [("import_id", "in", self.ids)], ["import_id", "state"], ["__count"]
            )
        }
        for record in self:
            done = counts.get((record.id, "done"), 0)
            total = done + counts.get((record.id, "pending"), 0)
            record.batch_count = total
            record.batch_done_count = done
            record.progress = (
                100.0
                if record.state == "done"
                else done * 100.0 / total
                if total
                else 0.0
            )

    def _job_key_prefix(self):
        return f"confirma-padron-{self.id}-"

    # ------------------------------------------------------------------
    # Summary
    # ------------------------------------------------------------------
    @api.private
    def summary_line(self):
        self.ensure_one()
        return (
            f"created={self.created} updated={self.updated} unchanged={self.unchanged} "
            f"deregistered={self.deregistered} errors={self.errors}"
        )

    # ------------------------------------------------------------------
    # Import: read here, write in jobs
    # ------------------------------------------------------------------
    @api.private
    def run(self, binary, today=None):
        """Read and check the file object ``binary`` (CSV or XLSX), and hand
        its rows to jobs, a batch each (``confirma.padron.import.batch``).

        Bad rows go to the error report with their line number and reason;
        the good ones are cut into batches of about a thousand, a household
        never split, each written by a job of the channel
        ``root.confirma.import`` on whichever node runs it. A last job adds
        up the counts and, for a full snapshot, deregisters the residents
        the file did not name. A file that cannot be read at all is refused
        here (UserError), before any job is handed out.
        """
        self.ensure_one()
        self.env["res.partner"].check_access("create")
        today = today or fields.Date.context_today(self)
        self._start(today)
        mapping = self.mapping_id
        state = ResidentWriter(self, today)
        report, writer = self._error_report()
        batches = []
        try:
            rows = layout.read_rows(
                binary,
                self.name,
                mapping=mapping._as_dict() if mapping else None,
                delimiter=mapping._delimiter() if mapping else None,
                encoding=mapping.encoding if mapping else "utf-8",
            )
            batch, household = [], None
            for line, raw, digest, unchanged in self._read_chunks(rows, state):
                state.rows += 1
                key = unchanged and layout.row_key(unchanged[1])
                if key and key not in state.keys:
                    # the row its resident was imported from: nothing to check
                    # or write (a duplicate of it is checked, and refused)
                    state.keys[key] = line
                    state.name_unchanged(*unchanged)
                    continue
                try:
                    values = layout.parse_row(raw, today=today)
                    key = layout.row_key(values)
                    first = state.keys.get(key)
                    if first:
                        raise RowError(
                            _lt("duplicate of line %(line)s in the file"), line=first
                        )
                    state.keys[key] = line
                except RowError as error:
                    state.error(writer, line, raw, error)
                    continue
                values["row_hash"] = digest
                state.name(values)
                code = values["household_code"]
                # a household stays in one batch (its members usually follow
                # each other in a padrón file)
                if len(batch) >= BATCH_SIZE and (
                    not code or code != household or len(batch) >= 2 * BATCH_SIZE
                ):
                    batches.append(self._add_batch(len(batches), batch, dump_rows))
                    batch = []
                batch.append((line, values))
                household = code
            if batch:
                batches.append(self._add_batch(len(batches), batch, dump_rows))
        except (RowError, UnicodeDecodeError, csv.Error) as error:
            report.close()
            self._fail(error)
        if self.full_snapshot:
            refusal = state.snapshot_refusal()
            if refusal:
                report.close()
                self._refuse(refusal)
            state.mark_protected()
        self._read_done(state.counts(), report, attach=bool(state.errors))
        batches = self.env["confirma.padron.import.batch"].concat(*batches)
        batches._delay_write()
        self._delay_finish()
        return self

    def _read_chunks(self, rows, state):
        """``(line, raw, digest, unchanged)`` for each row read, looked up a
        batch at a time (``ResidentWriter.unchanged_rows``): ``unchanged``
        is (resident id, their document_number and nia) when the row is the
        one its resident was last imported from, else None. The residents
        of unchanged rows are marked seen as they go (a full snapshot)."""
        while chunk := list(itertools.islice(rows, BATCH_SIZE)):
            digests, unchanged = state.unchanged_rows(chunk)
            for line, raw in chunk:
                yield line, raw, digests[line], unchanged.get(line)
            state._mark_seen(state.unchanged_ids)
            state.unchanged_ids = []

    def _start(self, today):
        self.write(
            {
                "date_start": fields.Datetime.now(),
                "state": "running",
                "reference_date": today,
            }
        )

    def _add_batch(self, number, rows, dump, **vals):
        """A batch of checked ``rows`` ``[(line, values), ...]`` waiting for
        its job; ``dump`` writes them as text (``vals``: more of its fields)."""
        batch = self.env["confirma.padron.import.batch"].create(
            {
                "import_id": self.id,
                "sequence": number + 1,
                "rows": len(rows),
                "first_line": rows[0][0],
                "payload": dump(rows),
                **vals,
            }
        )
        # the text of a thousand rows is not kept in memory
        batch.invalidate_recordset(["payload"])
        return batch

    def _error_report(self):
        """The report of refused rows, a temporary CSV: (file, writer). The
        cells come from the file: the writer neutralises spreadsheet formulas."""
        report = tempfile.TemporaryFile(mode="w+", encoding="utf-8", newline="")
        writer = csv_safe.writer(report)
        writer.writerow([_("Line"), _("Document / NIA"), _("Reason")])
        return report, writer

    def _fail(self, error):
        """Record that the file could not be read at all, and say why."""
        reason = (
            error.render(self.env.lang or "en_US")
            if isinstance(error, RowError)
            else str(error)
        )
        self._refuse(_("The file could not be read: %(error)s", error=reason), error)

    def _refuse(self, message, error=None):
        """Refuse the file before anything of it is written: the import
        failed with ``message`` (UserError), no batch left."""
        self.batch_ids.unlink()
        self.write({"state": "failed", "failure": message})
        raise UserError(message) from error

    def _read_done(self, vals, report, attach):
        """Write what reading the file counted (``vals``) and, when
        ``attach``, the report of the refused rows (then closed)."""
        if attach:
            report.seek(0)
            vals["error_report"] = base64.b64encode(report.read().encode("utf-8"))
            vals["error_report_name"] = f"errors-{self.name}.csv"
        report.close()
        self.write(vals)

    @api.private
    def _delay_finish(self):
        """The job that ends the import once its batches are written."""
        self._finish_delayable().delay()

    def _finish_delayable(self):
        """The import's end job, to be queued (see ``_delay_finish``)."""
        self.ensure_one()
        return self.delayable(
            priority=FINISH_PRIORITY,
            description=self.env._("Padrón %(file)s: end", file=self.name),
            identity_key=f"confirma-padron-{self.id}-end",
        )._finish_job()

    def _finish_job(self):
        """Job: once every batch is written, add up their counts, deregister
        the residents a full snapshot did not name (unless they are too many:
        then the import fails with the reason, nobody deregistered), add the
        batches' refused records to the report, and say it in the chatter.
        While batches are left (one failed, or still queued) it waits."""
        self.ensure_one()
        if self.state != "running":
            return False
        Batch = self.env["confirma.padron.import.batch"]
        pending = Batch.search_count(
            [("import_id", "=", self.id), ("state", "=", "pending")]
        )
        if pending:
            raise RetryableJobError(
                f"{pending} batch(es) of the import still to write",
                seconds=FINISH_WAIT_SECONDS,
                ignore_retry=True,
            )
        mine = [("import_id", "=", self.id)]
        names = (
            "created",
            "updated",
            "unchanged",
            "deregistered",
            "errors",
            *self._finish_sums(),
        )
        totals = Batch._read_group(mine, [], [f"{name}:sum" for name in names])[0]
        vals = {name: total or 0 for name, total in zip(names, totals, strict=True)}
        vals["errors"] += self.errors
        # rows found unchanged while reading reached no batch
        vals["unchanged"] += self.unchanged
        refused = [
            row
            for batch in Batch.search_read([*mine, ("report", "!=", False)], ["report"])
            for row in json.loads(batch["report"])
        ]
        if refused:
            vals.update(self._merged_report(refused))
        failure = None
        if self.full_snapshot:
            writer = ResidentWriter(self, self.reference_date)
            failure = writer.deregister_missing()
            writer.forget_seen()
            vals["deregistered"] = writer.deregistered
        now = fields.Datetime.now()
        vals.update(
            state="failed" if failure else "done",
            failure=failure or False,
            date_done=now,
            duration=round((now - self.date_start).total_seconds(), 2),
        )
        self.write(vals)
        self.message_post(body=failure or self._done_message())
        return vals

    def _finish_sums(self):
        """More counts of the finished import, the sum of its batches' (see
        the INE H import)."""
        return ()

    def _done_message(self):
        return _("Padrón imported: %(summary)s", summary=self.summary_line())

    def _merged_report(self, refused):
        """The error report with the records ``refused`` while writing
        ([line, key, reason], in line order with those refused when read)."""
        rows = []
        if self.error_report:
            text = base64.b64decode(self.error_report).decode("utf-8")
            rows = list(csv.reader(io.StringIO(text)))[1:]
        rows = sorted(
            [*rows, *refused],
            key=lambda row: int(row[0]) if str(row[0]).isdigit() else 0,
        )
        report, writer = self._error_report()
        for row in rows:
            writer.writerow(row)
        report.seek(0)
        content = report.read().encode("utf-8")
        report.close()
        return {
            "error_report": base64.b64encode(content),
            "error_report_name": f"errors-{self.name}.csv",
        }

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------
    @api.model
    def _snapshot_max_deregister(self):
        """The share (%) of the active residents a full snapshot may
        deregister without being forced (setting; 5 by default)."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(SNAPSHOT_MAX_DEREGISTER_PARAM, SNAPSHOT_MAX_DEREGISTER_DEFAULT)
        )
        try:
            return min(max(float(value), 0.0), 100.0)
        except (TypeError, ValueError):
            return SNAPSHOT_MAX_DEREGISTER_DEFAULT

    def _snapshot_refusal(self, missing, active):
        """Why a full snapshot that would deregister ``missing`` of the
        ``active`` residents, more than the allowed share, is refused (unless
        the import was forced); None when it is not."""
        self.ensure_one()
        limit = self._snapshot_max_deregister()
        if self.snapshot_forced or not missing or missing * 100.0 <= limit * active:
            return None
        message = self.env._(
            "This full snapshot would deregister %(missing)s of the %(active)s "
            "active residents (%(share)s), more than the %(limit)s allowed: is the "
            "file complete? Nobody was deregistered. If the departures are real, "
            "import the file again with the option to force the "
            "deregistrations (--force on the command line).",
            missing=missing,
            active=active,
            share=f"{missing * 100.0 / active:.1f} %" if active else "100 %",
            limit=f"{limit:g} %",
        )
        return message

    @api.model
    def _new_import(
        self,
        filename,
        full_snapshot=False,
        mapping=None,
        file_format=None,
        force=False,
    ):
        vals = {
            "name": filename,
            "full_snapshot": full_snapshot,
            "snapshot_forced": bool(full_snapshot and force),
            "mapping_id": mapping.id if mapping else False,
        }
        if file_format:
            vals["file_format"] = file_format
        return self.create(vals)

    @api.private
    @api.model
    def import_file(
        self,
        path_or_binary,
        filename,
        full_snapshot=False,
        mapping=None,
        file_format=None,
        force=False,
    ):
        """Create an import record and run it (wizard, demo, tests): the
        file is read and checked now, its rows written by jobs.

        ``force``: a full snapshot deregisters the residents missing from it
        even beyond the share allowed in the settings."""
        record = self._new_import(
            filename, full_snapshot, mapping, file_format, force=force
        )
        if isinstance(path_or_binary, str):
            with open(path_or_binary, "rb") as handle:
                return record.run(handle)
        return record.run(path_or_binary)

    @api.model
    def _demo_importer(self):
        """Demo data is written at install, in the town's language: its
        jobs run at once (queue_job__no_delay), there is no runner yet."""
        return self.with_context(
            lang=self.env.company._confirma_lang(), queue_job__no_delay=True
        )

    @api.model
    def _load_demo_population(self, residents=2000, seed=1):
        """Demo data: a synthetic town imported through the real importer."""
        from ..synthetic.population import write_csv  # noqa: PLC0415

        reference = datetime.date(2026, 1, 1)
        importer = self._demo_importer()
        with tempfile.NamedTemporaryFile(suffix=".csv") as handle:
            write_csv(handle.name, residents, seed=seed, reference_date=reference)
            return importer.import_file(handle.name, "padron-demo.csv")

    @api.model
    def _load_demo_variations(self, month, residents=2000, seed=1):
        """Demo data: a month of changes to the synthetic town, as the INE
        variation file its padrón software would send, applied."""
        from ..synthetic.ine_h import file_name, write_variations  # noqa: PLC0415

        reference = datetime.date(2026, 1, 1)
        # in the town's language, with the event kinds' names translated
        # (Odoo loads a module's translations after its demo data): the
        # residents' chatters tell their padrón changes in it
        self.env["ir.module.module"].search(
            [("name", "=", "confirma_citizen")]
        )._update_translations()
        importer = self._demo_importer()
        with tempfile.NamedTemporaryFile(suffix=".txt") as handle:
            write_variations(handle.name, residents, month, seed, None, reference)
            return importer.import_file(
                handle.name, file_name(month), file_format="ine_h"
            )

    def action_download_errors(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/error_report/"
            f"{self.error_report_name}?download=true",
            "target": "self",
        }
