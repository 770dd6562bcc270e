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

#: Below this size, starting worker processes costs more than it saves.
PARALLEL_MIN_BYTES = 2_000_000


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
            "--jobs",
            type=int,
            help="worker processes writing the rows (default: one per core for "
            "files over 2 MB, else 1)",
        )
        # a worker process of a parallel import (started by ``import``)
        q = sub.add_parser("write-batches")  # no help: not listed
        self.add_database_arguments(q)
        q.add_argument("--import-id", type=int, required=True)
        q.add_argument("--today", required=True)

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
        from odoo import fields  # noqa: PLC0415
        from odoo.exceptions import UserError  # noqa: PLC0415

        if not os.path.isfile(options.file):
            raise CommandError(f"No file at {options.file}.")
        ine_h = options.format == "ine-h"
        if ine_h and (options.full_snapshot or options.mapping or options.jobs):
            raise CommandError(
                "--full-snapshot, --mapping and --jobs are for CSV files: an INE "
                "variation file is applied in date order by one process."
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
            self.commit(cr)  # the worker processes read it
            jobs = 1 if ine_h else self._jobs(options)
            sink = None
            if jobs > 1:
                from .padron_workers import WorkerSink  # noqa: PLC0415

                today = fields.Date.context_today(record)
                sink = WorkerSink(self._worker_command(options, record, today), jobs)
            try:
                with open(options.file, "rb") as handle:
                    # short transactions keep a large import fast (vacuum
                    # keeps up) and resumable (it is idempotent)
                    record.run(handle, on_batch=cr.commit, sink=sink)
            except UserError as error:
                self.commit(cr)  # keep the record of the failed import
                raise CommandError(str(error)) from None
            except RuntimeError as error:
                cr.rollback()
                raise CommandError(
                    f"The import stopped: {error}\nWhat was written is kept; import "
                    "the same file again to finish (it is idempotent)."
                ) from None
            self.commit(cr)
            if record.error_report:
                report = options.errors or f"{options.file}.errors.csv"
                with open(report, "wb") as handle:
                    handle.write(base64.b64decode(record.error_report))
                refused = record.errors + record.ine_rejected
                self.out(
                    f"confirma: {refused} row(s) refused: see {report}",
                    err=True,
                )
            self.out(record.summary_line())

    @staticmethod
    def _jobs(options):
        if options.jobs:
            return max(1, options.jobs)
        if os.path.getsize(options.file) < PARALLEL_MIN_BYTES:
            return 1
        return max(1, min(os.cpu_count() or 1, 4))

    def _worker_command(self, options, record, today):
        from odoo.tools import config  # noqa: PLC0415

        command = [
            *self.odoo_launcher(),
            f"--addons-path={config['addons_path']}",
            self.name,
            "write-batches",
            "--db",
            record.env.cr.dbname,
            "--import-id",
            str(record.id),
            "--today",
            today.isoformat(),
        ]
        if options.config:
            command += ["--config", options.config]
        return command

    def _write_batches(self, options):
        from .padron_workers import serve_batches  # noqa: PLC0415

        with self.database_env(options, "confirma.padron.import") as env:
            record = env["confirma.padron.import"].browse(options.import_id).exists()
            if not record:
                raise CommandError(f"No padrón import with id {options.import_id}.")
            serve_batches(record, datetime.date.fromisoformat(options.today))
