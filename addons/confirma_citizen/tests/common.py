# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, new_test_user


class ConfirmaCitizenCommon(TransactionCase):
    """Base class of the Confirm@ Residents tests: one user per role.

    Downstream addons subclass it to get the same users.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.user_internal = new_test_user(
            cls.env, login="confirma_internal", groups="base.group_user"
        )
        cls.user_citizen = new_test_user(
            cls.env, login="confirma_user", groups="confirma_citizen.group_user"
        )
        cls.officer_citizen = new_test_user(
            cls.env, login="confirma_officer", groups="confirma_citizen.group_officer"
        )
        cls.manager_citizen = new_test_user(
            cls.env,
            login="confirma_manager",
            groups="confirma_citizen.group_manager,base.group_system",
        )
