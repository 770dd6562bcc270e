# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""/my/account for residents: their register (padrón) data are read-only.

Odoo's account page lets a portal user rewrite their name and address, with
sudo. For a resident those are register data, which only the padrón changes:
they are shown but cannot be edited (server-side: a POST that changes them
changes nothing), and the resident asks the padrón officers for a correction
instead. Contact fields (email, phone) stay editable.
"""

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.res_partner import CORRECTION_MAX_LENGTH, REGISTER_FIELDS

#: The inputs of Odoo's account form that hold register data.
LOCKED_FORM_FIELDS = (
    "name",
    "street",
    "street2",
    "zipcode",
    "city",
    "state_id",
    "country_id",
    "vat",
    "company_name",
)
#: Set in the page's values; never taken from a request.
LOCKED_FLAG = "confirma_register_locked"


class ConfirmaPortalAccount(CustomerPortal):
    def _confirma_registered_partner(self):
        """The logged-in user's own contact (sudo) when it holds padrón data,
        else None."""
        user = request.env.user
        if user._is_public():
            return None
        partner = user.partner_id.sudo()
        return partner if partner._confirma_has_register_data() else None

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values[LOCKED_FLAG] = bool(self._confirma_registered_partner())
        return values

    def _get_mandatory_fields(self):
        fields = super()._get_mandatory_fields()
        if self._confirma_registered_partner():
            # not asked of a resident: the padrón fills them (or not)
            fields = [name for name in fields if name not in LOCKED_FORM_FIELDS]
        return fields

    def _get_optional_fields(self):
        fields = super()._get_optional_fields()
        if self._confirma_registered_partner():
            fields = fields + [
                name for name in LOCKED_FORM_FIELDS if name not in fields
            ]
        return fields

    @staticmethod
    def _confirma_register_form_values(partner):
        """The register values as the account form would post them."""
        return {
            "name": partner.name or "",
            "street": partner.street or "",
            "street2": partner.street2 or "",
            "zipcode": partner.zip or "",
            "city": partner.city or "",
            "state_id": str(partner.state_id.id) if partner.state_id else "",
            "country_id": str(partner.country_id.id) if partner.country_id else "",
            "vat": partner.vat or "",
            "company_name": partner.company_name or "",
        }

    @http.route()
    def account(self, redirect=None, **post):
        post.pop(LOCKED_FLAG, None)
        partner = self._confirma_registered_partner()
        if partner and post and request.httprequest.method == "POST":
            # whatever was sent for them (the form sends nothing: they are
            # disabled), Odoo's checks see the register's values; and
            # on_account_update keeps them out of the write
            post.update(self._confirma_register_form_values(partner))
        return super().account(redirect=redirect, **post)

    def on_account_update(self, values, partner):
        result = super().on_account_update(values, partner)
        if partner.sudo()._confirma_has_register_data():
            for name in (*REGISTER_FIELDS, *LOCKED_FORM_FIELDS):
                values.pop(name, None)
        return result

    @http.route(
        "/my/account/correction",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def confirma_register_correction(self, **post):
        """A resident asks the padrón officers to correct their register data."""
        partner = self._confirma_registered_partner()
        if not partner:
            return request.redirect("/my/account")
        values = self._prepare_portal_layout_values()
        values.update(
            register_partner=partner,
            page_name="my_details",
            correction_max_length=CORRECTION_MAX_LENGTH,
            correction="",
            error=False,
            sent=False,
        )
        if request.httprequest.method == "POST":
            text = post.get("correction") or ""
            try:
                partner._confirma_request_correction(text)
            except UserError as error:
                values.update(error=error.args[0], correction=text)
            else:
                values["sent"] = True
        return request.render("confirma_tramites.portal_my_register_correction", values)
