# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The cron that emailed the receipts of the confirmation page became the
one that follows every answer given there (notes, then receipts):
``ir_cron_page_answers``. Its data is ``noupdate``, so the old one would stay
and call a method that no longer exists: it goes. Receipts still pending are
sent by the new one."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    old = env.ref("confirma_tramites.ir_cron_send_receipts", raise_if_not_found=False)
    if old:
        old.unlink()
