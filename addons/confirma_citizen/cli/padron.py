# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""``odoo-bin confirma-padron``: generate a synthetic padrón, import a file."""

import base64
import datetime
import os
import re
import time

from odoo.cli import Command

from .common import CommandError, ConfirmaCommand


def _date(text, option):
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"{option} takes a date as YYYY-MM-DD, not {text!r}."
        ) from None


class ConfirmaPadron(ConfirmaCommand, Command):
    """Generate a synthetic padrón, or import a padrón file (CSV/XLSX, INE H)"""

    name = "confirma-padron"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        q = sub.add_parser("generate", help="write a synthetic padrón (deterministic)")
        q.add_argument("--residents", type=int, required=True)
        q.add_argument("--seed", type=int, default=1)
        q.add_argument("--out", required=True, help="CSV file to write")
        q.add_argument("--reference-date", help="YYYY-MM-DD the ages refer to")
        q = sub.add_parser(
            "generate-variations",
            help="write a month of padrón changes of the synthetic town as an INE "
            "variation file (fichero H)",
        )
        q.add_argument("--month", required=True, help="YYYY-MM")
        q.add_argument("--out", required=True, help="file to write (fixed width)")
        q.add_argument(
            "--residents",
            type=int,
            default=2000,
            help="size of the synthetic town the changes apply to (as generated "
            "with the same --seed)",
        )
        q.add_argument("--seed", type=int, default=1)
        q.add_argument("--reference-date", help="YYYY-MM-DD of the synthetic town")
        q.add_argument(
            "--count", type=int, help="exactly this many records (same mix of changes)"
        )
        q = sub.add_parser("import", help="import a padrón file (CSV/XLSX or INE H)")
        q.add_argument("file")
        self.add_database_arguments(q)
        q.add_argument(
            "--format",
            choices=("csv", "ine-h"),
            default="csv",
            help="csv: CSV/XLSX in the import layout; ine-h: INE variation file "
            "(fichero H), applied in date order as padrón events",
        )
        q.add_argument(
            "--full-snapshot",
            action="store_true",
            help="the file is the whole register: deregister residents missing "
            "from it",
        )
        q.add_argument(
            "--force",
            action="store_true",
            help="with --full-snapshot: deregister the residents missing from the "
            "file even when they are more than the share allowed in the settings "
            "(5%% by default; a truncated file is refused without it)",
        )
        q.add_argument("--mapping", help="name of a saved column mapping")
        q.add_argument("--company", type=int, help="company (municipality) id")
        q.add_argument("--errors", help="where to write refused rows (CSV)")
        q.add_argument(
            "--wait",
            action="store_true",
            help="follow the jobs writing the rows until the import ends (a "
            "progress bar on a terminal), then print its summary; without it "
            "the command ends once the file is read and checked",
        )

    def execute(self, options):
        getattr(self, "_" + options.action.replace("-", "_"))(options)

    # -- generate ----------------------------------------------------------------
    def _generate(self, options):
        from ..synthetic import population  # noqa: PLC0415

        reference = _date(options.reference_date, "--reference-date")
        started = time.perf_counter()
        count = population.write_csv(
            options.out, options.residents, options.seed, reference
        )
        self.out(
            f"confirma: wrote {count} residents to {options.out} "
            f"(seed {options.seed}, {time.perf_counter() - started:.1f}s)"
        )

    def _generate_variations(self, options):
        from ..synthetic import ine_h  # noqa: PLC0415

        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", options.month):
            raise CommandError(f"--month must be YYYY-MM, not '{options.month}'.")
        reference = _date(options.reference_date, "--reference-date")
        started = time.perf_counter()
        count = ine_h.write_variations(
            options.out,
            options.residents,
            options.month,
            options.seed,
            options.count,
            reference,
        )
        self.out(
            f"confirma: wrote {count} padrón changes of {options.month} to "
            f"{options.out} (town of {options.residents}, seed {options.seed}, "
            f"{time.perf_counter() - started:.1f}s)"
        )

    # -- import ------------------------------------------------------------------
    def _import(self, options):
        from odoo.exceptions import UserError  # noqa: PLC0415

        if not os.path.isfile(options.file):
            raise CommandError(f"No file at {options.file}.")
        ine_h = options.format == "ine-h"
        if ine_h and (options.full_snapshot or options.mapping):
            raise CommandError(
                "--full-snapshot and --mapping are for CSV files: an INE "
                "variation file is applied in date order."
            )
        if options.force and not options.full_snapshot:
            raise CommandError(
                "--force only applies to --full-snapshot: it lets a full snapshot "
                "deregister more residents than the share allowed in the settings."
            )
        with self.database_env(options) as env:
            cr = env.cr
            if options.company:
                env = env(
                    context=dict(env.context, allowed_company_ids=[options.company])
                )
            mapping = env["confirma.padron.mapping"]
            if options.mapping:
                mapping = mapping.search([("name", "=", options.mapping)], limit=1)
                if not mapping:
                    raise CommandError(f"No column mapping named '{options.mapping}'.")
            record = env["confirma.padron.import"]._new_import(
                os.path.basename(options.file),
                options.full_snapshot,
                mapping,
                "ine_h" if ine_h else "csv",
                force=options.force,
            )
            try:
                with open(options.file, "rb") as handle:
                    record.run(handle)
            except UserError as error:
                self.commit(cr)  # keep the record of the failed import
                raise CommandError(str(error)) from None
            self.commit(cr)  # the jobs are handed out
            self.out(
                f"confirma: {record.rows} row(s) read, {record.batch_count} "
                f"batch(es) handed to the job runner (import {record.id})",
                err=True,
            )
            if not options.wait:
                self.out(
                    f"import={record.id} state={record.state} "
                    f"batches={record.batch_count} errors={record.errors}"
                )
                return
            self.follow(env, lambda: self._status(record), "writing")
            if record.state == "failed":
                self._write_report(options, record)
                raise CommandError(record.failure)
            self._write_report(options, record)
            self.out(record.summary_line())

    @staticmethod
    def _status(record):
        done = record.batch_done_count
        total = record.batch_count
        return done, total, record.job_failed_count, record.state != "running"

    def _write_report(self, options, record):
        if not record.error_report:
            return
        report = options.errors or f"{options.file}.errors.csv"
        with open(report, "wb") as handle:
            handle.write(base64.b64decode(record.error_report))
        refused = record.errors + record.ine_rejected
        self.out(f"confirma: {refused} row(s) refused: see {report}", err=True)
