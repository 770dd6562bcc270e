# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class ConfirmaIndicator(models.Model):
    _inherit = "confirma.indicator"

    @api.model
    def _transparency_data(self, company_id, lang):
        """Also the automated administrative actions (art. 41 Ley 40/2015):
        the active procedures that open or resolve cases without a person
        deciding, who answers for them, their approval, and the rule in plain
        words."""
        data = super()._transparency_data(company_id, lang)
        env = self.with_context(lang=lang).env
        procedures = env["confirma.procedure"].search(
            [("company_id", "=", company_id), ("state", "=", "active")],
            order="sequence, name",
        )
        data["automated"] = [
            {
                "name": procedure.name,
                "opens": procedure.automated_opening,
                "resolves": procedure.automated_resolution,
                "definition": procedure.automation_definition_body or "",
                "audit": procedure.automation_audit_body or "",
                "appeals": procedure.automation_appeals_body or "",
                "approval": procedure.automation_approval or "",
                "rule": procedure.rule_id.summary or "",
            }
            for procedure in procedures
            if procedure.automated_opening or procedure.automated_resolution
        ]
        return data
