# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Confirm@ surveys User role no longer implies Odoo's Surveys: User role
(which gave create/edit/delete on every survey answer). The group is in a
noupdate block: drop the implication on databases installed before. Users
keep the Odoo role they already hold (it may have been given on purpose);
the Confirm@ answers are protected from it by the answers' own check."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    group = env.ref("confirma_surveys.group_user", raise_if_not_found=False)
    survey_user = env.ref("survey.group_survey_user", raise_if_not_found=False)
    if not group or not survey_user or survey_user not in group.implied_ids:
        return
    group.write({"implied_ids": [(3, survey_user.id)]})
    _logger.info(
        "confirma_surveys: the User role no longer implies Odoo's Surveys: User "
        "(%s user(s) keep it; remove it by hand where it was not meant)",
        len(group.users & survey_user.users),
    )
