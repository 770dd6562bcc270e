# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.confirma_citizen.padron import identity

from .. import case_states as states


class ConfirmaCounter(models.TransientModel):
    """Front desk: find a resident by document, confirm offers on their behalf."""

    _name = "confirma.counter"
    _description = "Counter"

    document_number = fields.Char(string="Document number")
    partner_id = fields.Many2one(
        "res.partner", string="Resident", domain=[("is_resident", "=", True)]
    )
    offer_ids = fields.Many2many(
        "confirma.case", string="Open offers", compute="_compute_partner_data"
    )
    case_ids = fields.Many2many(
        "confirma.case", string="Cases in progress", compute="_compute_partner_data"
    )
    suggestion_ids = fields.Many2many(
        "confirma.procedure",
        string="May also qualify for",
        compute="_compute_partner_data",
    )

    @api.depends("partner_id")
    def _compute_display_name(self):
        for counter in self:
            counter.display_name = (
                self.env._("Counter: %(name)s", name=counter.partner_id.name)
                if counter.partner_id
                else self.env._("Counter")
            )

    @api.depends("partner_id")
    def _compute_partner_data(self):
        Case = self.env["confirma.case"]
        for counter in self:
            partner = counter.partner_id
            if not partner:
                counter.offer_ids = counter.case_ids = counter.suggestion_ids = False
                continue
            counter.offer_ids = Case.search(
                [
                    ("partner_id", "=", partner.id),
                    ("state", "in", states.OFFERED),
                ]
            )
            counter.case_ids = Case.search(
                [
                    ("partner_id", "=", partner.id),
                    ("state", "in", states.IN_PROGRESS),
                ]
            )
            counter.suggestion_ids = partner._confirma_suggestions()

    @api.onchange("document_number")
    def _onchange_document_number(self):
        if self.document_number:
            self.partner_id = self._find(self.document_number)

    @api.model
    def _find(self, number):
        number = identity.normalize(number or "")
        if not number:
            return self.env["res.partner"]
        return self.env["res.partner"].search(
            [
                ("is_resident", "=", True),
                ("company_id", "in", self.env.companies.ids),
                "|",
                ("document_number", "=", number),
                ("nia", "=", number),
            ],
            limit=1,
        )

    def action_search(self):
        self.ensure_one()
        partner = self._find(self.document_number)
        if not partner:
            raise UserError(
                self.env._(
                    "No resident with document %(number)s.",
                    number=self.document_number or "",
                )
            )
        self.partner_id = partner
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }
