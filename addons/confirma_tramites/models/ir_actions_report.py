# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

LETTER = "confirma_tramites.report_case_letter"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        """Offer letters printed (a campaign's, or one from the case's Print
        menu) are noted on the cases' and the residents' chatters."""
        result = super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        if res_ids and self._get_report(report_ref).report_name == LETTER:
            self.env["confirma.case"].browse(res_ids)._log_outreach("letter")
        return result
