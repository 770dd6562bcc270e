# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""``odoo-bin confirma-procedure export|import``: procedure packages from
the command line (the procedures addon's own actions stay: evaluate,
sweep)."""

from pathlib import Path

from odoo.addons.confirma_citizen.cli.common import CommandError
from odoo.addons.confirma_tramites.cli.procedure import (
    ConfirmaProcedure as ProcedureCommand,
)

from .. import package as packages


class ConfirmaProcedure(ProcedureCommand):
    """Evaluate a procedure's rule, open its cases (sweep), export or import
    it as a package"""

    name = "confirma-procedure"

    def add_arguments(self, parser):
        result = super().add_arguments(parser)
        sub = next(
            action
            for action in parser._actions  # pylint: disable=protected-access
            if action.dest == "action"
        )
        q = sub.add_parser(
            "export", help="write a procedure as a package; prints its path"
        )
        q.add_argument("code", help="the procedure's code, e.g. RENT")
        self.add_database_arguments(q)
        q.add_argument("--company", type=int, help="company (municipality) id")
        q.add_argument("--out", required=True, help="the package file to write")
        q.add_argument(
            "--no-seal",
            action="store_true",
            help="do not seal it, even if the town has a seal",
        )
        q = sub.add_parser(
            "import",
            help="import a package, run its test cases; the last line reads "
            "tests=N passed=N failed=N",
        )
        q.add_argument("file", help="the package file (.json)")
        self.add_database_arguments(q)
        q.add_argument(
            "--company", type=int, help="the municipality to import into (its id)"
        )
        q.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="PARAM=VALUE",
            help="a local parameter's value here (repeat for each)",
        )
        q.add_argument(
            "--dry-run",
            action="store_true",
            help="run the test cases with these values, import nothing",
        )
        return result

    def execute(self, options):
        if options.action == "export":
            return self._export(options)
        if options.action == "import":
            return self._import(options)
        return super().execute(options)

    def _export(self, options):
        from odoo.exceptions import UserError  # noqa: PLC0415

        with self.database_env(options, "confirma.package", "confirma_network") as env:
            procedure = self._procedure(env, options.code, options.company)
            try:
                package = procedure._package_export(seal=not options.no_seal)
            except UserError as error:
                raise CommandError(str(error)) from None
            out = Path(options.out)
            try:
                out.write_text(packages.dumps(package), encoding="utf-8")
            except OSError as error:
                raise CommandError(f"cannot write {out}: {error.strerror}") from None
            sealed = packages.verify(package)
            self.out(
                f"package={out} code={package['code']} "
                f"version={package['version']} "
                f"tests={len(package['tests']['cases'])} "
                f"sealed={'yes' if sealed.valid else 'no'}"
            )

    def _import(self, options):
        from odoo.exceptions import UserError  # noqa: PLC0415

        path = Path(options.file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None
        try:
            overrides = packages.parse_assignments(options.set)
        except packages.PackageError as error:
            raise CommandError(str(error)) from None
        with self.database_env(options, "confirma.package", "confirma_network") as env:
            company = env["res.company"].browse(options.company or env.company.id)
            if not company.exists():
                raise CommandError(f"No municipality with id {options.company}.")
            Package = env["confirma.package"].with_context(lang="en_US")
            try:
                record = Package._import_package(data, overrides, company)
            except UserError as error:
                raise CommandError(str(error)) from None
            seal = (
                f"sealed by {record.signer}"
                if record.seal_state == "valid"
                else "not sealed"
            )
            self.out(
                f"{record.code} {record.version} ({record.procedure_name}) "
                f"published by {record.publisher_name}, {seal}"
            )
            self.out(f"values: {record.parameter_values}")
            for line in (record.diff or "").splitlines():
                self.out(f"change: {line}")
            for line in (record.test_report or "").splitlines():
                self.out(line)
            summary = (
                f"tests={record.test_total} passed={record.test_passed} "
                f"failed={record.test_failed}"
            )
            refused = record.state == "refused"
            if options.dry_run:
                env.cr.rollback()
                self.out("dry run: nothing imported")
            elif refused:
                self.commit(env.cr)  # the refusal is kept, with its report
                self.out(f"refused: {record.code} was not imported")
            else:
                self.commit(env.cr)
                self.out(
                    f"imported: {record.procedure_id.code} "
                    f"({record.procedure_id.state}) in {company.name}"
                )
            self.out(summary)
            if refused:
                raise CommandError("a test case failed", code=1)
