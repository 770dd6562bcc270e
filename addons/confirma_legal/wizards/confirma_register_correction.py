# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class ConfirmaRegisterCorrection(models.TransientModel):
    """A correction of a register entry: a new entry, in the same book, that
    names the entry it corrects and says what was wrong."""

    _name = "confirma.register.correction"
    _description = "Correct a register entry"

    entry_id = fields.Many2one("confirma.register.entry", required=True, readonly=True)
    reason = fields.Text(string="What was wrong, and what is right", required=True)

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("confirma_tramites.group_officer"):
            raise AccessError(self.env._("Only Confirm@ officers record corrections."))
        entry = self.entry_id
        entry.check_access("read")
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say what the correction is."))
        company = entry.company_id
        own = self.with_context(lang=company._confirma_lang())
        correction = self.env["confirma.register.entry"]._add_entries(
            [
                {
                    "direction": entry.direction,
                    "company_id": company.id,
                    "office_code": entry.office_code,
                    "kind": "correction",
                    "channel": "system",
                    "summary": own.env._(
                        "Correction of %(entry)s: %(reason)s",
                        entry=entry.name,
                        reason=reason,
                    )[:250],
                    "corrects_id": entry.id,
                    "partner_id": entry.partner_id.id,
                    "partner_document": entry.partner_document,
                    "case_id": entry.case_id.id,
                    "procedure_id": entry.procedure_id.id,
                    "sia_code": entry.sia_code,
                    "unit_code": entry.unit_code,
                }
            ]
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": correction._name,
            "res_id": correction.id,
            "view_mode": "form",
            "target": "current",
        }
