# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import config

from .common import ConfirmaCitizenCommon

# what the resident form asks for, in the shape the web client sends it
FORM_SPEC = {
    "display_name": {},
    "name": {},
    "is_resident": {},
    "first_name": {},
    "surname1": {},
    "document_number": {},
    "household_id": {"fields": {"display_name": {}}},
    "parent_id": {"fields": {"display_name": {}}},
    "child_ids": {"fields": {"name": {}, "is_resident": {}}},
}


class AccessLogCommon(ConfirmaCitizenCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.auditor = new_test_user(
            cls.env,
            login="confirma_access_auditor",
            groups="confirma_citizen.group_access_auditor",
        )
        cls.household = cls.env["confirma.household"].create({"name": "AL-H1"})
        # the resident lives alone in the household; the neighbour has none
        cls.resident, cls.neighbour = cls.env["res.partner"].create(
            [
                {
                    "is_resident": True,
                    "first_name": first,
                    "surname1": "Trail",
                    "padron_state": "active",
                    "household_id": household.id,
                }
                for first, household in (
                    ("Rosa", cls.household),
                    ("Pau", cls.env["confirma.household"]),
                )
            ]
        )
        cls.contact = cls.env["res.partner"].create({"name": "A supplier"})
        cls.Log = cls.env["confirma.access.log"]

    def opens(self, records):
        return self.Log.search(
            [("res_model", "=", records._name), ("res_id", "in", records.ids)]
        )


@tagged("post_install", "-at_install")
class TestAccessLog(AccessLogCommon):
    def test_form_open_logged_once(self):
        """A web_read of one resident, as the form does it, is one row: who,
        what, which resident, when, the company; from server code (no
        request) the channel is 'server' and there is no address."""
        with freeze_time("2026-03-02 10:00:00"):
            values = (
                self.resident.with_user(self.officer_citizen)
                .with_context(bin_size=True)
                .web_read(FORM_SPEC)
            )
        self.assertEqual(values[0]["first_name"], "Rosa")
        log = self.opens(self.resident)
        self.assertEqual(len(log), 1)
        self.assertEqual(log.user_id, self.officer_citizen)
        self.assertEqual(log.partner_id, self.resident)
        self.assertEqual(log.model_id.model, "res.partner")
        self.assertEqual(log.res_name, self.resident.display_name)
        self.assertEqual(str(log.date), "2026-03-02 10:00:00")
        self.assertEqual(log.company_id, self.resident.company_id)
        self.assertEqual(log.kind, "server")
        self.assertFalse(log.ip_address)
        # the household and its members were not opened: one row in all
        self.assertEqual(self.Log.search_count([]), 1)

    def test_lists_and_names_not_logged(self):
        """List and kanban reads (even of one record), reads of several
        records, names only, plain read() and non-residents are not
        'opened'."""
        Partner = self.env["res.partner"].with_user(self.officer_citizen)
        Partner.web_search_read([("id", "=", self.resident.id)], FORM_SPEC)
        Partner.web_search_read(
            [("id", "in", (self.resident | self.neighbour).ids)], FORM_SPEC
        )
        (self.resident | self.neighbour).with_user(self.officer_citizen).web_read(
            FORM_SPEC
        )
        self.resident.with_user(self.officer_citizen).web_read({"display_name": {}})
        self.resident.with_user(self.officer_citizen).read(["name", "first_name"])
        self.contact.with_user(self.officer_citizen).web_read(FORM_SPEC)
        self.assertFalse(self.Log.search([]))

    def test_refused_read_not_logged(self):
        """A user who cannot read residents opened nothing."""
        with self.assertRaises(AccessError):
            self.resident.with_user(self.user_internal).web_read(FORM_SPEC)
        self.assertFalse(self.Log.search([]))

    def test_trail_access_rights(self):
        """Officers do not see the trail; auditors read and search it; nobody
        writes, creates or deletes it, not even managers or the superuser."""
        self.resident.with_user(self.officer_citizen).web_read(FORM_SPEC)
        log = self.opens(self.resident)
        for user in (self.user_citizen, self.officer_citizen, self.manager_citizen):
            with self.subTest(user=user.login):
                Log = self.Log.with_user(user)
                with self.assertRaises(AccessError):
                    Log.search([])
                with self.assertRaises(AccessError):
                    log.with_user(user).read(["res_name"])
        found = self.Log.with_user(self.auditor).search(
            [
                ("partner_id", "=", self.resident.id),
                ("user_id", "=", self.officer_citizen.id),
            ]
        )
        self.assertEqual(found, log)
        self.assertEqual(found.read(["res_name"])[0]["res_name"], log.res_name)
        for Log in (
            self.Log.with_user(self.officer_citizen),
            self.Log.with_user(self.auditor),
            self.Log.with_user(self.manager_citizen),
            self.Log.sudo(),
        ):
            with self.subTest(user=Log.env.user.login, su=Log.env.su):
                with self.assertRaises(AccessError):
                    log.with_env(Log.env).write({"res_name": "changed"})
                with self.assertRaises(AccessError):
                    log.with_env(Log.env).unlink()
                with self.assertRaises(AccessError):
                    Log.create(
                        {
                            "date": "2026-01-01",
                            "user_id": self.officer_citizen.id,
                            "res_model": "res.partner",
                            "res_id": self.resident.id,
                            "kind": "server",
                            "company_id": self.company.id,
                        }
                    )
        self.assertEqual(self.opens(self.resident).res_name, log.res_name)

    def test_multi_company(self):
        """An auditor sees the opens of their own municipalities' records only."""
        town_b = self.env["res.company"].create({"name": "Ajuntament B"})
        resident_b = self.env["res.partner"].create(
            {
                "is_resident": True,
                "first_name": "Berta",
                "surname1": "Other",
                "company_id": town_b.id,
            }
        )
        officer_b = new_test_user(
            self.env,
            login="confirma_officer_b",
            groups="confirma_citizen.group_officer",
            company_id=town_b.id,
            company_ids=[(6, 0, town_b.ids)],
        )
        resident_b.with_user(officer_b).web_read(FORM_SPEC)
        self.resident.with_user(self.officer_citizen).web_read(FORM_SPEC)
        self.assertEqual(self.opens(resident_b).company_id, town_b)
        seen = self.Log.with_user(self.auditor).search([])
        self.assertEqual(seen.partner_id, self.resident)
        self.auditor.company_ids = [(4, town_b.id)]
        seen = (
            self.Log.with_user(self.auditor)
            .with_context(allowed_company_ids=[self.company.id, town_b.id])
            .search([])
        )
        self.assertEqual(seen.partner_id, self.resident | resident_b)

    def test_purge_old_entries_only(self):
        """The daily purge deletes the entries older than the retention
        period (730 days by default), batch by batch, and nothing else."""
        officer = self.resident.with_user(self.officer_citizen)
        with freeze_time("2024-01-10 09:00:00"):
            officer.web_read(FORM_SPEC)
            self.neighbour.with_user(self.officer_citizen).web_read(FORM_SPEC)
        with freeze_time("2026-01-05 09:00:00"):
            officer.web_read(FORM_SPEC)
        cron = self.env.ref("confirma_citizen.ir_cron_access_log_purge")
        self.assertEqual(cron.user_id, self.env.ref("base.user_root"))
        with freeze_time("2026-01-12 09:00:00"):
            cron.method_direct_trigger()
        logs = self.Log.search([])
        self.assertEqual(len(logs), 1)
        self.assertEqual(str(logs.date), "2026-01-05 09:00:00")
        # retention 0 keeps everything; a shorter one purges in batches
        icp = self.env["ir.config_parameter"].sudo()
        icp.set_param("confirma_citizen.access_log_retention_days", "0")
        with freeze_time("2030-01-01"):
            self.assertEqual(self.Log._cron_purge(), 0)
        self.assertEqual(len(self.Log.search([])), 1)
        with freeze_time("2026-01-06 09:00:00"):
            officer.web_read(FORM_SPEC)
        icp.set_param("confirma_citizen.access_log_retention_days", "1")
        with freeze_time("2026-01-08 10:00:00"):
            self.assertEqual(self.Log._cron_purge(batch=1), 1)
            self.assertEqual(self.Log._cron_purge(batch=1), 1)
            self.assertEqual(self.Log._cron_purge(batch=1), 0)
        self.assertFalse(self.Log.search([]))

    def test_resident_opens_for_auditors(self):
        """The resident form counts the opens of the resident, for auditors;
        the count is hidden from everybody else."""
        self.resident.with_user(self.officer_citizen).web_read(FORM_SPEC)
        self.resident.with_user(self.manager_citizen).web_read(FORM_SPEC)
        self.assertEqual(self.resident.with_user(self.auditor).access_log_count, 2)
        with self.assertRaises(AccessError):
            self.resident.with_user(self.officer_citizen).read(["access_log_count"])
        # the auditor's own open (of the resident, to see the count) counts too
        self.resident.with_user(self.auditor).web_read(
            dict(FORM_SPEC, access_log_count={})
        )
        self.assertEqual(len(self.opens(self.resident)), 3)
        self.assertTrue(self.auditor.has_group("confirma_citizen.group_user"))
        self.assertFalse(
            self.manager_citizen.has_group("confirma_citizen.group_access_auditor")
        )


@tagged("post_install", "-at_install")
class TestAccessLogHttp(HttpCase, AccessLogCommon):
    def _call(self, model, method, args, kwargs, headers=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs},
            headers=headers,
        )

    def test_form_open_over_json_rpc(self):
        """An officer's web client opening a resident: one row, with the
        client's address, on a read/write cursor (no read-only retry)."""
        self.authenticate(self.officer_citizen.login, self.officer_citizen.login)
        with self.assertNoLogs("odoo.http", "WARNING"):
            values = self._call(
                "res.partner",
                "web_read",
                [[self.resident.id]],
                {"specification": FORM_SPEC, "context": {"bin_size": True}},
            )
        self.assertEqual(values[0]["id"], self.resident.id)
        log = self.opens(self.resident)
        self.assertEqual(len(log), 1)
        self.assertEqual(log.user_id, self.officer_citizen)
        self.assertEqual(log.partner_id, self.resident)
        self.assertEqual(log.ip_address, "127.0.0.1")
        self.assertEqual(log.kind, "web")
        self.assertEqual(self.Log.search_count([]), 1)

    def test_lists_over_json_rpc_not_logged(self):
        """The list view (even with one row), an x2many page, a many2one's
        name and a household form showing its only member write nothing."""
        self.authenticate(self.officer_citizen.login, self.officer_citizen.login)
        self._call(
            "res.partner",
            "web_search_read",
            [],
            {"domain": [("id", "=", self.resident.id)], "specification": FORM_SPEC},
        )
        self._call(
            "res.partner",
            "web_read",
            [(self.resident | self.neighbour).ids],
            {"specification": FORM_SPEC},
        )
        self._call(
            "confirma.household",
            "web_read",
            [[self.household.id]],
            {"specification": {"name": {}, "member_ids": {"fields": FORM_SPEC}}},
        )
        self._call(
            "res.partner",
            "web_read",
            [[self.resident.id]],
            {"specification": {"display_name": {}}},
        )
        self.assertFalse(self.Log.search([]))

    def test_proxy_address(self):
        """Behind a reverse proxy (proxy mode), the client's address is the
        one the proxy forwarded."""
        self.authenticate(self.officer_citizen.login, self.officer_citizen.login)
        host = self.base_url().split("//", 1)[1]
        with patch.dict(config.options, {"proxy_mode": True}):
            self._call(
                "res.partner",
                "web_read",
                [[self.resident.id]],
                {"specification": FORM_SPEC},
                headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Host": host},
            )
        self.assertEqual(self.opens(self.resident).ip_address, "203.0.113.7")

    def test_form_open_in_browser(self):
        """A real browser: the officer opens the resident's form from the
        Residents menu: exactly one row."""
        code = """
            const check = () => {
                const crumbs = document.querySelector(".o_breadcrumb");
                const form = document.querySelector(".o_form_view .o_form_sheet");
                if (form && crumbs && crumbs.textContent.includes("Rosa")) {
                    console.log("test successful");
                } else {
                    setTimeout(check, 100);
                }
            };
            check();
        """
        self.browser_js(
            "/odoo/action-confirma_citizen.res_partner_action_resident/"
            f"{self.resident.id}",
            code,
            login=self.officer_citizen.login,
            timeout=180,
        )
        log = self.opens(self.resident)
        self.assertEqual(len(log), 1)
        self.assertEqual(log.user_id, self.officer_citizen)
        self.assertEqual(log.kind, "web")
        self.assertEqual(log.ip_address, "127.0.0.1")
        self.assertFalse(self.Log.search([("id", "!=", log.id)]))
