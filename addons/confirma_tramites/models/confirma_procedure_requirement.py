# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

DATA_HOLDERS = [
    ("municipality", "This town hall"),
    ("dgp", "Police (DGP) – identity"),
    ("ine", "National Statistics Institute (INE)"),
    ("aeat", "Tax Agency (AEAT)"),
    ("tgss", "Social Security (TGSS)"),
    ("sepe", "Employment Service (SEPE)"),
    ("regional", "Regional government"),
    ("other", "Other administration"),
    ("resident", "The resident"),
]


class ConfirmaProcedureRequirement(models.Model):
    """What must hold for a resident to obtain the procedure, and how it is known."""

    _name = "confirma.procedure.requirement"
    _description = "Procedure requirement"
    _order = "procedure_id, sequence, id"

    procedure_id = fields.Many2one(
        "confirma.procedure", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="procedure_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Requirement", required=True, translate=True)
    method = fields.Selection(
        [
            ("data", "Resident data (Confirm@)"),
            ("interop", "Interoperability service"),
            ("declaration", "Responsible declaration"),
            ("document", "Document from the resident"),
        ],
        string="How it is known",
        required=True,
        default="data",
    )
    subject = fields.Selection(
        [
            ("beneficiary", "Who the benefit is for"),
            ("confirmer", "Who confirms"),
        ],
        string="About",
        required=True,
        default="beneficiary",
        help="Whose data proves the requirement. They are the same person "
        "unless a parent or guardian confirms for a minor: then a child's "
        "disability is about the child, the household's income about the "
        "parent.",
    )
    data_holder = fields.Selection(
        DATA_HOLDERS, string="Administration holding the data", default="municipality"
    )
    document_name = fields.Char(
        string="Document", translate=True, help="The paper document concerned."
    )
    document_before = fields.Boolean(
        string="Brought before Confirm@",
        help="Residents had to bring this document when they applied.",
    )
    document_now = fields.Boolean(
        string="Brought now",
        help="Residents still have to bring it (not replaced by data or a "
        "declaration).",
    )
    technique_id = fields.Many2one(
        "confirma.burden.technique",
        string="Technique applied",
        help="How the burden of this requirement was reduced.",
    )
