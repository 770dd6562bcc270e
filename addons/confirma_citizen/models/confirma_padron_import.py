# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import csv
import datetime
import logging
import tempfile
import time

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, email_normalize
from odoo.tools.translate import LazyTranslate

from .. import csv_safe, ine_codes, padron_layout
from ..padron_layout import RowError

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

BATCH_SIZE = 1000
#: Share (%) of the active residents a full snapshot may deregister unless
#: forced; the setting ``confirma_citizen.snapshot_max_deregister``.
SNAPSHOT_MAX_DEREGISTER_PARAM = "confirma_citizen.snapshot_max_deregister"
SNAPSHOT_MAX_DEREGISTER_DEFAULT = 5.0
# Stored computed fields of res.partner whose value for a new resident (no
# parent company, no user, no picture) is known before it is created.
KNOWN_AT_CREATION = (
    "user_id",
    "partner_share",
    "commercial_company_name",
    "company_registry",
    "complete_name",
    "email_normalized",
    "image_1024",
    "image_512",
    "image_256",
    "image_128",
)


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
        state = _ImportState(self, today)
        report, writer = self._error_report()
        try:
            rows = padron_layout.read_rows(
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
                    values = padron_layout.parse_row(raw, today=today)
                    key = padron_layout.row_key(values)
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
        from ..synthetic import write_csv  # noqa: PLC0415

        reference = datetime.date(2026, 1, 1)
        with tempfile.NamedTemporaryFile(suffix=".csv") as handle:
            write_csv(handle.name, residents, seed=seed, reference_date=reference)
            return self.import_file(handle.name, "padron-demo.csv")

    @api.model
    def _load_demo_variations(self, month, residents=2000, seed=1):
        """Demo data: a month of changes to the synthetic town, as the INE
        variation file its padrón software would send, applied."""
        from ..synthetic_ine_h import file_name, write_variations  # noqa: PLC0415

        reference = datetime.date(2026, 1, 1)
        with tempfile.NamedTemporaryFile(suffix=".txt") as handle:
            write_variations(handle.name, residents, month, seed, None, reference)
            return self.import_file(handle.name, file_name(month), file_format="ine_h")

    def _worker_state(self, today):
        """The state a worker process writes batches with (command line)."""
        self.ensure_one()
        return _ImportState(self, today, worker=True)

    def action_download_errors(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/error_report/"
            f"{self.error_report_name}?download=true",
            "target": "self",
        }


class _ImportState:
    """The running state of one import: lookups, counters, seen residents."""

    def __init__(self, record, today, worker=False):
        self.record = record
        self.env = record.env
        self.company = record.company_id
        self.today = today
        self.rows = self.created = self.updated = self.unchanged = 0
        self.deregistered = self.errors = 0
        self.keys = {}
        self.protected = []
        self.partners = self.env["res.partner"].with_context(
            # the batch was matched on document numbers already
            confirma_documents_checked=True,
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
            active_test=False,
        )
        # Values Odoo would otherwise work out one new partner at a time:
        # defaults (asked once per import, not per row) and the stored
        # computed fields whose value is known for a resident without
        # parent, user or picture. Given at creation, they are written by
        # the INSERT itself instead of being computed and updated after.
        self.create_defaults = self.partners.default_get(
            [name for name, field in self.partners._fields.items() if field.default]
        )
        self.create_defaults.update(
            (name, False) for name in KNOWN_AT_CREATION if not name.startswith("image")
        )
        self.create_defaults["partner_share"] = True
        self.countries = {
            code: country_id
            for country_id, code in self.env["res.country"]
            .search([])
            .mapped(lambda c: (c.id, c.code))
        }
        self.spain = self.countries.get("ES")
        self.seen_table = None
        # a worker process hands the residents it saw back to the main one
        self.seen_ids = [] if worker and record.full_snapshot else None
        if record.full_snapshot and not worker:
            self.seen_table = f"confirma_padron_seen_{record.id}"
            self.env.cr.execute(
                SQL(
                    "CREATE TEMPORARY TABLE %s (partner_id integer PRIMARY KEY)",
                    SQL.identifier(self.seen_table),
                )
            )

    def counts(self):
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deregistered": self.deregistered,
            "errors": self.errors,
        }

    def absorb(self, result):
        """Add what worker processes wrote (see ``run``'s ``sink``)."""
        for key in ("created", "updated", "unchanged"):
            setattr(self, key, getattr(self, key) + result[key])
        self._mark_seen(result["seen"])

    def _mark_seen(self, ids):
        """Remember residents found in a full snapshot: in the temporary
        table here, in a list in a worker process (handed to the main one)."""
        if not ids:
            return
        if self.seen_table:
            self.env.cr.execute(
                SQL(
                    "INSERT INTO %s SELECT unnest(%s::int[]) ON CONFLICT DO NOTHING",
                    SQL.identifier(self.seen_table),
                    ids,
                )
            )
        elif self.seen_ids is not None:
            self.seen_ids.extend(ids)

    def error(self, writer, line, raw, error):
        self.errors += 1
        key = raw.get("document_number") or raw.get("nia") or ""
        writer.writerow([line, key, error.render(self.env.lang or "en_US")])
        if key:
            self.protected.append(key.strip().upper())

    def drop(self):
        if self.seen_table:
            self.env.cr.execute(
                SQL("DROP TABLE IF EXISTS %s", SQL.identifier(self.seen_table))
            )
            self.seen_table = None

    # -- one batch --------------------------------------------------------------
    def apply_retrying(self, batch):
        """``apply`` for worker processes: if another worker created one of
        these residents meanwhile (same NIA under another document), the
        database refuses the batch; it is applied again, and then matches."""
        counts = (self.created, self.updated, self.unchanged)
        seen = len(self.seen_ids) if self.seen_ids is not None else 0
        try:
            with self.env.cr.savepoint():
                self.apply(batch)
        except psycopg2.errors.UniqueViolation:
            self.env.invalidate_all()
            self.created, self.updated, self.unchanged = counts
            if self.seen_ids is not None:
                del self.seen_ids[seen:]
            self.apply(batch)

    def result(self):
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "seen": self.seen_ids or [],
        }

    def apply(self, batch):
        env = self.env
        docs = [v["document_number"] for _line, v in batch if v["document_number"]]
        nias = [v["nia"] for _line, v in batch if v["nia"]]
        existing = self.partners.search_read(
            [
                ("company_id", "=", self.company.id),
                "|",
                ("document_number", "in", docs),
                ("nia", "in", nias),
            ],
            ["document_number", "nia", "padron_hash", "padron_state"],
        )
        by_doc = {r["document_number"]: r for r in existing if r["document_number"]}
        by_nia = {r["nia"]: r for r in existing if r["nia"]}
        households = self._households(batch)
        to_create, seen = [], []
        for _line, values in batch:
            current = by_doc.get(values["document_number"]) or by_nia.get(values["nia"])
            digest = padron_layout.row_hash(values)
            if current:
                seen.append(current["id"])
                if (
                    current["padron_hash"] == digest
                    and current["padron_state"] == "active"
                ):
                    self.unchanged += 1
                    continue
                vals = self._vals(values, digest, households, update=True)
                self.partners.browse(current["id"]).write(vals)
                self.updated += 1
            else:
                vals = self._vals(values, digest, households, update=False)
                vals.update(
                    self.create_defaults,
                    complete_name=vals["name"],
                    email_normalized=email_normalize(vals["email"] or "") or False,
                )
                to_create.append(vals)
        if to_create:
            created = self.partners.create(to_create)
            # The INSERT wrote these computed values already (see
            # ``create_defaults``): Odoo would compute and UPDATE them again.
            for name in KNOWN_AT_CREATION:
                env.remove_to_compute(self.partners._fields[name], created)
            seen.extend(created.ids)
            self.created += len(created)
        self._mark_seen(seen)
        env.flush_all()
        env.invalidate_all()

    def _households(self, batch):
        codes = {}
        for _line, values in batch:
            code = values["household_code"]
            if code and code not in codes:
                codes[code] = values
        if not codes:
            return {}
        Household = self.env["confirma.household"].with_context(
            tracking_disable=True, mail_create_nolog=True, active_test=False
        )
        found = {
            h["name"]: h["id"]
            for h in Household.search_read(
                [("company_id", "=", self.company.id), ("name", "in", list(codes))],
                ["name"],
            )
        }
        missing = [code for code in codes if code not in found]
        if missing:
            created = Household.create(
                [
                    {
                        "name": code,
                        "company_id": self.company.id,
                        "street": codes[code]["street"],
                        "district_code": codes[code]["district"],
                        "section_code": codes[code]["section"],
                    }
                    for code in missing
                ]
            )
            found.update(zip(missing, created.ids, strict=True))
        return found

    def _vals(self, values, digest, households, update):
        nationality = values["nationality"]
        vals = {
            "is_resident": True,
            "company_id": self.company.id,
            "type": "contact",
            "is_company": False,
            "document_type": values["document_type"] or False,
            "document_number": values["document_number"] or False,
            "nia": values["nia"] or False,
            "first_name": values["first_name"],
            "surname1": values["surname1"],
            "surname2": values["surname2"] or False,
            "birthdate": values["birthdate"],
            "sex": values["sex"] or False,
            "nationality_id": self.countries.get(nationality, False),
            "padron_registration_date": values["registration_date"],
            "padron_renewal_date": values["renewal_date"] or False,
            "padron_state": "active",
            "padron_deregistration_date": False,
            "padron_deregistration_reason": False,
            "district_code": values["district"] or False,
            "section_code": values["section"] or False,
            "household_id": households.get(values["household_code"], False),
            "household_relation": values["household_relation"] or False,
            "street": values["street"] or False,
            "zip": values["zip"] or False,
            "city": values["city"] or False,
            "country_id": self.spain,
            "email": values["email"] or False,
            "mobile": values["mobile"] or False,
            "phone": values["phone"] or False,
            "preferred_language": values["preferred_language"] or False,
            "preferred_channel": values["preferred_channel"] or False,
            "padron_hash": digest,
        }
        if values["data_opposition"]:
            vals.update(
                data_opposition=True,
                data_opposition_date=values["data_opposition_date"] or self.today,
                data_opposition_source="import",
            )
        elif not update:
            vals["data_opposition"] = False
        if not update:
            vals["padron_encsarp"] = ine_codes.renews_registration(
                nationality, values["document_type"]
            )
        # An opposition recorded elsewhere (counter, confirmation page) is
        # never cleared by a file that does not carry it.
        vals["name"] = " ".join(
            p
            for p in (values["first_name"], values["surname1"], values["surname2"])
            if p
        )
        return vals

    # -- full snapshot ------------------------------------------------------------
    def deregister_missing(self):
        """Deregister active residents absent from the file (set-based)."""
        env = self.env
        if self.protected:
            # Rows refused for a bad value still name a resident: keep them.
            for start in range(0, len(self.protected), BATCH_SIZE):
                chunk = self.protected[start : start + BATCH_SIZE]
                env.cr.execute(
                    SQL(
                        "INSERT INTO %s SELECT id FROM res_partner "
                        "WHERE company_id = %s "
                        "AND (document_number = ANY(%s) OR nia = ANY(%s)) "
                        "ON CONFLICT DO NOTHING",
                        SQL.identifier(self.seen_table),
                        self.company.id,
                        chunk,
                        chunk,
                    )
                )
        env.flush_all()
        env.cr.execute(
            SQL(
                """
                SELECT p.id FROM res_partner p
                 WHERE p.is_resident AND p.company_id = %s
                   AND p.padron_state = 'active'
                   AND NOT EXISTS (SELECT 1 FROM %s s WHERE s.partner_id = p.id)
                """,
                self.company.id,
                SQL.identifier(self.seen_table),
            )
        )
        ids = [row[0] for row in env.cr.fetchall()]
        if ids:
            env.cr.execute(
                SQL(
                    "SELECT count(*) FROM res_partner WHERE is_resident "
                    "AND company_id = %s AND padron_state = 'active'",
                    self.company.id,
                )
            )
            self.record._check_snapshot_share(
                len(ids), env.cr.fetchone()[0], self.counts()
            )
        for start in range(0, len(ids), BATCH_SIZE):
            residents = self.partners.browse(ids[start : start + BATCH_SIZE])
            residents.action_deregister("snapshot", self.today)
            env.flush_all()
            env.invalidate_all()
        self.deregistered = len(ids)
