# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ConfirmaDocumentRevoke(models.TransientModel):
    _name = "confirma.document.revoke"
    _description = "Revoke an issued document"

    document_id = fields.Many2one("confirma.document", required=True, readonly=True)
    reason = fields.Text(required=True)

    def action_revoke(self):
        self.ensure_one()
        self.document_id._revoke(self.reason)
        return {"type": "ir.actions.act_window_close"}
