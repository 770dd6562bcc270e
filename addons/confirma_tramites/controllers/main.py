# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The resident's confirmation page: public, no Odoo account needed.

Reached by the link or QR code of a letter or message (case id and an
unguessable token) or by typing the short code and the document number.
Nothing personal is shown until the resident gives a second factor, their
birth date; every answer is counted per case, atomically, and too many lock
the page, longer each time, then until it is unlocked. Failed lookups by
code are counted on the server per client address, code and document. Once
verified, the session remembers the case and the page's addresses carry no
token. Every answer about a case is private: never cached, framed or sent as
a referrer. Every state has its own page: a wrong link, a locked case, an
offer already answered, expired or cancelled; an answer never takes effect
twice.
"""

import datetime

from odoo import fields, http
from odoo.http import request

from odoo.addons.confirma_citizen.models.res_partner import (
    RESIDENT_LANGS,
    installed_langs,
    resident_short_lang,
)
from odoo.addons.confirma_citizen.padron import identity

from .. import case_states as states

SESSION_KEY = "confirma_cases"
# the answers about a resident's case: never stored by a cache, never framed
# (clickjacking), never sent as a referrer (the link's token)
PRIVATE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
}


#: the parameter that records the last review of the accessibility statement
REVIEWED_PARAM = "confirma_tramites.accessibility_reviewed"
#: the fields of the memorable-date pattern (day, month, year boxes)
DATE_PARTS = ("birth_day", "birth_month", "birth_year")


def memorable_date(day, month, year, today=None):
    """The date typed in three boxes, or None when it is not a real one.

    >>> memorable_date("27", " 3 ", "1950")
    datetime.date(1950, 3, 27)
    >>> memorable_date("31", "2", "1950") is None  # no such day
    True
    >>> memorable_date("27", "3", "50") is None  # the year needs 4 digits
    True
    >>> memorable_date("1", "1", "2999", today=datetime.date(2026, 6, 15)) is None
    True
    """
    parts = [(part or "").strip() for part in (day, month, year)]
    if not all(part.isdigit() for part in parts) or len(parts[2]) != 4:
        return None
    try:
        given = datetime.date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        return None
    today = today or datetime.date.today()
    if given.year < 1900 or given > today:
        return None
    return given


def public_lang(lang):
    """The language of a public page without a case: ``lang`` (es/ca) or
    the browser's when installed, else the municipality's. Returns its
    code."""
    code = RESIDENT_LANGS.get(lang or "") or request.env.lang
    if code not in installed_langs(request.env):
        code = request.env.company.sudo()._confirma_lang()
    request.update_context(lang=code)
    return code


def mark_verified(case):
    """The session has proven who the resident of ``case`` is (birth date,
    or a portal login): the page shows it without asking again."""
    verified = list(request.session.get(SESSION_KEY, []))
    if case.id not in verified:
        verified.append(case.id)
    request.session[SESSION_KEY] = verified[-20:]


def private(response):
    """``response`` with the headers of a personal page."""
    response.headers.update(PRIVATE_HEADERS)
    return response


class ConfirmaPage(http.Controller):
    # ---- helpers ---------------------------------------------------------------------
    def _lang(self, case=None, lang=None):
        """Show the page in ``lang`` (es/ca) if installed, else in the
        resident's language, else the municipality's; return the short code
        of the language rendered (None when it is neither)."""
        installed = installed_langs(request.env)
        code = RESIDENT_LANGS.get(lang or "")
        if code not in installed:
            code = (
                case.partner_id._confirma_lang_code()
                if case
                else request.env.company._confirma_lang()
            )
        if code in installed:
            request.update_context(lang=code)
        return resident_short_lang(request.env.lang)

    def _render(self, template, case=None, status=200, **values):
        values.setdefault("case", case)
        values.setdefault(
            "company",
            (case.company_id if case else None) or (request.env.company.sudo()),
        )
        values.setdefault("langs", values["company"]._confirma_page_langs())
        # "lang" is QWeb's own (the full code): the page's is "page_lang",
        # the short code of the language rendered
        values["page_lang"] = resident_short_lang(request.env.lang)
        values.pop("lang", None)
        values.setdefault("token", None)
        # the page's language, for screen readers and hyphenation
        values["html_data"] = {"lang": (request.env.lang or "es_ES").replace("_", "-")}
        return request.render(template, values, status=status)

    def _verified(self, case_id):
        return case_id in request.session.get(SESSION_KEY, [])

    def _case(self, case_id, token):
        """The case of the page: one this session verified (the token is no
        longer needed in the address), else the one the link's token opens."""
        if self._verified(case_id):
            # sudo: the session proved the token and the resident's identity
            return request.env["confirma.case"]._page_find_verified(case_id)
        return request.env["confirma.case"]._page_find(case_id, token)

    def _invalid(self, lang=None):
        lang = self._lang(lang=lang)
        return self._render("confirma_tramites.page_invalid", lang=lang, status=404)

    def _state_page(self, case, lang):
        """The page of a case that no longer takes an answer, or None."""
        state = case.state
        if state in states.OFFERED:
            return None
        if state in ("expired", "cancelled"):
            return self._render(
                "confirma_tramites.page_closed", case, status=410, lang=lang
            )
        if state == "declined":
            return self._render("confirma_tramites.page_declined", case, lang=lang)
        # confirmed, or already further on: the receipt
        return self._render("confirma_tramites.page_receipt", case, lang=lang)

    # ---- entry by code ---------------------------------------------------------------
    def _find_typed(self, template, lang, find, code, document=None):
        """Run ``find()`` for what a visitor typed (a code, and a document),
        counting failures on the server per client address (Odoo takes it
        from X-Forwarded-For in proxy mode), per code and per document:
        neither a new session nor a new address gets more guesses.
        Returns (record found, None) or (None, the page to answer)."""
        Throttle = request.env["confirma.page.throttle"]
        keys = Throttle._keys(
            request.httprequest.remote_addr, (code or "").strip().upper(), document
        )
        if Throttle._is_locked(keys):
            return None, private(
                self._render(template, lang=lang, locked=True, status=429)
            )
        found = find()
        if found:
            return found, None
        locked = Throttle._register_failure(keys)
        return None, private(
            self._render(
                template,
                lang=lang,
                not_found=True,
                locked=locked,
                code=code,
                status=429 if locked else 404,
            )
        )

    @http.route("/confirma", type="http", auth="public", methods=["GET", "POST"])
    def lookup(self, code=None, document=None, lang=None, **_kwargs):
        lang = self._lang(lang=lang)
        if request.httprequest.method == "GET":
            return private(self._render("confirma_tramites.page_lookup", lang=lang))
        case, page = self._find_typed(
            "confirma_tramites.page_lookup",
            lang,
            lambda: request.env["confirma.case"]._page_lookup(code, document),
            code,
            identity.normalize(document or ""),
        )
        if not case:
            return page
        return private(
            request.redirect(f"{case.access_url}?token={case.page_token}&lang={lang}")
        )

    # ---- the accessibility statement ------------------------------------------------
    @http.route(
        "/confirma/accessibility",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=True,
    )
    def accessibility(self, lang=None, **_kwargs):
        """The accessibility statement the law requires of every public
        website of an administration (RD 1112/2018, art. 15, on the model of
        Decision (EU) 2018/1523), linked from every public page's footer."""
        public_lang(lang)
        reviewed = fields.Date.to_date(
            request.env["ir.config_parameter"].sudo().get_param(REVIEWED_PARAM)
        )
        response = self._render(
            "confirma_tramites.accessibility_statement",
            lang_href="/confirma/accessibility?lang=",
            reviewed=reviewed,
        )
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response

    # ---- the case --------------------------------------------------------------------
    @http.route(
        "/confirma/case/<int:case_id>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
    )
    def case(self, case_id, token=None, lang=None, birthdate=None, **kwargs):
        typed = {part: kwargs.get(part) for part in DATE_PARTS}
        return private(self._case_page(case_id, token, lang, birthdate, typed))

    def _case_page(self, case_id, token, lang, birthdate, typed=None):
        case = self._case(case_id, token)
        if not case:
            return self._invalid(lang)
        lang = self._lang(case, lang)
        if not case.date_page_opened:
            # not a tracked field: no tracking to prepare either
            case.with_context(
                tracking_disable=True
            ).date_page_opened = fields.Datetime.now()
        if self._verified(case.id):
            if token:
                # verified: the token leaves the address (history, referrers)
                return request.redirect(f"{case.access_url}?lang={lang}")
            return self._state_page(case, lang) or self._render(
                "confirma_tramites.page_offer", case, lang=lang
            )
        values = {"lang": lang, "token": token}
        typed = {k: (v or "")[:8] for k, v in (typed or {}).items() if v is not None}
        posted = request.httprequest.method == "POST"
        if not posted or (birthdate is None and not typed):
            if case._page_is_locked():
                return self._render(
                    "confirma_tramites.page_locked", case, status=429, **values
                )
            return self._render("confirma_tramites.page_verify", case, **values)
        if typed:
            # three boxes: what was typed stays in them after an error; a
            # date that does not exist is a typing error, not an attempt
            values["typed"] = typed
            given = memorable_date(
                *(typed.get(part) for part in DATE_PARTS),
                today=fields.Date.context_today(case),
            )
            if given is None:
                if case._page_is_locked():
                    return self._render(
                        "confirma_tramites.page_locked", case, status=429, **values
                    )
                return self._render(
                    "confirma_tramites.page_verify",
                    case,
                    status=400,
                    invalid=True,
                    **values,
                )
        else:
            try:
                given = datetime.date.fromisoformat(birthdate)
            except ValueError:
                given = None
        result, left = case._page_check_birthdate(given)
        if result == "locked":
            return self._render(
                "confirma_tramites.page_locked", case, status=429, **values
            )
        if result == "wrong":
            return self._render(
                "confirma_tramites.page_verify",
                case,
                status=403,
                wrong=True,
                attempts_left=left,
                **values,
            )
        mark_verified(case)
        if "token" in request.httprequest.args:
            # verified: the token leaves the address (history, referrers)
            return request.redirect(f"{case.access_url}?lang={lang}")
        # the form posts the token in its body to the address without it:
        # the offer is the answer, without a second round trip
        return self._state_page(case, lang) or self._render(
            "confirma_tramites.page_offer", case, lang=lang
        )

    @http.route(
        "/confirma/case/<int:case_id>/answer",
        type="http",
        auth="public",
        methods=["POST"],
    )
    def answer(self, case_id, token=None, answer=None, reason=None, **kwargs):
        case = self._case(case_id, token)
        if not case:
            return private(self._invalid())
        lang = self._lang(case, kwargs.get("lang"))
        if not self._verified(case.id):
            # found by its token: the second factor first
            return private(
                request.redirect(f"{case.access_url}?token={token}&lang={lang}")
            )
        if answer in ("confirm", "decline"):
            case._page_answer(
                answer,
                ip=request.httprequest.remote_addr,
                reason=(reason or "").strip()[:500] or None,
                objection=bool(kwargs.get("objection")),
            )
        return private(
            self._state_page(case, lang)
            or request.redirect(f"{case.access_url}?lang={lang}")
        )

    @http.route(
        "/confirma/case/<int:case_id>/receipt",
        type="http",
        auth="public",
        methods=["GET"],
    )
    def receipt(self, case_id, token=None, **_kwargs):
        case = self._case(case_id, token)
        if (
            not case
            or not self._verified(case.id)
            or case.state
            in (
                "proposed",
                "notified",
                "expired",
                "cancelled",
            )
        ):
            return private(self._invalid())
        self._lang(case)
        content, kind = case._receipt_pdf()
        filename = f"{case.name.replace('/', '-')}.{kind}"
        mimetype = "application/pdf" if kind == "pdf" else "text/html"
        return private(
            request.make_response(
                content,
                headers=[
                    ("Content-Type", mimetype),
                    ("Content-Disposition", f'attachment; filename="{filename}"'),
                ],
            )
        )
