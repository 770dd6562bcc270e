# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Survey invitations get a short code to type at /confirma/survey: the
residents' open invitations sent before get one too, so that their letters,
printed again, show it."""

from odoo import SUPERUSER_ID, api

from odoo.addons.confirma_tramites.models.confirma_case import new_code


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    invitations = env["survey.user_input"].search(
        [
            ("confirma_case_id", "!=", False),
            ("confirma_code", "=", False),
            ("state", "!=", "done"),
        ]
    )
    for invitation in invitations:
        invitation.confirma_code = new_code()
