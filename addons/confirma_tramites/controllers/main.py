# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The resident's confirmation page: public, no Odoo account needed.

Reached by the link or QR code of a letter or message (case id and an
unguessable token) or by typing the short code and the document number.
Nothing personal is shown until the resident gives a second factor, their
birth date; wrong answers are counted per case and lock the page for a
while. Every state has its own page: a wrong link, a locked case, an offer
already answered, expired or cancelled; an answer never takes effect twice.
"""

import datetime

from dateutil.relativedelta import relativedelta

from odoo import fields, http
from odoo.http import request

from ..models.res_partner import RESIDENT_LANGS

SESSION_KEY = "confirma_cases"
LOOKUP_KEY = "confirma_lookup"
LOOKUP_ATTEMPTS = 5
LOOKUP_LOCK_MINUTES = 15


def mark_verified(case):
    """The session has proven who the resident of ``case`` is (birth date,
    or a portal login): the page shows it without asking again."""
    verified = list(request.session.get(SESSION_KEY, []))
    if case.id not in verified:
        verified.append(case.id)
    request.session[SESSION_KEY] = verified[-20:]


class ConfirmaPage(http.Controller):
    # ---- helpers ---------------------------------------------------------------------
    def _lang(self, case=None, lang=None):
        """Show the page in ``lang`` (es/ca) or the resident's language."""
        installed = {code for code, _name in request.env["res.lang"].get_installed()}
        code = RESIDENT_LANGS.get(lang or "")
        if not code and case:
            code = case.partner_id._confirma_lang_code()
        if code in installed:
            request.update_context(lang=code)
        return next(
            (short for short, full in RESIDENT_LANGS.items() if full == code), "es"
        )

    def _render(self, template, case=None, status=200, **values):
        values.setdefault("case", case)
        values.setdefault(
            "company",
            (case.company_id if case else None) or (request.env.company.sudo()),
        )
        values.setdefault("langs", RESIDENT_LANGS)
        # "lang" is QWeb's own (the full code): the page's is "page_lang"
        values["page_lang"] = values.pop("lang", None) or "es"
        values.setdefault("token", None)
        # the page's language, for screen readers and hyphenation
        values["html_data"] = {"lang": (request.env.lang or "es_ES").replace("_", "-")}
        return request.render(template, values, status=status)

    def _verified(self, case):
        return case.id in request.session.get(SESSION_KEY, [])

    def _state_page(self, case, lang):
        """The page of a case that no longer takes an answer, or None."""
        state = case.state
        if state in ("proposed", "notified"):
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
    @http.route("/confirma", type="http", auth="public", methods=["GET", "POST"])
    def lookup(self, code=None, document=None, lang=None, **_kwargs):
        lang = self._lang(lang=lang)
        if request.httprequest.method == "GET":
            return self._render("confirma_tramites.page_lookup", lang=lang)
        state = request.session.get(LOOKUP_KEY) or {}
        now = fields.Datetime.now()
        locked = state.get("locked_until")
        if locked and fields.Datetime.to_datetime(locked) > now:
            return self._render(
                "confirma_tramites.page_lookup", lang=lang, locked=True, status=429
            )
        case = request.env["confirma.case"]._page_lookup(code, document)
        if not case:
            failures = state.get("failures", 0) + 1
            state = {"failures": failures}
            if failures >= LOOKUP_ATTEMPTS:
                state = {
                    "failures": 0,
                    "locked_until": fields.Datetime.to_string(
                        now + relativedelta(minutes=LOOKUP_LOCK_MINUTES)
                    ),
                }
            request.session[LOOKUP_KEY] = state
            locked = "locked_until" in state
            return self._render(
                "confirma_tramites.page_lookup",
                lang=lang,
                not_found=True,
                locked=locked,
                code=code,
                status=429 if locked else 404,
            )
        request.session[LOOKUP_KEY] = {}
        return request.redirect(
            f"{case.access_url}?token={case.access_token}&lang={lang}"
        )

    # ---- the case --------------------------------------------------------------------
    @http.route(
        "/confirma/case/<int:case_id>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
    )
    def case(self, case_id, token=None, lang=None, birthdate=None, **_kwargs):
        case = request.env["confirma.case"]._page_find(case_id, token)
        if not case:
            lang = self._lang(lang=lang)
            return self._render("confirma_tramites.page_invalid", lang=lang, status=404)
        lang = self._lang(case, lang)
        if not case.date_page_opened:
            case.date_page_opened = fields.Datetime.now()
        values = {"lang": lang, "token": token}
        if not self._verified(case):
            if case._page_is_locked():
                return self._render(
                    "confirma_tramites.page_locked", case, status=429, **values
                )
            if request.httprequest.method != "POST" or birthdate is None:
                return self._render("confirma_tramites.page_verify", case, **values)
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
        return self._state_page(case, lang) or self._render(
            "confirma_tramites.page_offer", case, **values
        )

    @http.route(
        "/confirma/case/<int:case_id>/answer",
        type="http",
        auth="public",
        methods=["POST"],
    )
    def answer(self, case_id, token=None, answer=None, reason=None, **kwargs):
        case = request.env["confirma.case"]._page_find(case_id, token)
        if not case:
            self._lang()
            return self._render("confirma_tramites.page_invalid", status=404)
        lang = self._lang(case, kwargs.get("lang"))
        if not self._verified(case):
            return request.redirect(f"{case.access_url}?token={token}&lang={lang}")
        if answer in ("confirm", "decline"):
            case._page_answer(
                answer,
                ip=request.httprequest.remote_addr,
                reason=(reason or "").strip()[:500] or None,
                objection=bool(kwargs.get("objection")),
            )
        return self._state_page(case, lang) or request.redirect(
            f"{case.access_url}?token={token}&lang={lang}"
        )

    @http.route(
        "/confirma/case/<int:case_id>/receipt",
        type="http",
        auth="public",
        methods=["GET"],
    )
    def receipt(self, case_id, token=None, **_kwargs):
        case = request.env["confirma.case"]._page_find(case_id, token)
        if (
            not case
            or not self._verified(case)
            or case.state
            in (
                "proposed",
                "notified",
                "expired",
                "cancelled",
            )
        ):
            self._lang()
            return self._render("confirma_tramites.page_invalid", status=404)
        self._lang(case)
        report = request.env["ir.actions.report"].sudo()
        content, kind = report._render_qweb_pdf(
            "confirma_tramites.action_report_case_receipt", [case.id]
        )
        filename = f"{case.name.replace('/', '-')}.{kind}"
        mimetype = "application/pdf" if kind == "pdf" else "text/html"
        return request.make_response(
            content,
            headers=[
                ("Content-Type", mimetype),
                ("Content-Disposition", f'attachment; filename="{filename}"'),
            ],
        )
