# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The public transparency page: which procedures now work by confirmation
(with their phases and durations) and the action plan's indicators against
their targets, period by period. No login; aggregates only, never a
resident; computed once per closed period (cached) and cacheable by proxies.
"""

from odoo import http
from odoo.http import request

from ..models.res_partner import RESIDENT_LANGS


class ConfirmaTransparency(http.Controller):
    @http.route(
        "/confirma/transparency",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=True,
    )
    def transparency(self, lang=None, **kwargs):
        installed = {code for code, _name in request.env["res.lang"].get_installed()}
        code = RESIDENT_LANGS.get(lang or "") or request.env.lang or "es_ES"
        if code not in installed:
            code = "en_US" if "en_US" in installed else next(iter(installed))
        request.update_context(lang=code)
        company = request.env.company.sudo()
        data = (
            request.env["confirma.indicator"]
            .sudo()
            ._transparency_data(company.id, code)
        )
        page_lang = next(
            (short for short, full in RESIDENT_LANGS.items() if full == code), "es"
        )
        response = request.render(
            "confirma_tramites.transparency_page",
            {
                "company": company,
                "data": data,
                "langs": RESIDENT_LANGS,
                "page_lang": page_lang,
                "html_data": {"lang": code.replace("_", "-")},
            },
        )
        response.headers["Cache-Control"] = "public, max-age=600"
        return response
