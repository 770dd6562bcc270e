# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _confirma_notifications(self):
        """This resident's notifications at the sede, newest first (for their
        portal: the caller shows them only to the resident)."""
        self.ensure_one()
        return (
            self.env["confirma.notification"]
            .sudo()
            .search(
                [("partner_id", "=", self.id), ("channel", "=", "sede")],
                order="id desc",
            )
        )
