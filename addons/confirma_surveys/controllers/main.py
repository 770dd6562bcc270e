# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The survey pages for the anonymous staff rounds.

An answer of a staff round carries no partner: Odoo's survey would refuse
it to a logged-in officer ("answer_wrong_user": the answer's partner is not
theirs), and would write their user on the answer and its lines (create_uid,
write_uid). The personal link is the only key: the partner check is skipped,
and what the officer answers is written by the system, not by them.
"""

from odoo import SUPERUSER_ID, http
from odoo.http import request

from odoo.addons.confirma_tramites.controllers.main import ConfirmaPage, private
from odoo.addons.survey.controllers.main import Survey


class ConfirmaSurvey(Survey):
    def _fetch_from_access_token(self, survey_token, answer_token):
        survey_sudo, answer_sudo = super()._fetch_from_access_token(
            survey_token, answer_token
        )
        if answer_sudo.confirma_staff_survey_id:
            answer_sudo = answer_sudo.with_user(SUPERUSER_ID)
        return survey_sudo, answer_sudo

    def _check_validity(
        self, survey_token, answer_token, ensure_token=True, check_partner=True
    ):
        if check_partner and answer_token:
            _survey_sudo, answer_sudo = self._fetch_from_access_token(
                survey_token, answer_token
            )
            if answer_sudo.confirma_staff_survey_id:
                check_partner = False
        return super()._check_validity(
            survey_token,
            answer_token,
            ensure_token=ensure_token,
            check_partner=check_partner,
        )


class ConfirmaSurveyCode(http.Controller):
    """/confirma/survey: the short code printed on a survey letter opens
    the resident's survey (instead of typing a 100-character link). Wrong
    codes are counted on the server per client address and code, as for
    the offers' codes."""

    @http.route("/confirma/survey", type="http", auth="public", methods=["GET", "POST"])
    def survey_code(self, code=None, lang=None, **_kwargs):
        page = ConfirmaPage()
        lang = page._lang(lang=lang)
        if request.httprequest.method == "GET":
            return private(page._render("confirma_surveys.page_survey_code", lang=lang))
        answer, response = page._find_typed(
            "confirma_surveys.page_survey_code",
            lang,
            lambda: request.env["survey.user_input"]._confirma_find_by_code(code),
            code,
        )
        if not answer:
            return response
        return private(request.redirect(answer.get_start_url()))
