# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import new_test_user

from odoo.addons.confirma_citizen.tests.common import ConfirmaCitizenCommon


class ConfirmaSurveysCommon(ConfirmaCitizenCommon):
    """Base class of the Confirm@ Surveys tests: a user per role of this addon."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_surveys = new_test_user(
            cls.env, login="surveys_user", groups="confirma_surveys.group_user"
        )
        cls.officer_surveys = new_test_user(
            cls.env, login="surveys_officer", groups="confirma_surveys.group_officer"
        )
        cls.manager_surveys = new_test_user(
            cls.env,
            login="surveys_manager",
            groups="confirma_surveys.group_manager,base.group_system",
        )
