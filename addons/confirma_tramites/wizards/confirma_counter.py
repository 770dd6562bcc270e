# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
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
    suggestion_ids = fields.One2many(
        "confirma.counter.suggestion",
        "counter_id",
        string="May also qualify for",
        compute="_compute_suggestion_ids",
        store=True,
        readonly=True,
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
                counter.offer_ids = counter.case_ids = False
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

    @api.depends("partner_id")
    def _compute_suggestion_ids(self):
        """The resident's own suggestions and, for a parent, their
        children's (the lines are rebuilt when the resident changes)."""
        for counter in self:
            pairs = (
                counter.partner_id._confirma_counter_suggestions()
                if counter.partner_id
                else []
            )
            counter.suggestion_ids = [Command.clear()] + [
                Command.create(
                    {"procedure_id": procedure.id, "beneficiary_id": beneficiary.id}
                )
                for procedure, beneficiary in pairs
            ]

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


class ConfirmaCounterSuggestion(models.TransientModel):
    """A procedure the resident at the counter, or their child, may also
    qualify for."""

    _name = "confirma.counter.suggestion"
    _description = "Counter suggestion"
    _order = "id"

    counter_id = fields.Many2one(
        "confirma.counter", required=True, index=True, ondelete="cascade"
    )
    procedure_id = fields.Many2one("confirma.procedure", required=True, readonly=True)
    procedure_code = fields.Char(related="procedure_id.code", string="Code")
    beneficiary_id = fields.Many2one(
        "res.partner", string="For", required=True, readonly=True
    )

    def action_open_case(self):
        """Open the case for the beneficiary, confirmed by the resident at
        the counter, and the answer dialog (identity, why they qualify,
        objection, receipt)."""
        self.ensure_one()
        case = self.procedure_id.counter_open_case(
            self.beneficiary_id, confirmer=self.counter_id.partner_id
        )
        return case.action_counter_confirm()
