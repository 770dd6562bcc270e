# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The accessibility statement the law requires of every public website of
an administration (RD 1112/2018, art. 15, on the model of Decision (EU)
2018/1523), linked from the footer of every public page: how accessible the
pages are, what is not yet, how to ask for content in another form or
complain, and when the statement was reviewed."""

from odoo import fields, http
from odoo.http import request

from odoo.addons.confirma_citizen.models.res_partner import (
    RESIDENT_LANGS,
    installed_langs,
    resident_short_lang,
)

#: the parameter that records the last review of the statement
REVIEWED_PARAM = "confirma_tramites.accessibility_reviewed"


class ConfirmaAccessibility(http.Controller):
    @http.route(
        "/confirma/accessibility",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=True,
    )
    def accessibility(self, lang=None, **kwargs):
        company = request.env.company.sudo()
        code = RESIDENT_LANGS.get(lang or "") or request.env.lang
        if code not in installed_langs(request.env):
            code = company._confirma_lang()
        request.update_context(lang=code)
        reviewed = fields.Date.to_date(
            request.env["ir.config_parameter"].sudo().get_param(REVIEWED_PARAM)
        )
        response = request.render(
            "confirma_tramites.accessibility_statement",
            {
                "company": company,
                "case": None,
                "token": None,
                "langs": company._confirma_page_langs(),
                "page_lang": resident_short_lang(code),
                "lang_href": "/confirma/accessibility?lang=",
                "html_data": {"lang": code.replace("_", "-")},
                "reviewed": reviewed,
            },
        )
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response
