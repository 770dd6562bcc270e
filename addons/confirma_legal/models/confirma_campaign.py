# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class ConfirmaCampaign(models.Model):
    _inherit = "confirma.campaign"

    def _render_letters(self, case_ids, data=None):
        """Each letter carries its own CSV, printed at its foot, and is kept
        as a sealed document: the PDF printed is split into its letters."""
        Document = self.env["confirma.document"]
        codes = dict(zip(case_ids, Document._new_codes(len(case_ids)), strict=True))
        data = dict(data or {}, confirma_letter_csv=Document._letter_csv(codes))
        content = super()._render_letters(case_ids, data=data)
        Document._issue_letters(
            self.env["confirma.case"].browse(case_ids),
            codes,
            content if content.startswith(b"%PDF") else None,
        )
        return content
