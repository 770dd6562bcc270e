# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Workers forked warm: the main process builds what the page needs."""

from unittest.mock import patch

from odoo.tests import TransactionCase, tagged
from odoo.tools import config

from ..models import ir_http

SERVING = {
    "workers": 5,
    "stop_after_init": False,
    "init": {},
    "update": {},
    "test_enable": False,
    "test_file": False,
}


@tagged("post_install", "-at_install")
class TestWarmUp(TransactionCase):
    def test_only_a_server_about_to_fork_warms_up(self):
        with patch.dict(config.options, SERVING):
            self.assertTrue(ir_http.forking_workers())
        for option, value in (
            ("workers", 0),
            ("stop_after_init", True),
            ("update", {"confirma_tramites": 1}),
            ("test_enable", True),
        ):
            with patch.dict(config.options, dict(SERVING, **{option: value})):
                self.assertFalse(ir_http.forking_workers(), option)
        self.assertFalse(ir_http.forking_workers())  # this test run

    def test_warm_up_compiles_the_page_in_every_language(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.env.registry.clear_cache("templates")
        cache = self.env.registry._Registry__caches["templates.cached_values"]
        self.assertFalse(len(cache))
        with patch.dict(config.options, SERVING):
            self.env["ir.http"]._register_hook()
        langs = len(self.env["res.lang"].get_installed())
        self.assertGreaterEqual(langs, 2)
        # one compiled template per page template and language
        self.assertGreaterEqual(len(cache), len(ir_http.PAGE_TEMPLATES) * langs)

    def test_a_failing_warm_up_does_not_stop_the_server(self):
        # a fault injected where the warm-up builds the routing map
        broken = ValueError("a controller that cannot be routed")
        with (
            patch.object(type(self.env["ir.http"]), "routing_map", side_effect=broken),
            self.assertLogs("odoo.addons.confirma_tramites.models.ir_http", "WARNING"),
        ):
            self.assertFalse(self.env["ir.http"]._confirma_warm_up())
