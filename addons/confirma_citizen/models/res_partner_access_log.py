# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    """Opening a resident's form is recorded in the access trail."""

    _name = "res.partner"
    _inherit = ["res.partner", "confirma.access.log.mixin"]

    access_log_count = fields.Integer(
        string="Opens",
        compute="_compute_access_log_count",
        groups="confirma_citizen.group_access_auditor",
        help="How many times staff opened this resident's records "
        "(the resident, their cases, their data query results).",
    )

    def _compute_access_log_count(self):
        counts = dict(
            self.env["confirma.access.log"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.access_log_count = counts.get(partner, 0)

    def _access_log_partner(self):
        self.ensure_one()
        return self if self.is_resident else self.browse()
