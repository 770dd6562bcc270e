# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..padron.layout import COLUMNS


class ConfirmaPadronMapping(models.Model):
    """A saved column mapping: a municipality's file headers -> import layout."""

    _name = "confirma.padron.mapping"
    _description = "Padrón column mapping"
    _order = "name"

    name = fields.Char(required=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="The municipality that uses this mapping; empty: every one.",
    )
    delimiter = fields.Selection(
        [
            ("auto", "Detect"),
            ("comma", "Comma"),
            ("semicolon", "Semicolon"),
            ("tab", "Tab"),
        ],
        default="auto",
        required=True,
    )
    encoding = fields.Selection(
        [
            ("utf-8", "UTF-8"),
            ("latin-1", "ISO-8859-1 (Latin-1)"),
            ("cp1252", "Windows-1252"),
        ],
        default="utf-8",
        required=True,
    )
    line_ids = fields.One2many(
        "confirma.padron.mapping.line", "mapping_id", string="Columns", copy=True
    )

    def _as_dict(self):
        self.ensure_one()
        return {line.header: line.column for line in self.line_ids}

    def _delimiter(self):
        self.ensure_one()
        return {"comma": ",", "semicolon": ";", "tab": "\t"}.get(self.delimiter)


class ConfirmaPadronMappingLine(models.Model):
    _name = "confirma.padron.mapping.line"
    _description = "Padrón column mapping line"
    _order = "mapping_id, sequence, id"

    mapping_id = fields.Many2one(
        "confirma.padron.mapping", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    header = fields.Char(string="Header in the file", required=True)
    column = fields.Selection(
        selection="_selection_column", string="Layout column", required=True
    )

    @api.model
    def _selection_column(self):
        return [(column, column) for column in COLUMNS]
