# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.http import request

from odoo.addons.confirma_tramites.controllers.main import ConfirmaPage, private

from .. import seal


def pdf_response(document, disposition="inline"):
    """The stored, sealed PDF of ``document``."""
    return private(
        request.make_response(
            document._pdf(),
            headers=[
                ("Content-Type", "application/pdf"),
                (
                    "Content-Disposition",
                    f'{disposition}; filename="{seal.format_csv(document.name)}.pdf"',
                ),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )
    )


class ConfirmaLegalPages(ConfirmaPage):
    """``/confirma/csv``: anyone who has a document's secure verification code
    (CSV) gets the original, sealed PDF (Ley 39/2015 art. 27.3.a). Guesses
    are counted like those of the confirmation page's code lookup: per
    client address and per code, whatever the session.

    The resident's resolutions, on their page (after the birth date) and on
    the portal: opening one is the notification by appearance at the sede
    (art. 43), recorded with how the resident was identified."""

    def _csv_find(self, template, lang, text):
        documents = request.env["confirma.document"]
        code = seal.normalize_csv(text)
        return self._find_typed(
            template,
            lang,
            lambda: documents._find_by_csv(code),
            code or (text or "").strip()[:64],
        )

    @http.route("/confirma/csv", type="http", auth="public", methods=["GET", "POST"])
    def csv_lookup(self, csv=None, lang=None, **_kwargs):
        lang = self._lang(lang=lang)
        if not csv:
            return private(self._render("confirma_legal.page_csv", lang=lang))
        document, page = self._csv_find("confirma_legal.page_csv", lang, csv)
        if not document:
            return page
        return self._document_page(document, lang)

    @http.route(
        "/confirma/csv/<string:csv>/original.pdf",
        type="http",
        auth="public",
        methods=["GET"],
    )
    def csv_original(self, csv, lang=None, **_kwargs):
        lang = self._lang(lang=lang)
        document, page = self._csv_find("confirma_legal.page_csv", lang, csv)
        if not document:
            return page
        if document.state == "revoked":
            return self._document_page(document, lang)
        return pdf_response(document)

    def _document_page(self, document, lang):
        """What a document's code shows: the document, or its revocation."""
        return private(
            self._render(
                "confirma_legal.page_csv_document",
                lang=lang,
                document=document,
                company=document.company_id,
                csv=seal.format_csv(document.name),
                status=410 if document.state == "revoked" else 200,
            )
        )

    # ---- notification by appearance -------------------------------------------------
    @http.route(
        "/confirma/case/<int:case_id>/resolution/<int:resolution_id>",
        type="http",
        auth="public",
        methods=["GET"],
    )
    def case_resolution(self, case_id, resolution_id, **_kwargs):
        case = self._case(case_id, None)
        if not case or not self._verified(case.id):
            return private(self._invalid())
        resolution = case.sudo()._page_resolution(resolution_id)
        if not resolution:
            return private(self._invalid())
        resolution._notify_opened("link_birthdate", ip=request.httprequest.remote_addr)
        return pdf_response(resolution.document_id)

    @http.route(
        "/my/confirma/resolution/<int:resolution_id>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def portal_resolution(self, resolution_id, **_kwargs):
        partner = request.env.user.partner_id
        # sudo: the resolution is the logged-in resident's own (checked here)
        resolution = (
            request.env["confirma.resolution"]
            .sudo()
            .search(
                [
                    ("id", "=", resolution_id),
                    ("partner_id", "=", partner.id),
                    ("state", "=", "issued"),
                ]
            )
        )
        if not resolution:
            return request.not_found()
        resolution._notify_opened("portal", ip=request.httprequest.remote_addr)
        return pdf_response(resolution.document_id)
