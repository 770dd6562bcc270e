# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# the common directory of units (DIR3): a letter code of the level and
# seven digits, e.g. L01469006 (a town hall), A04027005 (a regional unit)
DIR3 = re.compile(r"([AUIJO][0-9]|CC|G[EA]|E([AC]|[0-9])|L(A|[0-9]))[0-9]{7}")


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
            if not DIR3.fullmatch(unit.dir3_code):
                raise ValidationError(
                    self.env._(
                        "%(code)s is not a DIR3 code: a level code and seven "
                        "digits, e.g. L01469006.",
                        code=unit.dir3_code,
                    )
                )
