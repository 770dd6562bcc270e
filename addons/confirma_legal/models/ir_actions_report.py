# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

RECEIPT = "confirma_tramites.report_case_receipt"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        """A case's receipt, printed from anywhere (the case's Print menu, the
        counter, the resident's page), is its sealed original, issued once:
        the same file each time."""
        if (
            res_ids
            and len(res_ids) == 1
            and not (data or {}).get("confirma_csv")
            and self._get_report(report_ref).report_name == RECEIPT
        ):
            case = self.env["confirma.case"].browse(res_ids)
            case.check_access("read")
            document = case._receipt_document()
            if document is not None:
                return document._pdf(), "pdf"
        return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
