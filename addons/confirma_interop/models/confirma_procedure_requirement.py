# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ConfirmaProcedureRequirement(models.Model):
    _inherit = "confirma.procedure.requirement"

    interop_service_id = fields.Many2one(
        "confirma.interop.service",
        string="Data service",
        index="btree_not_null",
        ondelete="restrict",
        help="The SCSP service that tells whether the requirement holds.",
    )
    interop_answer_kind = fields.Selection(related="interop_service_id.answer_kind")
    interop_threshold_label = fields.Char(related="interop_service_id.threshold_label")
    interop_threshold = fields.Float(
        string="Threshold",
        help="Maximum income (EUR) or minimum disability degree (%), for the "
        "services that compare a value.",
    )

    @api.constrains("method", "interop_service_id")
    def _check_interop_service(self):
        for requirement in self:
            if requirement.interop_service_id and requirement.method != "interop":
                raise ValidationError(
                    self.env._(
                        "Requirement %(name)s has a data service: it must be "
                        "known through an interoperability service.",
                        name=requirement.name,
                    )
                )
