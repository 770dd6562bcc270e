# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import csv
import datetime
import logging
import tempfile
import time

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from ..padron import csv_safe, layout
from ..padron.layout import RowError
from ..padron.writer import BATCH_SIZE, ResidentWriter

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

#: Share (%) of the active residents a full snapshot may deregister unless
#: forced; the setting ``confirma_citizen.snapshot_max_deregister``.
SNAPSHOT_MAX_DEREGISTER_PARAM = "confirma_citizen.snapshot_max_deregister"
SNAPSHOT_MAX_DEREGISTER_DEFAULT = 5.0


class ConfirmaPadronImport(models.Model):
    """One import of a padrón file: what it did, and the rows it refused."""

    _name = "confirma.padron.import"
    _description = "Padrón import"
    _inherit = ["mail.thread"]
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
        [("draft", "Draft"), ("done", "Done"), ("failed", "Failed")],
        default="draft",
        readonly=True,
        tracking=True,
    )
    date_start = fields.Datetime(readonly=True)
    duration = fields.Float(string="Duration (s)", readonly=True)
    rows = fields.Integer(readonly=True)
    created = fields.Integer(readonly=True)
    updated = fields.Integer(readonly=True)
    unchanged = fields.Integer(readonly=True)
    deregistered = fields.Integer(readonly=True)
    errors = fields.Integer(readonly=True)
    error_report = fields.Binary(attachment=True, readonly=True)
    error_report_name = fields.Char(readonly=True)
    failure = fields.Text(readonly=True)

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
    # Import
    # ------------------------------------------------------------------
    @api.private
    def run(self, binary, today=None, on_batch=None, sink=None):
        """Import the file object ``binary`` (CSV or XLSX), in batches.

        Good rows go in, bad ones are written to the error report with their
        line number and reason. Memory stays flat: the file is streamed and
        the ORM cache is emptied after each batch. ``on_batch`` is called
        after each batch: the command line commits there, so that a very
        large file is written as a series of short transactions (safe to
        resume: the import is idempotent). The wizard runs in one transaction.

        ``sink`` (command line) takes the checked batches instead of writing
        them here: ``sink.put(batch)`` for each, then ``sink.close()``
        returns the counts and the ids of the residents seen, once every
        batch is written (by worker processes, see ``tools/confirma``).
        """
        self.ensure_one()
        self.env["res.partner"].check_access("create")
        started = time.perf_counter()
        today = today or fields.Date.context_today(self)
        self.write({"date_start": fields.Datetime.now(), "state": "draft"})
        mapping = self.mapping_id
        state = ResidentWriter(self, today)
        report, writer = self._error_report()
        try:
            rows = layout.read_rows(
                binary,
                self.name,
                mapping=mapping._as_dict() if mapping else None,
                delimiter=mapping._delimiter() if mapping else None,
                encoding=mapping.encoding if mapping else "utf-8",
            )
            batch = []
            for line, raw in rows:
                state.rows += 1
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
                batch.append((line, values))
                if len(batch) >= BATCH_SIZE:
                    (sink.put if sink else state.apply)(batch)
                    batch = []
                    if on_batch:
                        on_batch()
            if batch:
                (sink.put if sink else state.apply)(batch)
            if sink:
                state.absorb(sink.close())
            if self.full_snapshot:
                state.deregister_missing()
        except (RowError, UnicodeDecodeError, csv.Error) as error:
            report.close()
            state.drop()
            self._fail(error)
        except UserError:
            report.close()
            state.drop()
            raise
        state.drop()
        self._done(state.counts(), report, started, attach=bool(state.errors))
        self.message_post(
            body=_("Padrón imported: %(summary)s", summary=self.summary_line())
        )
        return self

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
        message = _("The file could not be read: %(error)s", error=reason)
        self.write({"state": "failed", "failure": message})
        raise UserError(message) from error

    def _done(self, vals, report, started, attach):
        """Write the counts ``vals`` and, when ``attach``, the error report
        (then closed) on the finished import."""
        vals.update(state="done", duration=round(time.perf_counter() - started, 2))
        if attach:
            report.seek(0)
            vals["error_report"] = base64.b64encode(report.read().encode("utf-8"))
            vals["error_report_name"] = f"errors-{self.name}.csv"
        report.close()
        self.write(vals)

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

    def _check_snapshot_share(self, missing, active, counts):
        """Refuse a full snapshot that would deregister more than the allowed
        share of the ``active`` residents (``missing`` of them), unless the
        import was forced: the import is marked failed with the reason (and
        ``counts``, what was written before), nobody is deregistered."""
        self.ensure_one()
        limit = self._snapshot_max_deregister()
        if self.snapshot_forced or not missing or missing * 100.0 <= limit * active:
            return
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
        self.write(dict(counts, state="failed", failure=message))
        raise UserError(message)

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
        on_batch=None,
        file_format=None,
        force=False,
    ):
        """Create an import record and run it (wizard, demo, tests).

        ``force``: a full snapshot deregisters the residents missing from it
        even beyond the share allowed in the settings."""
        record = self._new_import(
            filename, full_snapshot, mapping, file_format, force=force
        )
        if isinstance(path_or_binary, str):
            with open(path_or_binary, "rb") as handle:
                return record.run(handle, on_batch=on_batch)
        return record.run(path_or_binary, on_batch=on_batch)

    @api.model
    def _load_demo_population(self, residents=2000, seed=1):
        """Demo data: a synthetic town imported through the real importer."""
        from ..synthetic.population import write_csv  # noqa: PLC0415

        reference = datetime.date(2026, 1, 1)
        importer = self.with_context(lang=self.env.company._confirma_lang())
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
        importer = self.with_context(lang=self.env.company._confirma_lang())
        with tempfile.NamedTemporaryFile(suffix=".txt") as handle:
            write_variations(handle.name, residents, month, seed, None, reference)
            return importer.import_file(
                handle.name, file_name(month), file_format="ine_h"
            )

    def _worker_state(self, today):
        """The state a worker process writes batches with (command line)."""
        self.ensure_one()
        return ResidentWriter(self, today, worker=True)

    def action_download_errors(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/error_report/"
            f"{self.error_report_name}?download=true",
            "target": "self",
        }
