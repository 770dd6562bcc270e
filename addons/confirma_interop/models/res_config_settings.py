# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    confirma_interop_retention_days = fields.Integer(
        string="Keep raw SCSP messages (days)",
        config_parameter="confirma_interop.retention_days",
        default=365,
        help="Raw requests and responses of data queries are purged after this "
        "many days.",
    )
