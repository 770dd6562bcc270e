# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

RECEIPT = "confirma_tramites.report_case_receipt"
LETTER = "confirma_tramites.report_case_letter"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        """Offer letters, a campaign's or one printed from a case, carry each
        their own CSV and are kept sealed (``_issue_letters``). A case's
        receipt, printed from anywhere (the case's Print menu, the counter,
        the resident's page), is its sealed original, issued once: the same
        file each time."""
        report_name = self._get_report(report_ref).report_name
        if (
            res_ids
            and report_name == LETTER
            and "confirma_letter_csv" not in (data or {})
        ):
            # letters printed (a campaign's, or from a case): each its own CSV
            Document = self.env["confirma.document"]
            codes = dict(zip(res_ids, Document._new_codes(len(res_ids)), strict=True))
            data = dict(data or {}, confirma_letter_csv=Document._letter_csv(codes))
            content, kind = super()._render_qweb_pdf(
                report_ref, res_ids=res_ids, data=data
            )
            Document._issue_letters(
                self.env["confirma.case"].browse(res_ids),
                codes,
                content if kind == "pdf" else None,
            )
            return content, kind
        if (
            res_ids
            and len(res_ids) == 1
            and not (data or {}).get("confirma_csv")
            and report_name == RECEIPT
        ):
            case = self.env["confirma.case"].browse(res_ids)
            case.check_access("read")
            document = case._receipt_document()
            if document is not None:
                return document._pdf(), "pdf"
        return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
