# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo import fields, models


class ConfirmaGoodPracticeImport(models.TransientModel):
    """Bring a good practice exported by another installation (with the
    packages of its procedures) as a proposed practice of this town."""

    _name = "confirma.good.practice.import"
    _description = "Import a good practice"

    file = fields.Binary(string="Practice file", required=True)
    filename = fields.Char()

    def action_import(self):
        self.ensure_one()
        practice = self.env["confirma.good.practice"]._import_data(
            base64.b64decode(self.file or b"")
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": practice._name,
            "res_id": practice.id,
            "view_mode": "form",
            "target": "current",
        }
