# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup, escape

from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from .. import case_states as states


class ConfirmaCaseGrantOverride(models.TransientModel):
    """A manager grants a case before its requirements are checked, and
    says why: the reason stays in the case's history."""

    _name = "confirma.case.grant.override"
    _description = "Grant without the checks"

    case_id = fields.Many2one(
        "confirma.case", required=True, readonly=True, ondelete="cascade"
    )
    reason = fields.Text(
        help="Why the case is granted before its requirements are checked "
        "(kept in the case's history).",
    )

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("confirma_tramites.group_manager"):
            raise AccessError(
                self.env._(
                    "Only procedure managers can grant a case before its "
                    "requirements are checked."
                )
            )
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(
                self.env._("Say why the case is granted before the checks.")
            )
        case = self.case_id
        case._move("granted", allowed=states.GRANT_OVERRIDE, resolution="granted")
        case.message_post(
            body=Markup("<p>%s</p><p>%s</p>")
            % (
                escape(
                    self.env._(
                        "Granted by %(manager)s before the requirements were "
                        "checked. Reason:",
                        manager=self.env.user.name,
                    )
                ),
                escape(reason),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {"type": "ir.actions.act_window_close"}
