# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .confirma_padron_import import (
    SNAPSHOT_MAX_DEREGISTER_DEFAULT,
    SNAPSHOT_MAX_DEREGISTER_PARAM,
)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    confirma_ine_code = fields.Char(
        related="company_id.confirma_ine_code",
        readonly=False,
    )
    confirma_lang = fields.Selection(
        related="company_id.partner_id.lang",
        readonly=False,
        string="Municipality's language",
        help="What residents are written to in when their own language is "
        "not installed (letters, messages, public pages). Activate Spanish "
        "and Catalan in Settings > Languages.",
    )
    confirma_snapshot_max_deregister = fields.Float(
        string="Full snapshot: most deregistered (%)",
        config_parameter=SNAPSHOT_MAX_DEREGISTER_PARAM,
        default=SNAPSHOT_MAX_DEREGISTER_DEFAULT,
        help="A full-snapshot import that would deregister more than this share "
        "of the active residents is refused unless the officer forces it: a "
        "truncated file would otherwise deregister the town.",
    )

    @api.constrains("confirma_snapshot_max_deregister")
    def _check_confirma_snapshot_max_deregister(self):
        for settings in self:
            if not 0 <= settings.confirma_snapshot_max_deregister <= 100:
                raise ValidationError(
                    _(
                        "The share of residents a full snapshot may deregister "
                        "is a percentage, between 0 and 100."
                    )
                )
