# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A resident with a portal account sees their offers and cases under /my."""

from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from .main import mark_verified, private


class ConfirmaPortal(CustomerPortal):
    def _confirma_case_domain(self):
        return [("partner_id", "=", request.env.user.partner_id.id)]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "confirma_case_count" in counters:
            Case = request.env["confirma.case"]
            values["confirma_case_count"] = (
                Case.search_count(self._confirma_case_domain())
                if Case.has_access("read")
                else 0
            )
        return values

    @http.route(["/my/confirma"], type="http", auth="user", website=True)
    def portal_my_confirma(self, **_kwargs):
        values = self._prepare_portal_layout_values()
        values.update(
            cases=request.env["confirma.case"].search(
                self._confirma_case_domain(), order="id desc"
            ),
            page_name="confirma_cases",
        )
        return request.render("confirma_tramites.portal_my_confirma", values)

    @http.route(["/my/confirma/<int:case_id>"], type="http", auth="user", website=True)
    def portal_my_confirma_case(self, case_id, **_kwargs):
        """Open one's own offer on the confirmation page: logged in, the
        resident has already proven who they are (no birth date asked, and a
        locked page is unlocked). The session remembers the case: the page's
        address carries no token."""
        case = request.env["confirma.case"].search(
            self._confirma_case_domain() + [("id", "=", case_id)]
        )
        if not case:
            return request.redirect("/my/confirma")
        case._page_unlock_from_portal()
        mark_verified(case)
        return private(request.redirect(case.access_url))
