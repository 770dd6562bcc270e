# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The findings of the confirmation page's penetration test, replayed as the
tester did (logged out, with nothing but the offer's link), each against
the defence that closes it."""

import datetime
import importlib.util
import json
import pathlib
from unittest.mock import patch

from freezegun import freeze_time
from urllib3.util import parse_url

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import config, mute_logger, sql

from ..controllers.main import PRIVATE_HEADERS
from .common import REFERENCE, ConfirmaPopulationCommon
from .test_confirmation_page import CSRF, ConfirmationPageCommon

RIGHT = datetime.date(1959, 6, 15)  # Anna's birth date
WRONG = datetime.date(1960, 1, 1)
MIGRATION = pathlib.Path(__file__).parents[1] / "migrations/18.0.1.1.0/pre-migrate.py"


def new_session(opener):
    """Forget the session cookie (a new client); the test cursor's stays."""
    if "session_id" in opener.cookies:
        del opener.cookies["session_id"]


@tagged("post_install", "-at_install")
class TestPageChatter(ConfirmationPageCommon):
    """Finding 1: the link opened the case's chatter through Odoo's generic
    portal and mail routes, without the birth date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # what the tester read behind the link
        cls.case.activity_schedule(
            "mail.mail_activity_data_todo",
            summary="Call Anna back",
            note="Ask for the income statement",
            user_id=cls.officer_tramites.id,
        )
        cls.env["ir.attachment"].create(
            {
                "name": "anna-dni.pdf",
                "res_model": "confirma.case",
                "res_id": cls.case.id,
                "raw": b"%PDF-1.4",
            }
        )
        follower = cls.env["res.partner"].create(
            {"name": "Social worker", "email": "worker@example.org"}
        )
        cls.case.message_subscribe(partner_ids=follower.ids)
        # portal's own token exists once Odoo notified the resident
        cls.portal_token = cls.case._portal_ensure_token()

    def thread(self, **auth):
        return {"thread_model": "confirma.case", "thread_id": self.case.id, **auth}

    def credentials(self):
        """Every way the generic routes took to open a thread: the link's
        token, portal's token and a notification's signature."""
        pid = self.anna.id
        return (
            {"token": self.case.page_token},
            {"token": self.portal_token},
            {"hash": self.case._sign_token(pid), "pid": pid},
        )

    def test_chatter_init_shows_nothing(self):
        for auth in self.credentials():
            with self.subTest(auth=sorted(auth)):
                result = self.make_jsonrpc_request(
                    "/portal/chatter_init", self.thread(**auth)
                )
                text = json.dumps(result)
                self.assertNotIn("Anna", text)
                self.assertNotIn("portal_partner", text)

    def test_thread_data_shows_nothing(self):
        for auth in self.credentials():
            with self.subTest(auth=sorted(auth)):
                result = self.make_jsonrpc_request(
                    "/mail/thread/data",
                    self.thread(
                        request_list=["activities", "attachments", "followers"],
                        **auth,
                    ),
                )
                text = json.dumps(result)
                self.assertIn('"hasReadAccess": false', text)
                self.assertIn('"hasWriteAccess": false', text)
                for secret in (
                    "Call Anna back",
                    "income statement",
                    "anna-dni.pdf",
                    "worker@example.org",
                ):
                    self.assertNotIn(secret, text)

    def test_message_post_refused(self):
        for auth in self.credentials():
            with (
                self.subTest(auth=sorted(auth)),
                self.assertRaises(JsonRpcException),
                mute_logger("odoo.http"),
            ):
                self.make_jsonrpc_request(
                    "/mail/message/post",
                    self.thread(
                        post_data={
                            "body": "Posted with the link",
                            "message_type": "comment",
                        },
                        **auth,
                    ),
                )
        self.assertFalse(
            self.env["mail.message"].search([("body", "ilike", "Posted with the link")])
        )

    def test_attachment_upload_refused(self):
        csrf = CSRF.search(self.get("/confirma").text).group(1)
        for auth in self.credentials():
            with self.subTest(auth=sorted(auth)), mute_logger("odoo.http"):
                response = self.url_open(
                    "/mail/attachment/upload",
                    data={"csrf_token": csrf, **self.thread(**auth)},
                    files={"ufile": ("evil.html", b"<script></script>", "text/html")},
                )
                self.assertEqual(response.status_code, 404)
        self.assertFalse(self.env["ir.attachment"].search([("name", "=", "evil.html")]))

    def test_locked_page_keeps_the_chatter_closed(self):
        self.case.page_blocked = True
        result = self.make_jsonrpc_request(
            "/mail/thread/data",
            self.thread(request_list=["activities"], token=self.case.page_token),
        )
        self.assertNotIn("Call Anna back", json.dumps(result))

    def test_record_rules_still_open_it_and_the_page_still_works(self):
        # the page, with the link and the birth date
        self.assertIn("Anna", self.verify().text)
        # the chatter, for whom the record rules let in
        self.authenticate(self.officer_tramites.login, self.officer_tramites.login)
        result = self.make_jsonrpc_request(
            "/mail/thread/data", self.thread(request_list=["activities"])
        )
        self.assertIn("Call Anna back", json.dumps(result))


@tagged("post_install", "-at_install")
class TestPageLockout(ConfirmationPageCommon):
    """Finding 2: birth dates were compared before they were counted, so a
    burst of parallel requests got the right one through past the limit."""

    def check(self, birthdate):
        return self.case._page_check_birthdate(birthdate)

    def lock_round(self):
        """Five wrong birth dates: the last one locks the page."""
        results = [self.check(WRONG)[0] for _i in range(5)]
        self.assertEqual(results, ["wrong"] * 4 + ["locked"])

    def test_right_date_counted_before_it_is_compared(self):
        for _i in range(4):
            self.check(WRONG)
        self.assertEqual(self.case.page_attempts, 4)
        # the fifth answer, right: within the limit
        self.assertEqual(self.check(RIGHT), ("ok", 5))
        self.assertEqual(self.case.page_attempts, 0)

    def test_right_date_past_the_limit_refused(self):
        """What parallel requests leave: the counter at the limit when the
        right date arrives. It is counted first, so refused."""
        self.case.page_attempts = 5
        page = self.verify(status=429).text
        self.assertIn("Page locked", page)
        self.assertNotIn("Anna", page)
        self.assertTrue(self.case.page_locked_until)
        self.assertEqual(self.case.page_lock_count, 1)

    def test_locks_grow_then_stay(self):
        with freeze_time("2026-06-15 10:00:00"):
            self.lock_round()
            self.assertEqual(
                self.case.page_locked_until, datetime.datetime(2026, 6, 15, 10, 30)
            )
            self.assertEqual(self.check(RIGHT)[0], "locked")
            self.assertEqual(self.case.page_attempts, 0)  # not counted while locked
        with freeze_time("2026-06-15 10:31:00"):
            self.lock_round()
            self.assertEqual(
                self.case.page_locked_until, datetime.datetime(2026, 6, 15, 11, 31)
            )
        with freeze_time("2026-06-15 11:32:00"):
            self.lock_round()
            self.assertTrue(self.case.page_blocked)
            self.assertFalse(self.case.page_locked_until)
            self.assertIn("until it is unlocked", self.case.message_ids[:1].body)
        with freeze_time("2027-06-15 10:00:00"):
            self.assertEqual(self.check(RIGHT)[0], "locked")
        self.assertIn("Page locked", self.get(self.link(), status=429).text)

    def test_lock_limits_are_parameters(self):
        params = self.env["ir.config_parameter"]
        params.set_param("confirma_tramites.page_max_attempts", 2)
        params.set_param("confirma_tramites.page_lock_minutes", 10)
        params.set_param("confirma_tramites.page_max_locks", 2)
        with freeze_time("2026-06-15 10:00:00"):
            self.assertEqual(self.check(WRONG)[0], "wrong")
            self.assertEqual(self.check(WRONG)[0], "locked")
            self.assertEqual(
                self.case.page_locked_until, datetime.datetime(2026, 6, 15, 10, 10)
            )
        with freeze_time("2026-06-15 10:11:00"):
            self.check(WRONG)
            self.assertEqual(self.check(WRONG)[0], "locked")
            self.assertTrue(self.case.page_blocked)

    def test_resident_told_when_the_page_locks(self):
        self.lock_round()
        mail = self.env["mail.mail"].search(
            [("model", "=", "confirma.case"), ("res_id", "=", self.case.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.anna)
        self.assertEqual(mail.state, "outgoing")
        self.assertIn("locked", mail.subject)
        self.assertIn("Senior card", mail.body_html)
        # nothing the offer did not already say
        for secret in ("1959", self.case.page_token, self.anna.document_number):
            self.assertNotIn(secret, mail.body_html)
        self.assertIn("was locked", self.case.message_ids[:1].body)

    def test_resident_reached_by_sms_told_by_sms(self):
        self.bernat.preferred_channel = "sms"
        for _i in range(5):
            self.other._page_check_birthdate(WRONG)
        sms = self.env["sms.sms"].sudo().search([("partner_id", "=", self.bernat.id)])
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.number, "+34612000001")
        self.assertIn("locked", sms.body)
        self.assertIn("Senior card", sms.body)
        for secret in ("1961", self.other.page_token, self.bernat.document_number):
            self.assertNotIn(secret, sms.body)
        self.assertFalse(
            self.env["mail.mail"].search(
                [("model", "=", "confirma.case"), ("res_id", "=", self.other.id)]
            )
        )

    def test_resident_without_email_or_sms_gets_nothing(self):
        self.anna.email = False
        self.lock_round()
        self.assertFalse(
            self.env["mail.mail"].search(
                [("model", "=", "confirma.case"), ("res_id", "=", self.case.id)]
            )
        )
        self.assertTrue(self.case.page_locked_until)

    def test_officer_unlocks_the_page(self):
        self.case.write({"page_blocked": True, "page_lock_count": 3})
        self.get(self.link(), status=429)
        with self.assertRaises(AccessError):
            self.case.with_user(self.user_tramites).action_page_unlock()
        self.case.with_user(self.officer_tramites).action_page_unlock()
        self.assertFalse(self.case.page_blocked)
        self.assertEqual(self.case.page_lock_count, 0)
        self.assertIn(
            f"unlocked by {self.officer_tramites.name}", self.case.message_ids[:1].body
        )
        self.assertIn("Anna", self.verify().text)

    def test_resident_unlocks_from_their_account(self):
        self.env["res.users"].create(
            {
                "login": "anna_portal",
                "password": "anna_portal",
                "partner_id": self.anna.id,
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        self.case.write({"page_blocked": True, "page_lock_count": 3})
        self.authenticate("anna_portal", "anna_portal")
        response = self.url_open(f"/my/confirma/{self.case.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        location = response.headers["Location"]
        self.assertNotIn("token", location)
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        self.assertIn("Why you qualify", self.get(location).text)
        self.assertFalse(self.case.page_blocked)
        self.assertIn("portal account", self.case.message_ids[:1].body)
        # and the link works again for a new session
        self.logout()
        self.assertIn("birth date", self.get(self.link()).text)


@tagged("post_install", "-at_install")
class TestLookupThrottle(ConfirmationPageCommon):
    """Finding 3: failed code lookups were counted in the session only."""

    def lookup(self, code, document, ip="127.0.0.1", fresh=True):
        """POST /confirma from ``ip`` (behind a proxy), in a new session by
        default (the tester's client dropped its cookie every time)."""
        if fresh:
            new_session(self.opener)
        headers = {
            "X-Forwarded-For": ip,
            "X-Forwarded-Host": parse_url(self.base_url()).netloc,
        }
        with patch.dict(config.options, {"proxy_mode": True}):
            page = self.url_open("/confirma", headers=headers).text
            return self.url_open(
                "/confirma",
                data={
                    "csrf_token": CSRF.search(page).group(1),
                    "code": code,
                    "document": document,
                },
                headers=headers,
                allow_redirects=False,
            )

    def test_new_session_still_locked(self):
        for _i in range(4):
            response = self.lookup("AAAAAAAA", "11111111H", fresh=False)
            self.assertEqual(response.status_code, 404)
        self.assertEqual(
            self.lookup("AAAAAAAA", "11111111H", fresh=False).status_code, 429
        )
        # no cookie: still locked, even for the right code and document
        response = self.lookup(self.case.code, "11111111H")
        self.assertEqual(response.status_code, 429)
        self.assertIn("Too many attempts", response.text)

    def test_address_limit(self):
        self.env["ir.config_parameter"].set_param(
            "confirma_tramites.lookup_max_attempts_ip", 3
        )
        for number in range(2):
            response = self.lookup(f"AAAAAAA{number + 2}", f"0000000{number}T")
            self.assertEqual(response.status_code, 404)
        self.assertEqual(self.lookup("AAAAAAA9", "00000009T").status_code, 429)
        self.assertEqual(self.lookup(self.case.code, "11111111H").status_code, 429)
        # another address is not locked
        response = self.lookup(self.case.code, "11111111H", ip="10.0.0.2")
        self.assertEqual(response.status_code, 303)
        self.assertIn(f"/confirma/case/{self.case.id}", response.headers["Location"])

    def test_code_limit_across_addresses(self):
        for number in range(4):
            response = self.lookup(
                self.case.code, f"0000000{number}T", ip=f"10.0.1.{number}"
            )
            self.assertEqual(response.status_code, 404)
        response = self.lookup(self.case.code, "00000009T", ip="10.0.1.9")
        self.assertEqual(response.status_code, 429)
        # the right document, from yet another address: the code is locked
        response = self.lookup(self.case.code, "11111111H", ip="10.0.1.10")
        self.assertEqual(response.status_code, 429)

    def test_document_limit_across_addresses(self):
        for number in range(4):
            response = self.lookup(
                f"AAAAAAA{number + 2}", "11111111H", ip=f"10.0.2.{number}"
            )
            self.assertEqual(response.status_code, 404)
        response = self.lookup("AAAAAAA9", "11111111H", ip="10.0.2.9")
        self.assertEqual(response.status_code, 429)
        response = self.lookup(self.case.code, "11111111H", ip="10.0.2.10")
        self.assertEqual(response.status_code, 429)

    def test_keys_hide_what_they_count(self):
        self.lookup("AAAAAAAA", "11111111H", ip="10.0.3.1")
        keys = " ".join(self.env["confirma.page.throttle"].search([]).mapped("key"))
        for value in ("10.0.3.1", "AAAAAAAA", "11111111H"):
            self.assertNotIn(value, keys)

    def test_purge_forgets_finished_windows(self):
        Throttle = self.env["confirma.page.throttle"]
        start = datetime.datetime(2026, 6, 15, 10, 0)
        old = Throttle._keys("10.0.4.1", "AAAAAAAA", "")
        locked = Throttle._keys("10.0.4.2", "", "")
        Throttle._register_failure(old, now=start)
        for _i in range(20):
            Throttle._register_failure(
                locked, now=start + datetime.timedelta(minutes=10)
            )
        with freeze_time(start + datetime.timedelta(minutes=20)):
            self.assertEqual(Throttle._cron_purge(), 2)
            self.assertTrue(Throttle._is_locked(locked))
        with freeze_time(start + datetime.timedelta(minutes=60)):
            self.assertEqual(Throttle._cron_purge(), 1)
        self.assertFalse(Throttle.search([]))


@tagged("post_install", "-at_install")
class TestPageHeaders(ConfirmationPageCommon):
    """Finding 4: personal pages could be cached, framed and leak the token
    as a referrer; the token stayed in the address after verification."""

    def open(self, url, status, **data):
        if data:
            response = self.url_open(url, data=data, allow_redirects=False)
        else:
            response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, status, url)
        for name, value in PRIVATE_HEADERS.items():
            self.assertEqual(response.headers.get(name), value, f"{name} of {url}")
        return response

    def test_every_answer_about_a_case_is_private(self):
        page = self.open(self.link(), 200).text
        csrf = CSRF.search(page).group(1)
        link = self.case.access_url
        self.open(
            link,
            403,
            csrf_token=csrf,
            token=self.case.page_token,
            birthdate="1960-01-01",
        )
        # the form posts the token in its body to the address without it:
        # the offer comes back at once, and nothing in it carries the token
        offer = self.open(
            link,
            200,
            csrf_token=csrf,
            token=self.case.page_token,
            birthdate="1959-06-15",
        ).text
        self.assertIn("Why you qualify", offer)
        self.assertNotIn(self.case.page_token, offer)
        offer = self.open(f"{link}?lang=es", 200).text
        self.assertIn("Why you qualify", offer)
        self.assertNotIn(self.case.page_token, offer)
        # the link again: back to the address without the token
        self.assertNotIn("token", self.open(self.link(), 303).headers["Location"])
        receipt = self.open(
            f"{link}/answer", 200, csrf_token=csrf, answer="confirm", lang="es"
        ).text
        self.assertIn("Confirmed", receipt)
        self.assertNotIn(self.case.page_token, receipt)
        self.assertEqual(self.case.state, "confirmed")
        self.open(link, 200)
        pdf = self.open(f"{link}/receipt", 200)
        self.assertIn("attachment", pdf.headers["Content-Disposition"])
        self.open(f"{link}/answer", 200, csrf_token=csrf, answer="confirm")
        # what others see: the invalid and locked pages
        self.open("/confirma/case/999999?token=abc", 404)
        self.other.page_blocked = True
        self.open(self.link(self.other), 429)

    def test_verified_address_loses_the_token(self):
        """A birth date posted to the link's own address (the token in the
        query string) is answered with a redirect to the address without
        it."""
        csrf = CSRF.search(self.open(self.link(), 200).text).group(1)
        verified = self.open(self.link(), 303, csrf_token=csrf, birthdate="1959-06-15")
        location = verified.headers["Location"]
        self.assertNotIn("token", location)
        self.assertIn(self.case.access_url, location)
        self.assertIn("Why you qualify", self.open(location, 200).text)

    def test_a_new_session_still_needs_the_token(self):
        self.verify()
        new_session(self.opener)
        self.open(self.case.access_url, 404)
        self.open(f"{self.case.access_url}/receipt", 404)


@tagged("post_install", "-at_install")
class TestPageEnumeration(ConfirmationPageCommon):
    """Finding 5: a non-ASCII token crashed (500) on existing cases only."""

    def test_malformed_tokens_same_answer(self):
        csrf = CSRF.search(self.get("/confirma").text).group(1)
        for case_id in (self.case.id, 999999):
            for token in ("%C3%A9", "%FF%FE", "%C3%A9" * 40, "", "%00"):
                for path in ("", "/receipt"):
                    with self.subTest(case_id=case_id, token=token, path=path):
                        response = self.url_open(
                            f"/confirma/case/{case_id}{path}?token={token}"
                        )
                        self.assertEqual(response.status_code, 404)
                        self.assertIn("This link is not valid", response.text)
            response = self.url_open(
                f"/confirma/case/{case_id}/answer",
                data={"csrf_token": csrf, "token": "é", "answer": "confirm"},
            )
            self.assertEqual(response.status_code, 404)
        self.assertEqual(self.case.state, "notified")


@tagged("post_install", "-at_install")
class TestTransparencyCache(HttpCase, ConfirmaPopulationCommon):
    """Finding 6: the transparency page was public for caches while it set
    the session cookie, and embedded a logged-in user's session."""

    def test_anonymous_without_cookie_cacheable(self):
        response = self.url_open("/confirma/transparency")
        self.assertEqual(response.status_code, 200)
        self.assertIn("public", response.headers["Cache-Control"])
        self.assertNotIn("Set-Cookie", response.headers)
        self.assertIn("Accept-Language", response.headers["Vary"])

    def test_logged_in_private(self):
        self.authenticate(self.user_tramites.login, self.user_tramites.login)
        response = self.url_open("/confirma/transparency?lang=es")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("public", response.headers["Cache-Control"])
        self.assertIn("no-store", response.headers["Cache-Control"])

    def test_anonymous_with_a_session_private(self):
        self.url_open("/confirma")  # the lookup page gives a session
        self.assertIn("session_id", self.opener.cookies)
        response = self.url_open("/confirma/transparency")
        self.assertNotIn("public", response.headers["Cache-Control"])


@tagged("post_install", "-at_install")
class TestPageTokenMigration(ConfirmaPopulationCommon):
    """The link's token leaves portal's access_token: the links already
    sent keep working."""

    def test_links_already_sent_keep_working(self):
        spec = importlib.util.spec_from_file_location("pre_migrate", MIGRATION)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        procedure = self.make_procedure(
            self.make_rule({"kind": "age", "min_value": 18}), code="MIG"
        )
        case = self.env["confirma.case"]._open_cases(
            procedure, self.anna, "sweep", REFERENCE
        )
        token = case.page_token
        self.env.flush_all()
        cr = self.env.cr
        # the table as 18.0.1.0.0 left it: the link's token in access_token
        cr.execute("ALTER TABLE confirma_case DROP COLUMN access_token")
        cr.execute("ALTER TABLE confirma_case RENAME COLUMN page_token TO access_token")
        migration.migrate(cr, "18.0.1.0.0")
        self.assertFalse(sql.column_exists(cr, "confirma_case", "access_token"))
        cr.execute("SELECT page_token FROM confirma_case WHERE id = %s", [case.id])
        self.assertEqual(cr.fetchone()[0], token)
        # the ORM then adds portal's column, empty
        cr.execute("ALTER TABLE confirma_case ADD COLUMN access_token varchar")
        migration.migrate(cr, "18.0.1.0.0")  # re-runnable
        cr.execute("SELECT page_token FROM confirma_case WHERE id = %s", [case.id])
        self.assertEqual(cr.fetchone()[0], token)
