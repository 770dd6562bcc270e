# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Workers that start warm.

With worker processes, Odoo loads the registry in its main process and forks
the workers from it. Each worker then builds for itself, at its first
request, what every request needs: the static paths of every addon (reading
all their manifests), the routing map, the compiled templates of the page
and the links of its style sheet. On a server just (re)started, the first
residents wait for that: seconds per worker. Built once in the main process,
before the fork, all of it is inherited by every worker (and by the workers
forked later, when Odoo recycles them)."""

import logging
import threading

import odoo
from odoo import api, models
from odoo.tools import config

_logger = logging.getLogger(__name__)

#: the templates of the confirmation page, as its routes render them
PAGE_TEMPLATES = (
    "confirma_tramites.page_lookup",
    "confirma_tramites.page_invalid",
    "confirma_tramites.page_verify",
    "confirma_tramites.page_locked",
    "confirma_tramites.page_offer",
    "confirma_tramites.page_receipt",
    "confirma_tramites.page_declined",
    "confirma_tramites.page_closed",
    "confirma_tramites.page_layout",
    "confirma_tramites.page_phases",
    "web.layout",
)


def forking_workers():
    """This process is the main one of a server about to fork HTTP workers
    (not an installation, an update, a test run or a shell)."""
    return bool(
        config["workers"]
        and not odoo.evented
        and not config["stop_after_init"]
        and not config["init"]
        and not config["update"]
        and not config["test_enable"]
        and not config["test_file"]
    )


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def _register_hook(self):
        super()._register_hook()
        if forking_workers():
            self._confirma_warm_up()

    @api.model
    def _confirma_warm_up(self):
        """Build what the confirmation page's requests need, for every
        installed language: never fails the server's start."""
        # the routing map reads the database from the thread, as Odoo's
        # preloading sets it
        thread = threading.current_thread()
        unnamed = not getattr(thread, "dbname", None)
        if unnamed:
            thread.dbname = self.env.cr.dbname
        try:
            len(odoo.http.root.statics)  # a lazy property: built here
            self.routing_map()
            for lang, _name in self.env["res.lang"].get_installed():
                qweb = self.env["ir.qweb"].with_context(lang=lang)
                for template in PAGE_TEMPLATES:
                    qweb._compile(template)
                qweb._get_asset_links("web.assets_frontend", css=True, js=False)
        except Exception:  # noqa: BLE001 - a cold worker is slower, not broken
            _logger.warning("Confirm@: warming the workers up failed", exc_info=True)
            return False
        finally:
            if unnamed:
                del thread.dbname
        return True
