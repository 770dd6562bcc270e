# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.confirma_citizen.tests.common import (
    ConfirmaCitizenCommon,
    new_role_users,
)


class ConfirmaTramitesCommon(ConfirmaCitizenCommon):
    """Base class of the Confirm@ Procedures tests: a user per role of this addon."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_tramites, cls.officer_tramites, cls.manager_tramites = new_role_users(
            cls.env, "confirma_tramites", "tramites"
        )
