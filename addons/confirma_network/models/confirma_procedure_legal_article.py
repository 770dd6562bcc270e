# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ConfirmaProcedureLegalArticle(models.Model):
    """One article of the procedure's legal basis: the norm, the article
    and what it establishes, so that another town sees exactly what its
    own ordinance must say."""

    _name = "confirma.procedure.legal.article"
    _description = "Article of a procedure's legal basis"
    _order = "procedure_id, sequence, id"

    procedure_id = fields.Many2one(
        "confirma.procedure", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="procedure_id.company_id", store=True, index=True
    )
    sequence = fields.Integer(default=10)
    norm = fields.Char(required=True, help="e.g. Ley 39/2015, municipal ordinance.")
    article = fields.Char(help="e.g. art. 41.1")
    summary = fields.Text(string="What it establishes", translate=True)
    url = fields.Char(string="Link")
