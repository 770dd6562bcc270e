# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.image import image_data_uri
from odoo.tools.pdf import PdfFileReader, PdfFileWriter

from odoo.addons.confirma_tramites.qr import qr_svg

from .. import seal

_logger = logging.getLogger(__name__)

LETTER_REPORT = "confirma_tramites.action_report_case_letter"


def split_pages(pdf):
    """Each page of ``pdf`` as a PDF of its own (bytes), in order."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    pages = []
    for page in reader.pages:
        writer = PdfFileWriter()
        writer.add_page(page)
        out = io.BytesIO()
        writer.write(out)
        pages.append(out.getvalue())
    return pages


#: What may change on an issued document: its revocation only.
REVOCATION_FIELDS = {"state", "revoke_reason", "revoked_by_id", "date_revoked"}


class ConfirmaDocument(models.Model):
    """A document Confirm@ issued: the PDF, stored once and never changed
    (an attachment and its SHA-256), sealed with the municipality's seal
    (PAdES) and identified by its secure verification code (CSV), with which
    anyone gets the original on ``/confirma/csv``. Re-printing returns the
    same file. A manager may revoke a document, with a reason: the
    verification page then says so."""

    _name = "confirma.document"
    _description = "Issued document"
    _order = "date_issued desc, id desc"
    _rec_name = "title"
    _check_company_auto = True

    name = fields.Char(
        string="CSV", required=True, readonly=True, copy=False, index=True
    )
    csv_display = fields.Char(string="Verification code", compute="_compute_csv")
    title = fields.Char(required=True, readonly=True)
    reference = fields.Char(
        readonly=True,
        help="The number the document carries (register entry, resolution), "
        "shown with its kind on the public verification page.",
    )
    kind = fields.Selection(
        [
            ("receipt", "Receipt"),
            ("resolution", "Resolution"),
            ("letter", "Letter"),
            ("certificate", "Certificate of a case"),
            ("notice", "Notice"),
            ("evidence", "Evidence of notification"),
        ],
        required=True,
        readonly=True,
    )
    company_id = fields.Many2one(
        "res.company", string="Municipality", required=True, readonly=True, index=True
    )
    case_id = fields.Many2one(
        "confirma.case", readonly=True, index="btree_not_null", check_company=True
    )
    partner_id = fields.Many2one("res.partner", string="Resident", readonly=True)
    register_entry_id = fields.Many2one(
        "confirma.register.entry",
        string="Register entry",
        readonly=True,
        index="btree_not_null",
    )
    attachment_id = fields.Many2one(
        "ir.attachment", string="PDF", required=True, readonly=True, ondelete="restrict"
    )
    checksum = fields.Char(string="SHA-256", required=True, readonly=True)
    date_issued = fields.Datetime(string="Issued on", required=True, readonly=True)
    sealed = fields.Boolean(readonly=True)
    seal_subject = fields.Char(string="Sealed by", readonly=True)
    state = fields.Selection(
        [("valid", "Valid"), ("revoked", "Revoked")],
        default="valid",
        required=True,
        readonly=True,
    )
    revoke_reason = fields.Text(readonly=True)
    revoked_by_id = fields.Many2one("res.users", readonly=True)
    date_revoked = fields.Datetime(string="Revoked on", readonly=True)
    verify_url = fields.Char(string="Verification address", compute="_compute_csv")

    _sql_constraints = [
        ("csv_uniq", "unique(name)", "A verification code identifies one document."),
    ]

    def init(self):
        # one receipt per register entry: a second request that issues it
        # concurrently fails and is retried, and finds the first
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS confirma_document_entry_kind_uniq "
                "ON confirma_document (register_entry_id, kind) "
                "WHERE register_entry_id IS NOT NULL"
            )
        )

    @api.depends("name")
    def _compute_csv(self):
        for document in self:
            document.csv_display = seal.format_csv(document.name or "")
            document.verify_url = document._verify_url(
                document.company_id, document.name
            )

    @api.model
    def _verify_url(self, company, code=None):
        """The public verification page (with ``code``, the document's)."""
        base = (company.confirma_sede_url or self.get_base_url() or "").rstrip(
            "/"
        ) + "/confirma/csv"
        return f"{base}?csv={seal.format_csv(code)}" if code else base

    @api.model
    def _qr_data_uri(self, url):
        """The QR code of a verification address, as an SVG data URI."""
        return image_data_uri(base64.b64encode(qr_svg(url).encode()))

    # ---- immutability ------------------------------------------------------------
    def write(self, vals):
        if set(vals) - REVOCATION_FIELDS:
            raise UserError(
                self.env._(
                    "An issued document never changes: issue a new one (and revoke "
                    "this one, if it is wrong)."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Issued documents are never deleted."))

    # ---- issuing -----------------------------------------------------------------
    @api.model
    def _seal_material(self, company):
        """(key PEM, certificate PEM, chain PEMs, its subject) of the
        municipality's seal: the PKCS#12 of its interoperability platform,
        the same that signs its SCSP requests; None when it has none."""
        platform = (
            self.env["confirma.interop.platform"]
            .sudo()
            .search(
                [
                    ("company_id", "in", [company.id, False]),
                    ("certificate", "!=", False),
                ],
                order="company_id, sequence, id",
                limit=1,
            )
        )
        if not platform:
            return None
        key, certificate, chain = platform._key_material()
        return key, certificate, chain, seal.subject_label(certificate)

    @api.model
    def _sealer(self, company):
        """(``seal.Sealer``, its subject) of the municipality's seal (see
        ``_seal_material``), None when it has none."""
        material = self._seal_material(company)
        if not material:
            return None
        key, certificate, chain, subject = material
        sealer = seal.Sealer(
            key, certificate, chain, timestamp_url=company.confirma_tsa_url or None
        )
        return sealer, subject

    @api.model
    def _trusted_roots(self):
        """PEMs of the authorities (and certificates) of the municipalities'
        seals: what a seal of this database is verified against."""
        roots = []
        for company in self.env["res.company"].sudo().search([]):
            material = self._seal_material(company)
            if material:
                roots += [material[1], *material[2]]
        return roots

    @api.model
    def _issue(self, kind, title, report_ref, record, case=None, entry=None,
               company=None, reference=None):  # fmt: skip
        """Issue a document: a new CSV, the PDF of ``report_ref`` for
        ``record`` rendered with it (``confirma_csv`` and ``confirma_csv_url``
        in the report's values), sealed, stored once. Callers check first that
        the user may see ``record``."""
        company = company or (case or record).company_id
        code = self._new_codes(1)[0]
        url = self._verify_url(company, code)
        # a real PDF even in test mode (Odoo renders HTML there): it is sealed
        Report = (
            self.env["ir.actions.report"]
            .sudo()
            .with_company(company)
            .with_context(force_report_rendering=True)
        )
        pdf, kind_out = Report._render_qweb_pdf(
            report_ref,
            record.ids,
            data={"confirma_csv": seal.format_csv(code), "confirma_csv_url": url},
        )
        if kind_out != "pdf":
            raise UserError(
                self.env._(
                    "Documents can only be issued as PDF: install wkhtmltopdf on "
                    "the server."
                )
            )
        return self._store(
            kind,
            title,
            pdf,
            code,
            company,
            case=case,
            entry=entry,
            reference=reference,
        )

    @api.model
    def _store(self, kind, title, pdf, code, company, case=None, entry=None,
               reference=None, sealer=None):  # fmt: skip
        """Seal ``pdf`` (rendered with ``code`` printed on it) and keep it:
        its attachment and its document record. ``sealer``: the company's
        (``_sealer``), when the caller has it already."""
        sealing = sealer or self._sealer(company)
        subject = False
        if sealing:
            sealer, subject = sealing
            pdf = sealer.seal(
                pdf,
                reason=self.env._("CSV %(code)s", code=seal.format_csv(code)),
                location=company.name,
            )
        else:
            _logger.warning(
                "%s has no seal certificate: document %s issued unsealed",
                company.name,
                title,
            )
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"{title}.pdf".replace("/", "-"),
                    "raw": pdf,
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "company_id": company.id,
                }
            )
        )
        document = self.sudo().create(
            {
                "name": code,
                "title": title,
                "reference": reference or (entry.name if entry else False),
                "kind": kind,
                "company_id": company.id,
                "case_id": case.id if case else False,
                "partner_id": case.partner_id.id if case else False,
                "register_entry_id": entry.id if entry else False,
                "attachment_id": attachment.id,
                "checksum": seal.sha256(pdf),
                "date_issued": fields.Datetime.now(),
                "sealed": bool(sealing),
                "seal_subject": subject,
            }
        )
        # the attachment belongs to the document (created first: it is required)
        attachment.sudo().write({"res_id": document.id})
        return document

    @api.model
    def _issue_letters(self, cases, codes, combined=None):
        """Keep each of these cases' offer letters as a sealed document with
        the CSV ``codes`` printed on it ({case id: code}). ``combined``, the
        PDF of all of them as printed (one page per letter), is split; a
        letter that is not one page of it is rendered on its own."""
        pages = split_pages(combined) if combined else []
        single = len(pages) == len(cases)
        Report = (
            self.env["ir.actions.report"]
            .sudo()
            .with_context(force_report_rendering=True, confirma_letter_copy=True)
        )
        sealers = {}
        documents = self.browse()
        for index, case in enumerate(cases.sudo()):
            company = case.company_id
            if company not in sealers:
                sealers[company] = self._sealer(company)
            code = codes[case.id]
            if single:
                pdf = pages[index]
            else:
                pdf, _kind = Report.with_company(company)._render_qweb_pdf(
                    LETTER_REPORT,
                    case.ids,
                    data={"confirma_letter_csv": self._letter_csv({case.id: code})},
                )
            documents |= self._store(
                "letter",
                self.env._("Letter %(case)s", case=case.name),
                pdf,
                code,
                company,
                case=case,
                reference=case.name,
                sealer=sealers[company],
            )
        return documents

    @api.model
    def _letter_csv(self, codes):
        """{case id: (printed code, verification address)} of ``codes``."""
        cases = self.env["confirma.case"].sudo().browse(list(codes))
        return {
            case.id: (
                seal.format_csv(codes[case.id]),
                self._verify_url(case.company_id, codes[case.id]),
            )
            for case in cases
        }

    @api.model
    def _new_codes(self, count):
        """``count`` CSVs no document has (one query; 130 random bits each: a
        repeat is only theoretical, and the unique constraint would refuse
        it)."""
        codes = {seal.new_csv() for _ in range(count)}
        while len(codes) < count:
            codes.add(seal.new_csv())
        taken = set(self.sudo().search([("name", "in", list(codes))]).mapped("name"))
        if taken:
            return [c for c in codes if c not in taken] + self._new_codes(len(taken))
        return list(codes)

    def _pdf(self):
        """The stored PDF, checked against its SHA-256."""
        self.ensure_one()
        data = self.sudo().attachment_id.raw
        if seal.sha256(data) != self.sudo().checksum:
            raise UserError(
                self.env._(
                    "The stored file of %(document)s does not match its checksum: "
                    "it was altered.",
                    document=self.title,
                )
            )
        return data

    # ---- the public page ----------------------------------------------------------
    @api.model
    def _find_by_csv(self, text):
        """The document whose CSV ``text`` spells (any company), as superuser:
        the public verification page's lookup (knowing the CSV is the right
        to the document, art. 27.3.a Ley 39/2015)."""
        code = seal.normalize_csv(text)
        if not code:
            return self.browse()
        return self.sudo().search([("name", "=", code)], limit=1)

    # ---- revocation ---------------------------------------------------------------
    def action_revoke(self):
        """Open the dialog that revokes this document (managers)."""
        self.ensure_one()
        self._check_revoker()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Revoke %(document)s", document=self.title),
            "res_model": "confirma.document.revoke",
            "view_mode": "form",
            "target": "new",
            "context": {"default_document_id": self.id},
        }

    def _check_revoker(self):
        if not self.env.user.has_group("confirma_tramites.group_manager"):
            raise AccessError(
                self.env._("Only Confirm@ managers revoke issued documents.")
            )

    def _revoke(self, reason):
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the document is revoked."))
        self._check_revoker()
        self.check_access("read")
        # sudo: nobody has write access to issued documents; the group and
        # the record rules were checked above
        self.sudo().write(
            {
                "state": "revoked",
                "revoke_reason": reason,
                "revoked_by_id": self.env.uid,
                "date_revoked": fields.Datetime.now(),
            }
        )
        return True

    def action_download(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "self",
        }
