"""``./confirma procedure``: evaluate a procedure's rule, open its cases.

Runs inside the project's environment, where Odoo can be imported.
"""

import time

from .errors import SetupError
from .padron import database_env


def _procedure(env, code, company):
    domain = [("code", "=", code)]
    if company:
        domain.append(("company_id", "=", company))
    procedure = env["confirma.procedure"].search(domain)
    if not procedure:
        raise SetupError(f"No procedure with code '{code}'.")
    if len(procedure) > 1:
        raise SetupError(
            f"Several municipalities have a procedure '{code}': add --company ID."
        )
    return procedure


def run(conf, args):
    import datetime  # noqa: PLC0415

    from odoo.exceptions import UserError  # noqa: PLC0415

    reference = (
        datetime.date.fromisoformat(args.date) if getattr(args, "date", None) else None
    )
    with database_env(conf, args.db, "confirma.procedure", "confirma_tramites") as env:
        cr = env.cr
        procedure = _procedure(env, args.code, args.company)
        try:
            if args.procedure_command == "evaluate":
                count, seconds = procedure.evaluate(reference)
                print(f"count={count} time={seconds:.3f}s", flush=True)
                return
            started = time.perf_counter()
            created, skipped = procedure.sweep(
                reference=reference,
                # short transactions: a sweep of a large town is resumable
                on_batch=lambda _created: cr.commit(),
            )
            cr.commit()
        except UserError as error:
            raise SetupError(str(error)) from None
        elapsed = time.perf_counter() - started
        print(f"created={created} skipped={skipped} time={elapsed:.1f}s", flush=True)
