# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the suite's Odoo CLI commands share: options, a database, errors.

Each addon ships its commands in its ``cli/`` folder; Odoo 18 finds them
when the addons path comes first::

    odoo-bin --addons-path=ADDONS confirma-padron import FILE -c odoo.conf --db DB

A command is ``class X(ConfirmaCommand, Command)`` with ``name``, an
``add_arguments(parser)`` and an ``execute(options)``; it raises
``CommandError`` for anything the user can fix, printed without a traceback.
"""

import argparse
import contextlib
import sys
import time

import odoo
from odoo.tools import config


class CommandError(Exception):
    """A message for the user (exit code 1, or ``code``)."""

    def __init__(self, message, code=1):
        super().__init__(message)
        self.code = code


class ConfirmaCommand:
    """Mixin of the suite's commands (not an Odoo ``Command`` itself, so it
    is not listed by ``odoo-bin help``)."""

    name = None
    needs_database = True

    def add_arguments(self, parser):
        raise NotImplementedError

    def execute(self, options):
        raise NotImplementedError

    def parser(self):
        parser = argparse.ArgumentParser(
            prog=f"odoo-bin {self.name}",
            description=(self.__doc__ or "").strip().splitlines()[0],
        )
        self.add_arguments(parser)
        return parser

    @staticmethod
    def add_database_arguments(parser):
        parser.add_argument("-c", "--config", help="the Odoo configuration file")
        parser.add_argument(
            "-d", "--db", help="the database (default: db_name of the configuration)"
        )

    def run(self, cmdargs):
        parser = self.parser()
        # other options are Odoo's own (--db_host..., as the official Docker
        # image's entry point adds them): for its configuration parser
        options, odoo_args = parser.parse_known_args(cmdargs)
        if odoo_args and not odoo_args[0].startswith("-"):
            parser.error(f"unrecognized arguments: {' '.join(odoo_args)}")
        options.odoo_args = odoo_args
        try:
            self.execute(options)
        except CommandError as error:
            self.out(f"{self.name}: {error}", err=True)
            sys.exit(error.code)
        except KeyboardInterrupt:
            sys.exit(130)

    # -- output and transactions ------------------------------------------------
    @staticmethod
    def out(text, err=False):
        """A line of the command's output (standard output, or error)."""
        stream = sys.stderr if err else sys.stdout
        stream.write(f"{text}\n")
        stream.flush()

    @staticmethod
    def commit(cr):
        """Commit now. A command owns its transactions: a large import, sweep
        or campaign is written as short transactions (after each batch), so
        that it is resumable and vacuum keeps up; each step is idempotent."""
        cr.commit()  # pylint: disable=invalid-commit

    def follow(self, env, status, what, every=0.5, stall=60):
        """Follow jobs until the work they do is finished (``--wait``).

        ``status()`` reads, afresh each time, ``(done, total, failed,
        finished)``: units done of ``total``, failed jobs, and whether the
        work ended. A progress bar is drawn on a terminal. When only failed
        jobs are left the command stops with what to do; when nothing moves
        for ``stall`` seconds it says once that a job runner must be
        running."""
        started = last_move = time.monotonic()
        last, warned = None, False
        tty = sys.stderr.isatty()
        while True:
            env.cr.rollback()  # a new snapshot: what the jobs committed
            env.invalidate_all()
            done, total, failed, finished = status()
            if tty:
                self._bar(what, done, total, failed, time.monotonic() - started)
            if finished:
                if tty:
                    sys.stderr.write("\n")
                return
            if failed and done + failed >= total:
                raise CommandError(
                    f"{failed} job(s) failed and nothing else is left to run: "
                    "retry them once the cause is fixed (Retry on the form, or "
                    "Queue > Jobs), then follow again."
                )
            if (done, failed) != last:
                last, last_move = (done, failed), time.monotonic()
            elif not warned and time.monotonic() - last_move > stall:
                warned = True
                self.out(
                    f"confirma: nothing moved for {stall} s: the jobs run on an "
                    "Odoo server with its job runner (./confirma serve, or "
                    "make run) on this database; it will go on once one runs.",
                    err=True,
                )
            time.sleep(every)

    @staticmethod
    def _bar(what, done, total, failed, elapsed, width=30):
        share = done / total if total else 0.0
        filled = int(width * share)
        line = (
            f"\r{what} [{'#' * filled}{'.' * (width - filled)}] "
            f"{done}/{total} {share:6.1%} {elapsed:6.0f} s"
        )
        if failed:
            line += f"  {failed} failed"
        sys.stderr.write(line)
        sys.stderr.flush()

    # -- configuration and database ---------------------------------------------
    @staticmethod
    def load_config(options):
        """Parse the Odoo configuration once (commands run in their own
        process; inside a running Odoo the configuration is already there)."""
        from odoo.modules.registry import Registry  # noqa: PLC0415

        conf = getattr(options, "config", None)
        odoo_args = getattr(options, "odoo_args", [])
        if Registry.registries and not conf:
            return  # inside a running Odoo
        if conf and config.rcfile == conf and not odoo_args:
            return
        args = ["--log-level=warn", *odoo_args]
        if conf:
            args = ["-c", conf, *args]
        config.parse_config(args)
        odoo.modules.module.initialize_sys_path()

    @contextlib.contextmanager
    def database_env(self, options, model=None, addon=None):
        """A superuser environment on the database, which must exist (and
        have ``addon`` installed, checked by its ``model``); the caller
        commits."""
        from odoo.modules.registry import Registry  # noqa: PLC0415
        from odoo.service import db as db_service  # noqa: PLC0415

        self.load_config(options)
        name = options.db or config["db_name"]
        if not name or "," in name:
            raise CommandError("Give the database with --db.")
        if not db_service.exp_db_exist(name):
            raise CommandError(f"Database {name} does not exist.")
        registry = Registry(name)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            if model and model not in env:
                raise CommandError(f"{addon} is not installed in {name}.")
            yield env

    @staticmethod
    def odoo_launcher():
        """How this process was started (``odoo-bin`` or ``python -m odoo``),
        to start helper processes the same way."""
        import os  # noqa: PLC0415

        if sys.argv and os.path.isfile(sys.argv[0]):
            return [sys.executable, sys.argv[0]]
        return [sys.executable, "-m", "odoo"]
