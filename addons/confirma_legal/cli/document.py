# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""``odoo-bin confirma-document``: is this PDF an original of the town hall?"""

from pathlib import Path

from odoo.cli import Command

from odoo.addons.confirma_citizen.cli.common import CommandError, ConfirmaCommand

from .. import seal


class ConfirmaDocument(ConfirmaCommand, Command):
    """Verify the seal of a document Confirm@ issued"""

    name = "confirma-document"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        q = sub.add_parser(
            "verify",
            help="whether a PDF's seal is valid, who sealed it, when, and its CSV "
            "(exit 0 only when valid)",
        )
        q.add_argument("file", help="the PDF")
        q.add_argument(
            "--trust",
            action="append",
            metavar="CERT.pem",
            help="another trusted certificate (PEM; repeat for more); the "
            "authorities of the municipalities' seals in the database are "
            "trusted already",
        )
        self.add_database_arguments(q)

    def execute(self, options):
        path = Path(options.file)
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        data = path.read_bytes()
        trusted = [Path(name).read_bytes() for name in options.trust or ()]
        with self.database_env(options, "confirma.document", "confirma_legal") as env:
            lines, valid = verify_lines(env, data, trusted)
        for line in lines:
            self.out(line)
        if not valid:
            raise SystemExit(1)


def verify_lines(env, data, trusted=()):
    """The lines ``verify`` prints for the PDF ``data``, and whether its seal
    is valid: judged against the authorities of the seals of the
    municipalities in the database (and ``trusted``), and looked up by its
    CSV in the documents issued."""
    Document = env["confirma.document"].sudo()
    roots = list(trusted) + Document._trusted_roots()
    verdict = seal.verify_pdf(data, roots)
    if not verdict.sealed:
        return [f"seal: none ({verdict.problem})"], False
    code = seal.normalize_csv(verdict.reason.rpartition(" ")[2])
    document = Document._find_by_csv(code)
    stored = bool(document) and document.checksum == seal.sha256(data)
    valid = verdict.valid and (not document or document.state == "valid")
    lines = [
        "seal: valid"
        if verdict.valid
        else f"seal: NOT VALID ({verdict.problem or _why(verdict)})",
        f"sealed by: {verdict.signer}",
        "sealed at: "
        + (verdict.signing_time.isoformat() if verdict.signing_time else "-"),
        f"timestamp: {verdict.timestamp.isoformat() if verdict.timestamp else 'none'}",
        f"csv: {seal.format_csv(code) if code else '-'}",
    ]
    if document:
        lines.append(
            f"document: {document.title} ({document.state}"
            f"{': ' + document.revoke_reason if document.state == 'revoked' else ''})"
        )
        lines.append(
            "original: identical to the stored one"
            if stored
            else "original: DIFFERS from the stored one"
        )
    else:
        lines.append("document: not issued by this database")
    lines.append(f"valid={'yes' if valid else 'no'}")
    return lines, valid


def _why(verdict):
    if not verdict.intact:
        return "the document was changed after it was sealed"
    if not verdict.whole_file:
        return "content was added after the seal"
    return "the seal's certificate is not trusted"
