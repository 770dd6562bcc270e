# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""``odoo-bin confirma-procedure``: evaluate a procedure's rule, open its cases."""

import datetime
import time

from odoo.cli import Command

from odoo.addons.confirma_citizen.cli.common import CommandError, ConfirmaCommand


class ConfirmaProcedure(ConfirmaCommand, Command):
    """Evaluate a procedure's rule, or open its missing cases (sweep)"""

    name = "confirma-procedure"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for name, text in (
            ("evaluate", "count the residents who qualify, and the time it took"),
            ("sweep", "open the missing cases; prints created and skipped"),
        ):
            q = sub.add_parser(name, help=text)
            q.add_argument("code", help="the procedure's code, e.g. SENIOR")
            self.add_database_arguments(q)
            q.add_argument("--company", type=int, help="company (municipality) id")
            q.add_argument("--date", help="evaluate on this day (YYYY-MM-DD)")
            if name == "sweep":
                q.add_argument(
                    "--wait",
                    action="store_true",
                    help="follow the sweep's jobs until every case is open",
                )

    def execute(self, options):
        from odoo.exceptions import UserError  # noqa: PLC0415

        try:
            reference = (
                datetime.date.fromisoformat(options.date) if options.date else None
            )
        except ValueError:
            raise CommandError(
                f"--date takes a date as YYYY-MM-DD, not {options.date!r}."
            ) from None
        with self.database_env(
            options, "confirma.procedure", "confirma_tramites"
        ) as env:
            cr = env.cr
            procedure = self._procedure(env, options.code, options.company)
            try:
                if options.action == "evaluate":
                    count, seconds = procedure.evaluate(reference)
                    self.out(f"count={count} time={seconds:.3f}s")
                    return
                started = time.perf_counter()
                found, keys = procedure._delay_sweep(reference=reference)
                self.commit(cr)  # the jobs are handed out
            except UserError as error:
                raise CommandError(str(error)) from None
            if not options.wait:
                self.out(f"found={found} jobs={len(keys)}", flush=True)
                return
            Job = env["queue.job"]
            self.follow(env, lambda: self._status(Job, keys), "sweeping")
            created = Job.search(
                [("identity_key", "in", keys), ("state", "=", "done")]
            ).mapped("result")
            elapsed = time.perf_counter() - started
            self.out(
                f"found={found} created={sum(int(r or 0) for r in created)} "
                f"time={elapsed:.1f}s",
                flush=True,
            )

    @staticmethod
    def _status(Job, keys):
        states = Job.search([("identity_key", "in", keys)]).mapped("state")
        done, failed = states.count("done"), states.count("failed")
        return done, len(keys), failed, done == len(keys)

    @staticmethod
    def _procedure(env, code, company):
        domain = [("code", "=", code)]
        if company:
            domain.append(("company_id", "=", company))
        procedure = env["confirma.procedure"].search(domain)
        if not procedure:
            raise CommandError(f"No procedure with code '{code}'.")
        if len(procedure) > 1:
            raise CommandError(
                f"Several municipalities have a procedure '{code}': add --company ID."
            )
        return procedure
