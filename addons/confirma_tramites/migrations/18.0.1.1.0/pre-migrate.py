# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The secret of a case's link moves from portal's ``access_token`` (which
Odoo's chatter routes also accept) to the page's own ``page_token``: the
links already sent (letters, emails, SMS) keep opening the confirmation
page, and no longer open the case's chatter. The ORM then adds an empty
``access_token`` column for portal.mixin."""

from odoo.tools import sql


def migrate(cr, version):
    if not version or sql.column_exists(cr, "confirma_case", "page_token"):
        return
    if sql.column_exists(cr, "confirma_case", "access_token"):
        sql.rename_column(cr, "confirma_case", "access_token", "page_token")
