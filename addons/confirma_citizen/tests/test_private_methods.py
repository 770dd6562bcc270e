# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Methods that take server paths or callables are not callable over RPC."""

import io

from odoo.tests import HttpCase, tagged

from .common import (
    ConfirmaImportCommon,
    JsonRpcMixin,
    last_job_id,
    opened_files,
    run_stored_jobs,
)


@tagged("post_install", "-at_install")
class TestPrivateMethods(HttpCase, ConfirmaImportCommon, JsonRpcMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.record = (
            cls.env["confirma.padron.import"]
            .with_user(cls.officer_citizen)
            .import_file(io.BytesIO(cls.csv_bytes(cls.row("12345678Z"))), "p.csv")
        )

    def test_import_methods_refused_over_rpc(self):
        """A padrón officer, logged in, cannot make the server open a path
        (nor run an import, nor its summary) through JSON-RPC."""
        login = self.officer_citizen.login
        self.authenticate(login, login)
        model = "confirma.padron.import"
        # the officer's session works: public methods answer
        self.assertEqual(
            self.call_kw(model, "search_count", [[("id", "=", self.record.id)]]),
            {"jsonrpc": "2.0", "id": 1, "result": 1},
        )
        imports = self.env[model].search_count([])
        with opened_files() as opened:
            self.assert_not_remote(model, "import_file", ["/etc/passwd", "passwd"])
            self.assert_not_remote(
                model,
                "import_file",
                [],
                {"path_or_binary": "/etc/passwd", "filename": "passwd.csv"},
            )
            self.assert_not_remote(model, "run", [[self.record.id], "/etc/passwd"])
            self.assert_not_remote(model, "summary_line", [[self.record.id]])
        self.assertNotIn("/etc/passwd", opened)
        self.assertEqual(self.env[model].search_count([]), imports)

    def test_wizard_still_imports(self):
        """The wizard (its button over RPC) still imports for the officer."""
        import base64

        login = self.officer_citizen.login
        self.authenticate(login, login)
        wizard = self.call_kw(
            "confirma.padron.import.wizard",
            "create",
            [
                {
                    "file": base64.b64encode(
                        self.csv_bytes(self.row("X1234567L"))
                    ).decode(),
                    "filename": "p2.csv",
                }
            ],
        )["result"]
        queued_after = last_job_id(self.env)
        answer = self.call_kw(
            "confirma.padron.import.wizard", "action_import", [wizard]
        )
        record = self.env["confirma.padron.import"].browse(answer["result"]["res_id"])
        # the request read the file and queued its jobs; the runner runs them
        self.assertEqual((record.state, record.created), ("running", 0))
        self.assertEqual(len(run_stored_jobs(self.env, queued_after)), 2)
        self.env.invalidate_all()
        self.assertEqual((record.created, record.user_id), (1, self.officer_citizen))
