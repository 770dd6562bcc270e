# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import new_test_user

from odoo.addons.confirma_citizen.tests.common import ConfirmaCitizenCommon


class ConfirmaTramitesCommon(ConfirmaCitizenCommon):
    """Base class of the Confirm@ Procedures tests: a user per role of this addon."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_tramites = new_test_user(
            cls.env, login="tramites_user", groups="confirma_tramites.group_user"
        )
        cls.officer_tramites = new_test_user(
            cls.env, login="tramites_officer", groups="confirma_tramites.group_officer"
        )
        cls.manager_tramites = new_test_user(
            cls.env,
            login="tramites_manager",
            groups="confirma_tramites.group_manager,base.group_system",
        )
