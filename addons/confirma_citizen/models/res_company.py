# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    confirma_ine_code = fields.Char(
        string="INE municipality code",
        help="Five digits: province (2) and municipality (3), as in the INE "
        "padrón exchange files (e.g. 46250 for València).",
    )

    @api.constrains("confirma_ine_code")
    def _check_confirma_ine_code(self):
        for company in self:
            code = company.confirma_ine_code
            if code and not (len(code) == 5 and code.isdigit()):
                raise ValidationError(
                    _(
                        "The INE municipality code of %(company)s must be five "
                        "digits (province and municipality), not '%(code)s'.",
                        company=company.name,
                        code=code,
                    )
                )
