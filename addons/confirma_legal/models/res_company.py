# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    confirma_register_office = fields.Char(
        string="Register office (DIR3)",
        default="RGE",
        help="The code of the municipality's register office: register numbers "
        "are sequential per office and year.",
    )
    confirma_sede_url = fields.Char(
        string="Electronic office (sede) address",
        help="Where the public verification page is published "
        "(<address>/confirma/csv): printed on every document. Empty: this "
        "server's address.",
    )
    confirma_tsa_url = fields.Char(
        string="Timestamp authority (TSA)",
        help="An RFC 3161 timestamp service: seals then carry a timestamp "
        "besides the signing time.",
    )
