# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.confirma_citizen.tests.common import (
    ConfirmaCitizenCommon,
    new_role_users,
)


class ConfirmaSurveysCommon(ConfirmaCitizenCommon):
    """Base class of the Confirm@ Surveys tests: a user per role of this addon."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_surveys, cls.officer_surveys, cls.manager_surveys = new_role_users(
            cls.env, "confirma_surveys", "surveys"
        )
