# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class ConfirmaPadronEvent(models.Model):
    _inherit = "confirma.padron.event"

    @api.model
    def _react(self, events):
        """Procedures subscribed to these kinds of padrón change evaluate the
        residents concerned and their households at once (a birth opens the
        parents' birth grant in the same run as the file that reports it)."""
        created = super()._react(events)
        if not events:
            return created
        Procedure = self.env["confirma.procedure"].sudo()
        procedures = Procedure.search(
            [("event_kind_ids", "in", events.kind_id.ids)] + Procedure._open_domain()
        )
        for procedure in procedures:
            concerned = events.filtered(
                lambda e, kinds=procedure.event_kind_ids: e.kind_id in kinds
            ).partner_id
            residents = concerned | concerned.household_id.member_ids
            created += procedure._sweep_residents(residents, origin="event")
        return created
