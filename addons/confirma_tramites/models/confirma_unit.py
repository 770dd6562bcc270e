# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.confirma_citizen.padron import identity


class ConfirmaUnit(models.Model):
    """A municipal unit (department, office) responsible for procedures."""

    _name = "confirma.unit"
    _description = "Municipal unit"
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    dir3_code = fields.Char(
        string="DIR3 code",
        help="The unit's code in the common directory of units and offices "
        "(DIR3), e.g. L01469006. Sent with data queries to the services "
        "that take it (CodigoUnidadTramitadora).",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    manager_id = fields.Many2one("res.users", string="Head of unit")
    contact_info = fields.Text(
        string="Where to ask",
        translate=True,
        help="Office address, opening hours, phone and email, as residents see them.",
    )
    active = fields.Boolean(default=True)

    @api.constrains("dir3_code")
    def _check_dir3_code(self):
        for unit in self.filtered("dir3_code"):
            if identity.dir3(unit.dir3_code) != unit.dir3_code:
                raise ValidationError(
                    self.env._(
                        "%(code)s is not a DIR3 code: a level code and seven "
                        "digits, e.g. L01469006.",
                        code=unit.dir3_code,
                    )
                )
