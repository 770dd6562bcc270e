# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The public transparency page: which procedures now work by confirmation
(with their phases and durations) and the action plan's indicators against
their targets, period by period. No login; aggregates only, never a
resident; computed once per closed period (cached). Proxies may cache only
the anonymous answer to a request without a session, which sets no cookie;
any other answer (a logged-in user's embeds their session) is private.
"""

from odoo import http
from odoo.http import request

from odoo.addons.confirma_citizen.models.res_partner import resident_short_lang

from .main import public_lang


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
        cacheable = request.env.user._is_public() and not request.cookies.get(
            "session_id"
        )
        if cacheable:
            # a throwaway session, and no language cookie: the same answer
            # for every anonymous visitor, which a shared cache may keep
            request.session.can_save = False
            request.future_response.headers.remove("Set-Cookie")
        company = request.env.company.sudo()
        code = public_lang(lang)
        data = (
            request.env["confirma.indicator"]
            .sudo()
            ._transparency_data(company.id, code)
        )
        response = request.render(
            "confirma_tramites.transparency_page",
            {
                "company": company,
                "data": data,
                "langs": company._confirma_page_langs(),
                "page_lang": resident_short_lang(code),
                "html_data": {"lang": code.replace("_", "-")},
            },
        )
        response.flatten()  # rendered now: nothing may add a cookie after the check
        sets_cookie = "Set-Cookie" in response.headers or (
            "Set-Cookie" in request.future_response.headers
        )
        if cacheable and not sets_cookie:
            response.headers["Cache-Control"] = "public, max-age=600"
            if not lang:
                # the language then comes from the browser (or its cookie)
                response.headers["Vary"] = "Accept-Language, Cookie"
        else:
            response.headers["Cache-Control"] = "private, no-store"
        return response
