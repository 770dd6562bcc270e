# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ConfirmaNotificationDelivery(models.TransientModel):
    """The acknowledgement of receipt of a paper notification came back:
    the officer registers its date (or that it could not be delivered)."""

    _name = "confirma.notification.delivery"
    _description = "Register the delivery of a paper notification"

    notification_id = fields.Many2one(
        "confirma.notification", required=True, readonly=True
    )
    delivered = fields.Boolean(
        default=True, help="Untick when it could not be delivered."
    )
    date_delivered = fields.Date(
        string="Date", required=True, default=fields.Date.context_today
    )

    def action_apply(self):
        self.ensure_one()
        self.notification_id.action_register_delivery(
            self.date_delivered, delivered=self.delivered
        )
        return {"type": "ir.actions.act_window_close"}
