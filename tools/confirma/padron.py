"""``./confirma padron``: generate a synthetic padrón, import a padrón file.

Runs inside the project's environment, where Odoo can be imported.
"""

import base64
import contextlib
import importlib.util
import os
import sys
import time
import types

from . import environment as envmod


def pure_module(addon, name):
    """Import a pure helper module of an addon without loading Odoo's registry."""
    package = f"_confirma_pure_{addon}"
    if package not in sys.modules:
        module = types.ModuleType(package)
        module.__path__ = [str(envmod.ADDONS_DIR / addon)]
        sys.modules[package] = module
    return importlib.import_module(f"{package}.{name}")


def generate(args):
    import datetime  # noqa: PLC0415

    synthetic = pure_module("confirma_citizen", "synthetic")
    reference = (
        datetime.date.fromisoformat(args.reference_date)
        if args.reference_date
        else None
    )
    started = time.perf_counter()
    count = synthetic.write_csv(args.out, args.residents, args.seed, reference)
    print(
        f"confirma: wrote {count} residents to {args.out} "
        f"(seed {args.seed}, {time.perf_counter() - started:.1f}s)"
    )


def generate_variations(args):
    import datetime  # noqa: PLC0415
    import re  # noqa: PLC0415

    from .errors import SetupError  # noqa: PLC0415

    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", args.month):
        raise SetupError(f"--month must be YYYY-MM, not '{args.month}'.")
    generator = pure_module("confirma_citizen", "synthetic_ine_h")
    reference = (
        datetime.date.fromisoformat(args.reference_date)
        if args.reference_date
        else None
    )
    started = time.perf_counter()
    count = generator.write_variations(
        args.out, args.residents, args.month, args.seed, args.count, reference
    )
    print(
        f"confirma: wrote {count} padrón changes of {args.month} to {args.out} "
        f"(town of {args.residents}, seed {args.seed}, "
        f"{time.perf_counter() - started:.1f}s)"
    )


def odoo_env(conf, db):
    """An Odoo registry and a superuser environment factory for ``db``."""
    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", str(conf), "-d", db, "--log-level=warn"])
    return Registry(db)


@contextlib.contextmanager
def database_env(conf, db, model=None, addon=None):
    """A superuser environment on ``db``, which must exist (and have
    ``addon`` installed, checked by its ``model``); the caller commits."""
    import odoo  # noqa: PLC0415

    from . import postgres  # noqa: PLC0415
    from .errors import SetupError  # noqa: PLC0415

    if not postgres.database_exists(db):
        raise SetupError(
            f"Database {db} does not exist: create it with "
            f"'./confirma db init --db {db}'."
        )
    registry = odoo_env(conf, db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if model and model not in env:
            raise SetupError(f"{addon} is not installed in {db}.")
        yield env


# Below this size, starting worker processes costs more than it saves.
PARALLEL_MIN_BYTES = 2_000_000


def _jobs(args):
    if args.jobs:
        return max(1, args.jobs)
    if os.path.getsize(args.file) < PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def import_file(conf, args):
    import odoo  # noqa: PLC0415
    from odoo.exceptions import UserError  # noqa: PLC0415

    from .errors import SetupError  # noqa: PLC0415

    if not os.path.isfile(args.file):
        raise SetupError(f"No file at {args.file}.")
    with database_env(conf, args.db) as env:
        cr = env.cr
        if args.company:
            env = env(context=dict(env.context, allowed_company_ids=[args.company]))
        mapping = env["confirma.padron.mapping"]
        if args.mapping:
            mapping = mapping.search([("name", "=", args.mapping)], limit=1)
            if not mapping:
                raise SetupError(f"No column mapping named '{args.mapping}'.")
        ine_h = args.format == "ine-h"
        if ine_h and (args.full_snapshot or args.mapping or args.jobs):
            raise SetupError(
                "--full-snapshot, --mapping and --jobs are for CSV files: an INE "
                "variation file is applied in date order by one process."
            )
        force = getattr(args, "force", False)
        if force and not args.full_snapshot:
            raise SetupError(
                "--force only applies to --full-snapshot: it lets a full snapshot "
                "deregister more residents than the share allowed in the settings."
            )
        record = env["confirma.padron.import"]._new_import(
            os.path.basename(args.file),
            args.full_snapshot,
            mapping,
            "ine_h" if ine_h else "csv",
            force=force,
        )
        cr.commit()  # the worker processes read it
        jobs = 1 if ine_h else _jobs(args)
        sink = None
        if jobs > 1:
            from .padron_workers import WorkerSink  # noqa: PLC0415

            today = odoo.fields.Date.context_today(record)
            sink = WorkerSink(conf, args.db, record, today, jobs)
        try:
            with open(args.file, "rb") as handle:
                # a script may commit: short transactions keep a large import
                # fast (vacuum keeps up) and resumable (it is idempotent)
                record.run(handle, on_batch=cr.commit, sink=sink)
        except UserError as error:
            cr.commit()  # keep the record of the failed import
            raise SetupError(str(error)) from None
        except RuntimeError as error:
            cr.rollback()
            raise SetupError(
                f"The import stopped: {error}\nWhat was written is kept; import "
                "the same file again to finish (it is idempotent)."
            ) from None
        if record.error_report:
            report = args.errors or f"{args.file}.errors.csv"
            with open(report, "wb") as handle:
                handle.write(base64.b64decode(record.error_report))
            refused = record.errors + record.ine_rejected
            print(
                f"confirma: {refused} row(s) refused: see {report}",
                file=sys.stderr,
            )
        print(record.summary_line(), flush=True)
