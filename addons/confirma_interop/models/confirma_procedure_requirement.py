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
        help="For the services that compare a value: maximum income (EUR), "
        "minimum disability degree (%), minimum years registered in the "
        "padrón or since a vehicle's first registration, minimum people in "
        "the dwelling.",
    )
    interop_municipality = fields.Char(
        string="Municipality asked",
        size=5,
        help="The padrón services ask another municipality's padrón: its INE "
        "code (five digits, e.g. 46250). Empty: this municipality.",
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

    @api.constrains("interop_municipality")
    def _check_interop_municipality(self):
        for requirement in self.filtered("interop_municipality"):
            code = requirement.interop_municipality
            if len(code) != 5 or not code.isdigit():
                raise ValidationError(
                    self.env._(
                        "The municipality asked is an INE code of five digits, "
                        "e.g. 46250, not %(code)s.",
                        code=code,
                    )
                )
