# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io

from odoo import fields, models


class ConfirmaPadronImportWizard(models.TransientModel):
    _name = "confirma.padron.import.wizard"
    _description = "Import the padrón"

    file_format = fields.Selection(
        [("csv", "CSV / XLSX"), ("ine_h", "INE variation file (fichero H)")],
        string="Format",
        default="csv",
        required=True,
    )
    file = fields.Binary(required=True)
    filename = fields.Char(required=True)
    mapping_id = fields.Many2one(
        "confirma.padron.mapping",
        string="Column mapping",
        help="Leave empty when the file uses the documented column layout.",
    )
    full_snapshot = fields.Boolean(
        help="The file holds the WHOLE register: active residents missing from "
        "it are deregistered. Leave unchecked for partial files.",
    )
    force_snapshot = fields.Boolean(
        string="Force the deregistrations",
        help="Deregister the residents missing from the full snapshot even when "
        "they are more than the share allowed in the settings (a truncated file "
        "would deregister the town: tick only when the departures are real).",
    )

    def action_import(self):
        self.ensure_one()
        record = self.env["confirma.padron.import"].import_file(
            io.BytesIO(base64.b64decode(self.file)),
            self.filename,
            full_snapshot=self.full_snapshot and self.file_format == "csv",
            mapping=self.mapping_id if self.file_format == "csv" else None,
            file_format=self.file_format,
            force=self.force_snapshot,
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "confirma.padron.import",
            "res_id": record.id,
            "view_mode": "form",
            "target": "current",
        }
