# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import new_test_user

from odoo.addons.confirma_citizen.tests.common import ConfirmaCitizenCommon


class ConfirmaInteropCommon(ConfirmaCitizenCommon):
    """Base class of the Confirm@ Interoperability tests: one user per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_interop = new_test_user(
            cls.env, login="interop_user", groups="confirma_interop.group_user"
        )
        cls.officer_interop = new_test_user(
            cls.env, login="interop_officer", groups="confirma_interop.group_officer"
        )
        cls.manager_interop = new_test_user(
            cls.env,
            login="interop_manager",
            groups="confirma_interop.group_manager,base.group_system",
        )
