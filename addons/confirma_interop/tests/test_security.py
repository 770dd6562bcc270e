# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Security of the verification flow, against the project's simulator: no
data values outside the raw messages, the seal password's key, the
platform's address and pinned certificate, forged or hostile answers, who
is recorded as asking."""

import base64
import hashlib
import re
from datetime import timedelta
from unittest.mock import patch

from cryptography.fernet import Fernet, InvalidToken
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import config

from odoo.addons.confirma_tramites.tests.common import REFERENCE, answer_at_counter

from ..scsp import certs, simulator
from .common import ConfirmaInteropCommon, ConfirmaSimulatorCommon

DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
# what the simulator knows of Anna here: distinctive values to look for
INCOME, DEGREE = 12345.67, 47
VALUES = re.compile(r"12[.,]?345|31[.,]?000|\b47\b")


def dni(number):
    return f"{number:08d}{DNI_LETTERS[number % 23]}"


def server_config(**values):
    """The server configuration (odoo.conf) with ``values``; the interop
    options not given are unset."""
    options = {
        "confirma_interop_secret": "",
        "confirma_interop_certificate_password": "",
    }
    options.update(values)
    return patch.dict(config.options, options)


@tagged("post_install", "-at_install")
class TestNoValuesOutsideRawMessages(ConfirmaSimulatorCommon):
    """Checks, cases and their messages say met / not met / unknown, the
    code and why: never the income or the disability degree."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        disability = cls.env.ref("confirma_interop.service_svdscddws01")
        cls.values_procedure = cls.make_procedure(
            cls.make_rule({"kind": "age", "min_value": 18}, name="Adults too"),
            code="IOPV",
            name="Disability aid",
            requirement_ids=[
                (0, 0, dict(name="Income under the limit", method="interop",
                            interop_service_id=cls.service["NIVRENTI"].id,
                            interop_threshold=20000)),
                (0, 0, dict(name="Recognised disability", method="interop",
                            interop_service_id=disability.id,
                            interop_threshold=33)),
            ],
        )  # fmt: skip

    def test_values_stay_in_the_raw_messages(self):
        anna = self.people[self.anna.document_number]
        saved = anna.income, anna.disability
        anna.income, anna.disability = INCOME, DEGREE
        self.addCleanup(setattr, anna, "income", saved[0])
        self.addCleanup(setattr, anna, "disability", saved[1])
        cases = self.env["confirma.case"]._open_cases(
            self.values_procedure, self.anna | self.bernat, "sweep", REFERENCE
        )
        answer_at_counter(cases, self.officer_tramites)
        self.run_checks()
        anna_case, bernat_case = cases
        self.assertEqual(set(cases.mapped("state")), {"instruction"})
        results = {
            (c.partner_id, c.requirement_id.name): (c.result, c.result_note)
            for c in cases.interop_check_ids
        }
        self.assertEqual(
            results,
            {
                (self.anna, "Income under the limit"): (
                    "met", "Income level at most the threshold"
                ),
                (self.anna, "Recognised disability"): (
                    "met", "Disability degree at least the threshold"
                ),
                (self.bernat, "Income under the limit"): (
                    "not_met", "Income level above the threshold"
                ),
                (self.bernat, "Recognised disability"): (
                    "not_met", "No disability recognised"
                ),
            },
        )  # fmt: skip
        # the lowest procedures role: the case and its messages
        user = self.user_tramites
        bodies = {
            case: " ".join(str(body) for body in case.message_ids.mapped("body"))
            for case in cases.with_user(user)
        }
        self.assertIn("Data verification finished", bodies[anna_case])
        self.assertIn("Disability degree at least the threshold", bodies[anna_case])
        self.assertIn("Income level above the threshold", bodies[bernat_case])
        for body in bodies.values():
            self.assertIsNone(VALUES.search(body), body)
        with self.assertRaises(AccessError):
            self.Check.with_user(user).search_read([("case_id", "in", cases.ids)])
        # the lowest interoperability role: the checks
        rows = self.Check.with_user(self.user_interop).search_read(
            [("case_id", "in", cases.ids)],
            ["result", "result_note", "status_code", "last_error"],
        )
        self.assertEqual(len(rows), 4)
        self.assertIsNone(VALUES.search(str(rows)), rows)
        # the audit log neither; the raw answers (auditors only) keep them
        logs = (
            self.env["confirma.interop.log"]
            .with_user(self.auditor)
            .search([("case_id", "in", cases.ids)])
        )
        self.assertEqual(len(logs), 4)
        self.assertIsNone(VALUES.search(str(logs.mapped("result_note"))))
        requests = self.env["confirma.interop.request"].search([])
        domain = [
            ("res_model", "=", "confirma.interop.request"),
            ("res_id", "in", requests.ids),
        ]
        raw = b"".join(
            self.env["ir.attachment"]
            .with_user(self.auditor)
            .search(domain)
            .mapped("raw")
        )
        self.assertIn(b"<de:NREnteros>12345</de:NREnteros>", raw)
        self.assertIn(b"<de:GradoDiscapacidad>47</de:GradoDiscapacidad>", raw)
        self.assertFalse(
            self.env["ir.attachment"].with_user(self.user_interop).search(domain)
        )


@tagged("post_install", "-at_install")
class TestSealPasswordKey(ConfirmaInteropCommon):
    """The seal password is encrypted with a key of the server
    configuration, never with one kept in the database (a dump), for
    production platforms."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pki = certs.TestPki()
        cls.Platform = cls.env["confirma.interop.platform"].with_user(
            cls.manager_interop
        )

    def production(self, **values):
        return self.Platform.create(
            {
                "name": "PID (Red SARA)",
                "environment": "production",
                "base_url": "https://intermediacion.redsara.es/servicios/SVD/",
                "requester_nif": "P4690000A",
                "requester_name": "Ajuntament de Vilademo",
                "certificate": base64.b64encode(self.pki.requester_p12()),
                "trust_store": certs.pem(self.pki.ca).decode(),
                **self.Platform._signer_pin_values(certs.pem(self.pki.simulator)),
                **values,
            }
        )

    def database_fernet(self):
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        key = base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest())
        return Fernet(key)

    def test_production_refuses_a_database_key(self):
        with server_config():
            with self.assertRaisesRegex(UserError, "confirma_interop_secret"):
                self.production(certificate_password=certs.TEST_PASSWORD)
            platform = self.production()
            with self.assertRaises(UserError) as caught:
                platform.certificate_password = certs.TEST_PASSWORD
            message = str(caught.exception)
            self.assertIn("confirma_interop_secret", message)
            self.assertIn("confirma_interop_certificate_password", message)
            self.assertFalse(platform.sudo().certificate_password_encrypted)
            # a password stored before (encrypted with the database's key)
            # is not used either: the seal stays closed
            token = self.database_fernet().encrypt(certs.TEST_PASSWORD.encode())
            platform.sudo().certificate_password_encrypted = token.decode()
            with self.assertRaisesRegex(UserError, "confirma_interop_secret"):
                platform._key_material()
            # a test platform keeps the database's key, but cannot become a
            # production one with it
            test = self.production(environment="test", base_url="https://pp.example/")
            test.certificate_password = certs.TEST_PASSWORD
            self.assertTrue(test._key_material())
            with self.assertRaisesRegex(ValidationError, "confirma_interop_secret"):
                test.environment = "production"

    def test_production_password_from_the_configuration(self):
        """With the password in odoo.conf no key is needed (nor used)."""
        with server_config(confirma_interop_certificate_password=certs.TEST_PASSWORD):
            platform = self.production()
            key_pem, cert_pem, _chain = platform._key_material()
            self.assertIn(b"PRIVATE KEY", key_pem)
            token = self.database_fernet().encrypt(b"stale password")
            platform.sudo().certificate_password_encrypted = token.decode()
            self.assertEqual(platform._password(), certs.TEST_PASSWORD)

    def test_production_with_the_server_key(self):
        with server_config(confirma_interop_secret="a key only odoo.conf knows"):
            platform = self.production(certificate_password=certs.TEST_PASSWORD)
            self.assertTrue(platform._key_material())
            token = platform.sudo().certificate_password_encrypted
            self.assertTrue(token)
            # a database dump does not open it
            with self.assertRaises(InvalidToken):
                self.database_fernet().decrypt(token.encode())


@tagged("post_install", "-at_install")
class TestPlatformSettings(ConfirmaInteropCommon):
    """Where a platform is reached and whose answers it believes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pki = certs.TestPki()
        cls.platform = cls.env.ref("confirma_interop.platform_default").with_user(
            cls.manager_interop
        )

    def test_base_url(self):
        """Production needs https; test platforms may use http only on this
        machine or a local service; never another scheme or credentials."""
        platform = self.platform
        platform.write({"environment": "production"} | self.pins())
        platform.base_url = "https://intermediacion.redsara.es/servicios/SVD/"
        for url in (
            "http://intermediacion.redsara.es/servicios/SVD/",
            "http://127.0.0.1:8070/servicios/SVD/",
        ):
            with self.subTest(url=url):
                with self.assertRaisesRegex(ValidationError, "https"):
                    platform.base_url = url
        platform.environment = "test"
        for url in (
            "http://127.0.0.1:8070/servicios/SVD/",
            "http://localhost:8070/servicios/SVD/",
            "http://[::1]:8070/servicios/SVD/",
            "http://simulator:8070/servicios/SVD/",
            "https://intermediacionpp.redsara.es/servicios/SVD/",
        ):
            with self.subTest(url=url):
                platform.base_url = url
                self.assertEqual(platform.base_url, url)
        for url in (
            "http://intermediacionpp.redsara.es/servicios/SVD/",
            "http://10.0.0.8/servicios/SVD/",
            "ftp://127.0.0.1/servicios/SVD/",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "https://user:secret@intermediacion.redsara.es/servicios/SVD/",
            "https://:443/servicios/SVD/",
            "https://host:port/",
        ):
            with self.subTest(url=url), self.assertRaises(ValidationError):
                platform.base_url = url

    def pins(self):
        return self.platform._signer_pin_values(certs.pem(self.pki.simulator))

    def test_pinned_certificate_fields(self):
        """A production platform pins its signing certificate; the pins are
        checked when entered."""
        platform = self.platform
        platform.write({"signer_subject": False, "signer_key_sha256": False})
        with self.assertRaisesRegex(ValidationError, "pinned"):
            platform.environment = "production"
        pins = self.pins()
        for values in (
            {"signer_subject": pins["signer_subject"]},
            {"signer_key_sha256": pins["signer_key_sha256"].upper()},
            {
                # OpenSSL's colons; two keys while the platform changes them
                "signer_key_sha256": ":".join(
                    re.findall("..", pins["signer_key_sha256"])
                )
                + " "
                + "0" * 64
            },
        ):
            with self.subTest(values=values):
                platform.write(
                    {"signer_subject": False, "signer_key_sha256": False} | values
                )
                platform.environment = "production"
                platform.environment = "test"
        with self.assertRaisesRegex(ValidationError, "64 hexadecimal"):
            platform.signer_key_sha256 = "abcd"
        with self.assertRaisesRegex(ValidationError, "distinguished name"):
            platform.signer_subject = "the platform"


@tagged("post_install", "-at_install")
class TestForgedAnswers(ConfirmaSimulatorCommon):
    """Answers nobody should believe leave the checks queued (retried),
    never a result."""

    def assertRefused(self, case, code):
        checks = case.interop_check_ids
        self.assertEqual(set(checks.mapped("state")), {"queued"})
        self.assertEqual(set(checks.mapped("status_code")), {code})
        self.assertFalse(checks.filtered("result"))
        self.assertEqual(case.state, "verifying")
        self.assertIn(code, self.platform.last_error)

    def test_unsigned_fault_changes_nothing(self):
        """An unsigned fault claiming the holder is unknown (0233) is a
        protocol error (0305), not the holder's answer."""
        self.platform.mode = "sync"
        self.simulator.faults.update({"request_code": "0233", "unsigned_faults": True})
        (case,) = self.confirmed_cases(self.anna)
        self.run_checks()
        self.assertRefused(case, "0305")
        self.assertEqual(
            set(case.interop_check_ids.request_id.mapped("status_code")), {"0305"}
        )

    def test_answers_of_another_certificate_refused(self):
        """A second seal of the same test authority answers in the
        platform's place: trusted by the store, refused by the pin."""
        key, other = self.pki.issue("OTRO ORGANISMO - MISMA AC", "S1111111A")
        impostor = simulator.Simulator(
            self.people,
            certs.key_pem(key),
            certs.pem(other),
            certs.pem(self.pki.ca),
            today=REFERENCE,
        )
        server = simulator.start(impostor)
        self.addCleanup(server.shutdown)
        self.platform.base_url = f"http://127.0.0.1:{server.port}/servicios/SVD/"
        (case,) = self.confirmed_cases(self.anna)
        self.run_checks()
        self.assertRefused(case, "0305")
        self.assertIn("pinned", self.platform.last_error)
        self.assertTrue(impostor.requests)

    def test_hostile_xml_refused(self):
        for hostile in ("entities", "depth"):
            with self.subTest(hostile=hostile):
                self.simulator.faults = simulator.Faults(hostile=hostile)
                (case,) = self.confirmed_cases(self.anna)
                # one check is enough
                (case.interop_check_ids - case.interop_check_ids[0]).unlink()
                self.run_checks()
                self.assertRefused(case, "0103")
                case.interop_check_ids.unlink()
                case.action_cancel()


@tagged("post_install", "-at_install")
class TestWhoAsks(ConfirmaSimulatorCommon):
    """The official sent and recorded is who pressed *Verify now* (their
    name and NIF, else the platform's official); the scheduled run sends
    the platform's official; only interoperability officers verify now."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer_a = new_test_user(
            cls.env,
            login="interop_officer_a",
            name="Laia Ferrer Puig",
            groups="confirma_interop.group_officer",
        )
        cls.officer_a.partner_id.write(
            {"document_type": "dni", "document_number": dni(44556677)}
        )
        cls.officer_b = cls.officer_interop  # no NIF on their contact
        cls.owner = cls.manager_tramites  # owns the cases, has a NIF
        cls.owner.partner_id.write(
            {"document_type": "dni", "document_number": dni(55667788)}
        )

    def confirmed(self, partner):
        (case,) = self.confirmed_cases(partner)
        case.sudo().user_id = self.owner
        return case

    def officials(self, case):
        logs = self.env["confirma.interop.log"].search([("case_id", "=", case.id)])
        self.assertEqual(len(logs), 3)
        return {(log.official_name, log.official_nif, log.user_id) for log in logs}

    def test_official_is_who_asks(self):
        anna_case = self.confirmed(self.anna)
        anna_case.with_user(self.officer_a).action_interop_verify()
        self.assertEqual(anna_case.state, "instruction")
        self.assertEqual(
            self.officials(anna_case),
            {("Laia Ferrer Puig", dni(44556677), self.officer_a)},
        )
        self.assertEqual(
            set(anna_case.interop_check_ids.request_id.mapped("user_id")),
            {self.officer_a},
        )
        bernat_case = self.confirmed(self.bernat)
        bernat_case.with_user(self.officer_b).action_interop_verify()
        self.assertEqual(
            self.officials(bernat_case),
            {("SECRETARIA MUNICIPAL", "00000000T", self.officer_b)},
        )

    def test_scheduled_run_sends_the_platform_official(self):
        case = self.confirmed(self.anna)
        self.run_checks()
        ((name, nif, _user),) = self.officials(case)
        self.assertEqual((name, nif), ("SECRETARIA MUNICIPAL", "00000000T"))
        self.assertFalse(case.interop_check_ids.request_id.user_id)

    def test_answer_polled_later_keeps_who_asked(self):
        """Asynchronous: asked now by an officer, answered on a later
        scheduled run; the audit records the officer who asked."""
        self.simulator.faults.update({"pending_polls": 1, "ter": 1})
        case = self.confirmed(self.anna)
        case.with_user(self.officer_a).action_interop_verify()
        self.assertEqual(case.state, "verifying")
        later = fields.Datetime.now() + timedelta(hours=2)
        for hours in (0, 2):
            with freeze_time(later + timedelta(hours=hours)):
                self.run_checks()
        self.assertEqual(case.state, "instruction")
        self.assertEqual(
            self.officials(case),
            {("Laia Ferrer Puig", dni(44556677), self.officer_a)},
        )

    def test_only_interop_officers_verify_now(self):
        case = self.confirmed(self.anna)
        for user in (self.user_interop, self.officer_tramites, self.manager_citizen):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                case.with_user(user).action_interop_verify()
        self.assertEqual(self.simulator.requests, 0)
        self.assertEqual(set(case.interop_check_ids.mapped("state")), {"queued"})
