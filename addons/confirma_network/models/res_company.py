# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError


class ResCompany(models.Model):
    _inherit = "res.company"

    def _confirma_network_seal(self):
        """(key PEM, certificate PEM) of the municipality's seal, or None.

        The seal is the PKCS#12 of the town's interoperability platform, the
        one that signs its SCSP requests and its documents, when the
        interoperability addon is installed; the network addon does not
        need it otherwise (an unsealed package is still a package)."""
        self.ensure_one()
        if "confirma.interop.platform" not in self.env:
            return None
        platform = (
            self.env["confirma.interop.platform"]
            .sudo()
            .search(
                [
                    ("company_id", "in", [self.id, False]),
                    ("certificate", "!=", False),
                ],
                order="company_id, sequence, id",
                limit=1,
            )
        )
        if not platform:
            return None
        try:
            key, certificate, _chain = platform._key_material()
        except UserError:
            return None
        return key, certificate
