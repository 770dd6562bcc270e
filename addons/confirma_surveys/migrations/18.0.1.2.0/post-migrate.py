# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One answer per invitation: the shipped residents' survey (kept by the
town since it is not updated) no longer offers "Take Again"."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    survey = env.ref(
        "confirma_surveys.survey_citizen_satisfaction", raise_if_not_found=False
    )
    if survey and survey.access_mode == "token" and not survey.is_attempts_limited:
        survey.write({"is_attempts_limited": True, "attempts_limit": 1})
