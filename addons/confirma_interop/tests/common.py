# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.confirma_citizen.tests.common import (
    ConfirmaCitizenCommon,
    new_role_users,
)


class ConfirmaInteropCommon(ConfirmaCitizenCommon):
    """Base class of the Confirm@ Interoperability tests: one user per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_interop, cls.officer_interop, cls.manager_interop = new_role_users(
            cls.env, "confirma_interop", "interop"
        )
