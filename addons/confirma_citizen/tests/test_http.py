# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestHttp(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env, login="confirma_http_user", groups="confirma_citizen.group_user"
        )

    def test_login_page(self):
        response = self.url_open("/web/login")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"login", response.content)

    def test_residents_app_in_browser(self):
        """A Confirm@ user opens the Residents list in a real browser."""
        code = """
            const check = () => document.querySelector(".o_list_view")
                ? console.log("test successful")
                : setTimeout(check, 100);
            check();
        """
        self.browser_js(
            "/odoo/action-confirma_citizen.res_partner_action_resident",
            code,
            login="confirma_http_user",
            timeout=180,
        )
