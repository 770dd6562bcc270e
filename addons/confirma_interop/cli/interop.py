# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""``odoo-bin confirma-interop``: the local SCSP simulator, verifying one
case with data services, and explaining one captured message."""

import datetime
import json
from pathlib import Path

from odoo.cli import Command

from odoo.addons.confirma_citizen.cli.common import CommandError, ConfirmaCommand

from ..scsp.simulator import serve


class ConfirmaInterop(ConfirmaCommand, Command):
    """The local SCSP simulator; verify a case; explain an SCSP message"""

    name = "confirma-interop"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        q = sub.add_parser(
            "simulate",
            help="serve the SCSP simulator (signed SOAP answers from the synthetic "
            "town)",
            parents=[serve.build_parser()],
            add_help=False,
        )
        q.add_argument("-c", "--config", help="the Odoo configuration file")
        q = sub.add_parser(
            "verify", help="send a case's data checks now; prints each requirement"
        )
        q.add_argument("case", help="case number (or id)")
        self.add_database_arguments(q)
        q = sub.add_parser(
            "inspect",
            help="explain one SCSP message (signature, encryption, status, "
            "transmissions) as one JSON object",
        )
        q.add_argument("file", help="the message (Peticion, Respuesta, fault...)")
        q.add_argument(
            "--trust",
            action="append",
            metavar="CERT.pem",
            help="a trusted certificate (PEM; repeat for more)",
        )
        q.add_argument(
            "--at",
            metavar="YYYY-MM-DD",
            help="judge the certificates' validity on this day (captured "
            "certificates expire)",
        )
        q.add_argument("--key", metavar="KEY.p12", help="the seal, to decrypt")
        q.add_argument("--password-file", metavar="F", help="the seal's password")

    def execute(self, options):
        getattr(self, "_" + options.action)(options)

    def _simulate(self, options):
        from odoo.tools import config  # noqa: PLC0415

        self.load_config(options)
        serve.serve(options, options.data_dir or config["data_dir"])

    def _verify(self, options):
        from odoo.exceptions import UserError  # noqa: PLC0415

        with self.database_env(
            options, "confirma.interop.check", "confirma_interop"
        ) as env:
            Case = env["confirma.case"]
            case = Case.search([("name", "=", options.case)], limit=1)
            if not case and options.case.isdigit():
                case = Case.browse(int(options.case)).exists()
            if not case:
                raise CommandError(f"No case '{options.case}' (give its number or id).")
            try:
                case.action_interop_verify()
            except UserError as error:
                raise CommandError(str(error)) from None
            self.commit(env.cr)
            self.out(f"{case.name} {case.partner_id.name} — {case.procedure_id.name}")
            labels = dict(env["confirma.interop.check"]._fields["state"].selection)
            for check in case.interop_check_ids:
                outcome = check.result or labels[check.state]
                detail = check.result_note or check.last_error or ""
                self.out(f"  {check.requirement_id.name}: {outcome}  {detail}".rstrip())
            if not case.interop_check_ids:
                self.out("  no requirement is checked with a data service")
            self.out(f"state={case.state}")

    def _inspect(self, options):
        """One message, explained as one JSON object (exit 0 when the message
        was read, valid or not; 1 when not)."""
        from ..scsp import explain  # noqa: PLC0415

        path = Path(options.file)
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        trusted = b"".join(Path(name).read_bytes() for name in options.trust or ())
        at = None
        if options.at:
            try:
                at = datetime.date.fromisoformat(options.at)
            except ValueError:
                raise CommandError(
                    f"--at takes a date as YYYY-MM-DD, not {options.at!r}."
                ) from None
        key_pem = (
            _private_key(options.key, options.password_file) if options.key else None
        )
        try:
            result = explain.explain(path.read_bytes(), trusted, at=at, key_pem=key_pem)
        except explain.UnreadableMessage as error:
            self.out(json.dumps({"error": str(error)}, ensure_ascii=False))
            raise SystemExit(1) from None
        self.out(json.dumps(result, ensure_ascii=False, indent=2))


def _private_key(key_path, password_file):
    """The private key of a PKCS#12 seal (or a PEM key file), as PEM."""
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415
    from cryptography.hazmat.primitives.serialization import pkcs12  # noqa: PLC0415

    data = Path(key_path).read_bytes()
    password = (
        Path(password_file).read_text(encoding="utf-8").strip().encode()
        if password_file
        else None
    )
    try:
        if b"-----BEGIN" in data:
            key = serialization.load_pem_private_key(data, password)
        else:
            key, _cert, _chain = pkcs12.load_key_and_certificates(data, password)
    except (ValueError, TypeError) as error:
        raise CommandError(f"Cannot read the key {key_path}: {error}") from None
    if key is None:
        raise CommandError(f"{key_path} holds no private key.")
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
