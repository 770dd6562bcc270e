# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.confirma_citizen.tests.common import last_job_id, run_stored_jobs
from odoo.addons.confirma_tramites.tests.common import answer_at_counter
from odoo.addons.queue_job.tests.common import trap_jobs

from ..scsp import certs, simulator
from ..scsp.services.base import years_between
from ..scsp.simulator import answers
from .common import REFERENCE, ConfirmaSimulatorCommon


@tagged("post_install", "-at_install")
class TestVerification(ConfirmaSimulatorCommon):
    """The verification flow against the simulator (no mocks)."""

    def checks_of(self, case):
        return {c.requirement_id.name: c for c in case.interop_check_ids}

    def test_async_happy_path(self):
        """Confirmed cases queue their checks and wait in Verifying; one run
        sends a batch per service (async: acknowledgement, then the answer
        polled), sets each requirement, moves the cases to instruction with a
        summary in the chatter."""
        anna_case, bernat_case = self.confirmed_cases(self.anna, self.bernat)
        self.assertEqual(anna_case.state, "verifying")
        self.assertEqual(len(anna_case.interop_check_ids), 3)
        self.assertEqual(set(anna_case.interop_check_ids.mapped("state")), {"queued"})
        self.run_checks()
        anna = self.checks_of(anna_case)
        self.assertEqual(anna["Identity"].result, "met")
        self.assertEqual(anna["Lives in the town"].result, "met")
        self.assertEqual(anna["Income under 20,000 EUR"].result, "met")
        bernat = self.checks_of(bernat_case)
        self.assertEqual(bernat["Income under 20,000 EUR"].result, "not_met")
        # why, never how much (the amount stays in the raw answer)
        self.assertEqual(
            bernat["Income under 20,000 EUR"].result_note,
            "Income level above the threshold",
        )
        self.assertEqual(anna_case.state, "instruction")
        self.assertEqual(bernat_case.state, "instruction")
        summary = anna_case.message_ids.filtered(
            lambda m: "Data verification finished" in (m.body or "")
        )
        self.assertTrue(summary)
        self.assertIn("Income under 20,000 EUR", summary.body)
        requests = self.env["confirma.interop.request"].search([])
        by_service = {r.service_id.code: r for r in requests}
        # identity and residence in one asynchronous request each (2 holders);
        # income (AEAT, synchronous only) one request per holder
        self.assertEqual(by_service["SVDDGPVIWS02"].mode, "async")
        self.assertEqual(by_service["SVDDGPVIWS02"].count, 2)
        self.assertEqual(by_service["SVDDGPVIWS02"].polls, 1)
        self.assertEqual(
            len(requests.filtered(lambda r: r.service_id.code == "NIVRENTI")), 2
        )
        self.assertEqual(set(requests.mapped("state")), {"done"})
        # read from the requests (jobs never write the shared platform row)
        self.platform.invalidate_recordset(["date_last_success"])
        self.assertEqual(
            self.platform.date_last_success, max(requests.mapped("date_done"))
        )

    def test_scheduled_run_hands_out_jobs_once(self):
        """The scheduled run hands each Peticion to a job on the interop
        channel, once however often it runs before the jobs do; a job run
        again (a restart before it was marked done) sends nothing twice; a
        job lost with its node is handed out again after the lease."""
        self.confirmed_cases(self.anna, self.bernat)
        with trap_jobs() as trap:
            self.assertEqual(self.Check._cron_process(), 6)
            self.assertEqual(self.Check._cron_process(), 0)  # leased
            # identity and residence: one asynchronous Peticion of two
            # holders each; income (synchronous only): one per holder
            self.assertEqual(len(trap.enqueued_jobs), 4)
            for job in trap.enqueued_jobs:
                self.assertEqual(job.method_name, "_send_job")
                self.assertEqual(job.channel, "root.confirma.interop")
                self.assertTrue(job.identity_key.startswith("confirma-interop-send-"))
            identity = next(
                job for job in trap.enqueued_jobs if job.args[0].code == "SVDDGPVIWS02"
            )
            identity.perform()
            self.assertEqual(self.simulator.requests, 1)
            identity.perform()
            self.assertEqual(self.simulator.requests, 1)  # nothing twice
            # the asynchronous answer is polled by a job of its own, when due
            poll = trap.enqueued_jobs[-1]
            self.assertEqual(poll.method_name, "_poll_job")
            self.assertEqual(poll.channel, "root.confirma.interop")
            self.assertEqual(poll.eta, poll.recordset.date_next_poll)
        lost = self.Check.search([("state", "=", "queued")])
        self.assertEqual(len(lost), 4)  # the jobs above were never run
        lease = self.platform._lease()
        with (
            trap_jobs() as trap,
            freeze_time(fields.Datetime.now() + timedelta(seconds=lease + 1)),
        ):
            self.assertEqual(self.Check._cron_process(), 4)
            self.assertEqual(
                [job.method_name for job in trap.enqueued_jobs].count("_send_job"), 3
            )

    def test_platform_form_follows_the_jobs(self):
        """The platform's form counts the last day's jobs (stored in the
        queue here, as the scheduled run leaves them), done of all, and the
        job runner's work moves it."""
        self.confirmed_cases(self.anna, self.bernat)
        self.platform.mode = "sync"
        queued_after = last_job_id(self.env)
        self.Check._cron_process()
        self.platform.invalidate_recordset()
        # synchronous: a request per holder and service, 3 services × 2
        self.assertEqual(
            (self.platform.job_count, self.platform.job_done_count), (6, 0)
        )
        self.assertEqual(self.platform.job_progress, 0)
        run_stored_jobs(self.env, queued_after)
        self.platform.invalidate_recordset()
        self.assertEqual(
            (self.platform.job_done_count, self.platform.job_failed_count), (6, 0)
        )
        self.assertEqual(self.platform.job_progress, 100)

    def test_sync_happy_path(self):
        self.platform.mode = "sync"
        (case,) = self.confirmed_cases(self.anna)
        self.run_checks()
        self.assertEqual(set(case.interop_check_ids.mapped("result")), {"met"})
        requests = self.env["confirma.interop.request"].search([])
        self.assertEqual(set(requests.mapped("mode")), {"sync"})
        self.assertEqual(case.state, "instruction")

    def test_audit_rows_complete(self):
        """Every holder asked leaves an audit row with everything the
        platforms' audits ask for; raw messages are kept as attachments."""
        (case,) = self.confirmed_cases(self.anna)
        self.run_checks()
        logs = self.env["confirma.interop.log"].search([("case_id", "=", case.id)])
        self.assertEqual(len(logs), 3)
        for log in logs:
            for name in (
                "date", "id_peticion", "id_solicitud", "id_transmision",
                "service_code", "issuer_nif", "requester_nif",
                "holder_document_type", "holder_document", "purpose", "consent",
                "official_name", "official_nif", "procedure_code", "expediente",
                "status_code", "status_text", "result",
            ):  # fmt: skip
                self.assertTrue(log[name], f"{name} is empty in {log.service_code}")
            self.assertEqual(log.holder_document, "11111111H")
            # the official recorded is the one sent (the case's officer has
            # no NIF on their contact: the platform's official is sent)
            self.assertEqual(
                (log.official_name, log.official_nif),
                ("SECRETARIA MUNICIPAL", "00000000T"),
            )
            self.assertEqual(log.procedure_code, "998877")
            self.assertEqual(log.expediente, case.name)
        request = logs[0].request_id
        self.assertGreaterEqual(request.attachment_count, 2)
        names = (
            self.env["ir.attachment"]
            .search([("res_model", "=", request._name), ("res_id", "=", request.id)])
            .mapped("name")
        )
        self.assertTrue(any(name.endswith("request-request.xml") for name in names))

    def test_audit_access(self):
        """Only auditors read the log and requests; nobody writes them."""
        (case,) = self.confirmed_cases(self.anna)
        self.run_checks()
        Log = self.env["confirma.interop.log"]
        for user in (self.user_interop, self.officer_interop, self.manager_interop):
            with self.assertRaises(AccessError):
                Log.with_user(user).search([])
            with self.assertRaises(AccessError):
                self.env["confirma.interop.request"].with_user(user).search([])
        logs = Log.with_user(self.auditor).search([("case_id", "=", case.id)])
        self.assertEqual(len(logs), 3)
        with self.assertRaises(AccessError):
            logs.write({"result": "met"})
        with self.assertRaises(AccessError):
            logs.unlink()
        # exportable for the platform's audits
        exported = logs.export_data(["id_peticion", "holder_document", "purpose"])
        self.assertEqual(len(exported["datas"]), 3)
        # an officer sees the results on the case, not the audit
        checks = self.Check.with_user(self.officer_interop).search(
            [("case_id", "=", case.id)]
        )
        self.assertEqual(len(checks), 3)

    def test_a_childs_requirements_ask_about_the_child(self):
        """A parent confirms a minor's canteen aid: the child's identity is
        asked about the child, the household's income about the parent
        (each requirement says whose data proves it)."""
        self.carla.write({"document_type": "dni", "document_number": "33333333P"})
        self.people.add(
            simulator.Person(
                document="33333333P",
                first_name="Carla",
                surname1="Soler",
                birthdate=self.carla.birthdate,
                residence_since=self.carla.padron_registration_date,
            )
        )
        self.addCleanup(self.people.pop, "33333333P")
        procedure = self.make_procedure(
            self.make_rule({"kind": "age", "max_value": 17}, name="Minors"),
            code="CANTEEN",
            name="Canteen aid",
            applicant="guardian",
            requirement_ids=[
                (0, 0, dict(name="The child's identity", method="interop",
                            interop_service_id=self.service["SVDDGPVIWS02"].id)),
                (0, 0, dict(name="Household income", method="interop",
                            subject="confirmer",
                            interop_service_id=self.service["NIVRENTI"].id,
                            interop_threshold=20000)),
            ],
        )  # fmt: skip
        case = self.env["confirma.case"]._open_cases(
            procedure, self.carla, "sweep", REFERENCE
        )
        self.assertEqual(case.partner_id, self.bernat)
        answer_at_counter(case, self.officer_tramites)
        checks = self.checks_of(case)
        self.assertEqual(checks["The child's identity"].partner_id, self.carla)
        self.assertEqual(checks["Household income"].partner_id, self.bernat)
        self.run_checks()
        self.assertEqual(checks["The child's identity"].result, "met")
        # Bernat earns 31,000 EUR: above the threshold (Carla earns nothing)
        self.assertEqual(checks["Household income"].result, "not_met")
        self.assertEqual(case.state, "instruction")
        # the checks are on the file of whom they are about
        self.assertIn(
            checks["The child's identity"], self.carla.confirma_interop_check_ids
        )
        # the parent's objection covers the child's checks too
        self.bernat.data_opposition = True
        other = self.env["confirma.case"]._open_cases(
            procedure, self.carla, "sweep", REFERENCE.replace(year=REFERENCE.year + 1)
        )
        self.assertTrue(other)
        answer_at_counter(other, self.officer_tramites)
        self.run_checks()
        self.assertEqual(set(other.interop_check_ids.mapped("state")), {"objected"})

    def test_objection_skips_query(self):
        """Driss objected to data queries: nothing is sent, the checks say
        so and the case gets an activity to request the documents."""
        (case,) = self.confirmed_cases(self.driss)
        self.run_checks()
        self.assertEqual(set(case.interop_check_ids.mapped("state")), {"objected"})
        self.assertFalse(self.env["confirma.interop.request"].search([]))
        self.assertEqual(self.simulator.requests, 0)
        activity = case.activity_ids.filtered(
            lambda a: a.summary == "Request documents instead of data queries"
        )
        self.assertTrue(activity)
        self.assertIn("Income tax return", activity.note)
        self.assertEqual(case.state, "instruction")

    def test_holder_errors(self):
        """0231, 0233, 0238: the requirement is unknown (never met), with the
        reason, in sync and async requests."""
        for code, mode in (("0231", "async"), ("0233", "sync"), ("0238", "async")):
            with self.subTest(code=code, mode=mode):
                self.platform.mode = mode
                self.simulator.faults.update(
                    {"holder_code": code, "holder_documents": ["11111111H"]}
                )
                (case,) = self.confirmed_cases(self.anna)
                self.run_checks()
                identity = self.checks_of(case)["Identity"]
                self.assertEqual(identity.result, "unknown")
                self.assertEqual(identity.status_code, code)
                self.assertIn(code, identity.result_note)
                self.assertEqual(case.state, "instruction")
                case.interop_check_ids.unlink()
                case.action_cancel()

    def test_holder_fault_is_final_at_once(self):
        """A synchronous holder error answered as a SOAP fault (0233, 0238):
        the platform did answer, so the check is unknown at once, with the
        translated reason; it is not retried, and the platform is not marked
        in error."""
        self.platform.mode = "sync"
        for code in ("0233", "0238"):
            with self.subTest(code=code):
                self.simulator.faults = type(self.simulator.faults)()
                self.simulator.faults.update(
                    {
                        "holder_code": code,
                        "holder_documents": ["11111111H"],
                        "holder_as_fault": True,
                    }
                )
                self.platform.last_error = False
                (case,) = self.confirmed_cases(self.anna)
                self.run_checks()
                identity = self.checks_of(case)["Identity"]
                self.assertEqual(identity.state, "done")
                self.assertEqual(identity.result, "unknown")
                self.assertEqual(identity.status_code, code)
                self.assertEqual(identity.attempts, 0)
                self.assertIn(code, identity.result_note)
                self.assertNotIn("Gave up", identity.result_note)
                self.assertEqual(identity.request_id.state, "done")
                self.assertFalse(self.platform.last_error)
                self.assertEqual(case.state, "instruction")
                case.interop_check_ids.unlink()
                case.action_cancel()

    def raw_request(self, check):
        """The Peticion sent for ``check`` (not its polls), as kept."""
        sent = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "confirma.interop.request"),
                ("res_id", "=", check.request_id.id),
                ("name", "like", "-request.xml"),
            ]
        )
        (peticion,) = (a.raw for a in sent if b"SolicitudTransmision" in a.raw)
        return peticion

    def test_new_catalogue_services_end_to_end(self):
        """Identity data (DGP), padrón cohabitation (SCDCPAJU, legacy XML
        Signature by the catalogue) and vehicle data (DGT, the plate from the
        vehicle-tax roll) through the whole path. The unit's DIR3 code goes
        to the services whose schema takes it, and only to them; a resident
        without a plate on record is not asked about (unknown, and why)."""
        ref = self.env.ref
        unit = self.env["confirma.unit"].create(
            {"name": "Tributs", "dir3_code": "L01469006"}
        )
        vehicle = ref("confirma_interop.service_svddgtvehiculodatosws01")
        registered, _gone = answers.MODULES[vehicle.code].vehicle("1234BCD")
        age = years_between(registered, REFERENCE)
        procedure = self.make_procedure(
            self.make_rule({"kind": "age", "min_value": 18}, name="Adults (vehicles)"),
            code="IVT",
            name="Historic vehicle rebate",
            unit_id=unit.id,
            requirement_ids=[
                (0, 0, dict(name="Identity in force", method="interop",
                            interop_service_id=ref(
                                "confirma_interop.service_svddgpciws02").id)),
                (0, 0, dict(name="Lives here", method="interop",
                            interop_service_id=ref(
                                "confirma_interop.service_scdcpaju").id)),
                (0, 0, dict(name="Historic vehicle", method="interop",
                            interop_service_id=vehicle.id,
                            interop_threshold=age)),
            ],
        )  # fmt: skip
        self.env["confirma.fact"].create(
            {
                "partner_id": self.anna.id,
                "type_id": ref("confirma_interop.fact_type_vehicle_plate").id,
                "value_text": "1234 BCD",
            }
        )
        cases = self.env["confirma.case"]._open_cases(
            procedure, self.anna | self.bernat, "sweep", REFERENCE
        )
        answer_at_counter(cases, self.officer_tramites)
        self.run_checks()
        anna_case = cases.filtered(lambda c: c.partner_id == self.anna)
        bernat_case = cases - anna_case
        anna = self.checks_of(anna_case)
        self.assertEqual(
            {name: check.result for name, check in anna.items()},
            {
                "Identity in force": "met",
                "Lives here": "met",
                "Historic vehicle": "met",
            },
        )
        no_plate = self.checks_of(bernat_case)["Historic vehicle"]
        self.assertEqual(no_plate.result, "unknown")
        self.assertIn("Vehicle plate", no_plate.result_note)
        self.assertFalse(no_plate.request_id)
        dgt = self.raw_request(anna["Historic vehicle"])
        self.assertIn(b"CodigoUnidadTramitadora>L01469006<", dgt)
        self.assertIn(b"Matricula>1234BCD<", dgt)
        padron = self.raw_request(anna["Lives here"])
        self.assertNotIn(b"CodigoUnidadTramitadora", padron)
        self.assertNotIn(b"BinarySecurityToken", padron)
        self.assertIn(b"X509Certificate", padron)
        log = self.env["confirma.interop.log"].search(
            [("case_id", "=", anna_case.id), ("service_id", "=", vehicle.id)], limit=1
        )
        self.assertEqual(log.unit_code, "L01469006")

    def test_legacy_xml_signature_service(self):
        """A service of the legacy profile (TIPOSEGURIDAD XMLSignature, as the
        padrón's SCDCPAJU): requests are signed with ``ds:Signature`` in the
        Header and the platform's answers, signed the same way, verified;
        the other services keep WS-Security."""
        self.service["SVDDGPVIWS02"].security_profile = "xml-signature"
        self.simulator.profiles["SVDDGPVIWS02"] = "xml-signature"
        for mode in ("sync", "async"):
            with self.subTest(mode=mode):
                self.platform.mode = mode
                (case,) = self.confirmed_cases(self.anna)
                self.run_checks()
                self.assertEqual(set(case.interop_check_ids.mapped("result")), {"met"})
                identity = self.checks_of(case)["Identity"]
                raw = self.env["ir.attachment"].search(
                    [
                        ("res_model", "=", "confirma.interop.request"),
                        ("res_id", "=", identity.request_id.id),
                    ]
                )
                request = raw.filtered(lambda a: a.name.endswith("-request.xml"))
                answer = raw.filtered(lambda a: a.name.endswith("-response.xml"))
                for attachment in request[:1] + answer[:1]:
                    xml = attachment.raw
                    self.assertIn(b'Id="MsgBody"', xml)
                    self.assertNotIn(b"BinarySecurityToken", xml)
                    self.assertIn(b"X509Certificate", xml)
                residence = self.checks_of(case)["Lives in the town"].request_id
                self.assertIn(
                    b"BinarySecurityToken",
                    self.env["ir.attachment"]
                    .search(
                        [
                            ("res_model", "=", "confirma.interop.request"),
                            ("res_id", "=", residence.id),
                        ],
                        limit=1,
                    )
                    .raw,
                )
                case.interop_check_ids.unlink()
                case.action_cancel()

    def test_encrypted_answers_end_to_end(self):
        """The platform encrypts a service's answers to the town hall's seal
        (DatosEspecificos when synchronous, Transmisiones when asynchronous,
        as the TGSS): they are decrypted and read; the raw answer kept for
        the audit is the encrypted one. Encrypted to another key, the answer
        is an explicit protocol error (CF02) and the checks are asked again:
        never unknown, never an answer without transmissions."""
        self.simulator.encryption["SVDDGPVIWS02"] = ("rsa-oaep", "aes256-gcm")
        for mode in ("sync", "async"):
            with self.subTest(mode=mode):
                self.platform.mode = mode
                (case,) = self.confirmed_cases(self.anna)
                self.run_checks()
                identity = self.checks_of(case)["Identity"]
                self.assertEqual(identity.result, "met")
                raw = self.env["ir.attachment"].search(
                    [
                        ("res_model", "=", "confirma.interop.request"),
                        ("res_id", "=", identity.request_id.id),
                        ("name", "like", "-response.xml"),
                    ],
                    order="id desc",
                    limit=1,
                )
                self.assertIn(b"EncryptedData", raw.raw)
                self.assertIn(b"EncryptedKey", raw.raw)
                case.interop_check_ids.unlink()
                case.action_cancel()
        self.platform.mode = "sync"
        self.simulator.encrypt_to = certs.pem(certs.TestPki().requester)
        (case,) = self.confirmed_cases(self.anna)
        self.run_checks()
        identity = self.checks_of(case)["Identity"]
        self.assertEqual(identity.state, "queued")
        self.assertFalse(identity.result)
        self.assertEqual(identity.status_code, "CF02")
        self.assertIn("encrypted", identity.last_error)
        self.assertIn("not encrypted to this seal", self.platform.last_error)
        # the other services (not encrypted) were answered
        self.assertEqual(self.checks_of(case)["Lives in the town"].result, "met")

    def test_mismatched_answers_refused(self):
        """A signed answer that is not the answer to its request (another
        IdPeticion or service, a holder or a transmission nobody asked
        about: replayed or mixed up) is refused: nothing in it is used, the
        checks are queued again and the platform shows why."""
        for mode, mismatch, label in (
            ("sync", "id_peticion", "IdPeticion"),
            ("sync", "certificate", "CodigoCertificado"),
            ("async", "id_peticion", "IdPeticion"),
            ("async", "holder", "another holder"),
            ("async", "solicitud", "was not asked"),
        ):
            with self.subTest(mode=mode, mismatch=mismatch):
                self.platform.mode = mode
                self.simulator.faults = type(self.simulator.faults)()
                self.simulator.faults.update({"mismatch": mismatch})
                (case,) = self.confirmed_cases(self.anna)
                self.checks_of(case)["Lives in the town"].unlink()
                self.checks_of(case)["Income under 20,000 EUR"].unlink()
                self.run_checks()
                identity = self.checks_of(case)["Identity"]
                self.assertEqual(identity.state, "queued")
                self.assertFalse(identity.result)
                self.assertEqual(identity.status_code, "CF01")
                self.assertEqual(identity.attempts, 1)
                self.assertIn("does not match the request", identity.last_error)
                self.assertIn(label, self.platform.last_error)
                failed = self.env["confirma.interop.request"].search(
                    [("status_code", "=", "CF01")], order="id desc", limit=1
                )
                self.assertEqual(failed.state, "failed")
                self.assertEqual(case.state, "verifying")
                case.interop_check_ids.unlink()
                case.action_cancel()

    def test_request_faults_retry_with_backoff(self):
        """Timeouts, HTTP 503, SOAP faults, malformed XML and authorisation
        errors (0301, 0314) leave the checks queued with a retry count and
        the next attempt later; nothing is met; the platform shows the error."""
        faults = [
            # Odoo's test harness raises client timeouts under 10 s to 10 s
            {"timeout": 11.0},
            {"http_status": 503},
            {"soap_fault": True},
            {"malformed": True},
            {"request_code": "0301"},
            {"request_code": "0314"},
        ]
        expected = ["0102", "0502", "0502", "0103", "0301", "0314"]
        for fault, code in zip(faults, expected, strict=True):
            with self.subTest(fault=fault):
                self.simulator.faults = type(self.simulator.faults)()
                self.simulator.faults.update(fault)
                (case,) = self.confirmed_cases(self.anna)
                # one check is enough (and one timeout to wait for)
                self.checks_of(case)["Lives in the town"].unlink()
                self.checks_of(case)["Income under 20,000 EUR"].unlink()
                before = fields.Datetime.now()
                self.run_checks()
                checks = case.interop_check_ids
                self.assertEqual(
                    set(checks.mapped("state")),
                    {"queued"},
                    (fault, checks.mapped(lambda c: (c.state, c.status_code))),
                )
                self.assertEqual(set(checks.mapped("attempts")), {1})
                self.assertEqual(set(checks.mapped("status_code")), {code})
                self.assertFalse(checks.filtered("result"))
                self.assertTrue(all(c.next_attempt > before for c in checks))
                self.assertEqual(case.state, "verifying")
                self.assertIn(code, self.platform.last_error)
                checks.unlink()
                case.action_cancel()

    def test_retry_then_success(self):
        """The platform fails once; the next run (after the backoff) works."""
        self.simulator.faults.update({"http_status": 503, "fail_next": 3})
        (case,) = self.confirmed_cases(self.anna)
        self.run_checks()
        checks = case.interop_check_ids
        self.assertEqual(set(checks.mapped("state")), {"queued"})
        self.run_checks()  # not due yet: nothing sent
        self.assertEqual(set(checks.mapped("attempts")), {1})
        with freeze_time(fields.Datetime.now() + timedelta(minutes=6)):
            self.run_checks()
        self.assertEqual(set(checks.mapped("result")), {"met"})
        self.assertEqual(case.state, "instruction")

    def test_gives_up_after_max_attempts(self):
        self.simulator.faults.update({"soap_fault": True})
        (case,) = self.confirmed_cases(self.anna)
        now = fields.Datetime.now()
        for step in range(3):
            with freeze_time(now + timedelta(days=step)):
                self.run_checks()
        checks = case.interop_check_ids
        self.assertEqual(set(checks.mapped("result")), {"unknown"})
        self.assertIn("Gave up after 3 attempts", checks[0].result_note)
        self.assertEqual(case.state, "instruction")

    def test_async_pending_polls(self):
        """0002 answers keep the request waiting (polled later), then 0003."""
        self.simulator.faults.update({"pending_polls": 1, "ter": 1})
        (case,) = self.confirmed_cases(self.anna)
        self.run_checks()
        identity = self.checks_of(case)["Identity"]
        self.assertEqual(identity.state, "pending")
        request = identity.request_id
        self.assertEqual((request.state, request.estimated_hours), ("waiting", 1))
        with freeze_time(fields.Datetime.now() + timedelta(hours=2)):
            self.run_checks()  # the poll still says 0002
        self.assertEqual(identity.state, "pending")
        with freeze_time(fields.Datetime.now() + timedelta(hours=4)):
            self.run_checks()
        self.assertEqual(identity.result, "met")
        self.assertEqual(request.state, "done")

    def test_restart_in_the_middle(self):
        """A request left "sending" (Odoo stopped before the answer) gives
        its checks back to the queue: nothing is lost."""
        (case,) = self.confirmed_cases(self.anna)
        checks = case.interop_check_ids
        request = self.env["confirma.interop.request"].create(
            {
                "name": "CONFIRMA000000000000009999",
                "platform_id": self.platform.id,
                "service_id": checks[0].service_id.id,
                "mode": "async",
                "count": 1,
                "date_sent": fields.Datetime.now() - timedelta(hours=1),
            }
        )
        checks[0].write({"state": "sent", "request_id": request.id})
        self.run_checks()
        self.assertEqual(request.state, "lost")
        self.assertEqual(set(checks.mapped("result")), {"met"})

    def test_purge_after_retention(self):
        (case,) = self.confirmed_cases(self.anna)
        self.run_checks()
        Request = self.env["confirma.interop.request"]
        requests = Request.search([])
        self.assertTrue(requests)
        self.env["ir.config_parameter"].set_param("confirma_interop.retention_days", 30)
        self.assertEqual(Request._cron_purge_raw(), 0)
        with freeze_time(fields.Datetime.now() + timedelta(days=31)):
            self.assertEqual(Request._cron_purge_raw(), len(requests))
        self.assertTrue(all(requests.mapped("raw_purged")))
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", Request._name), ("res_id", "in", requests.ids)]
            )
        )
        # the audit rows stay
        self.assertEqual(
            self.env["confirma.interop.log"].search_count([("case_id", "=", case.id)]),
            3,
        )

    def test_verify_now_by_officer(self):
        """An interoperability officer sends a case's checks at once, even
        those waiting for their next attempt; a plain user cannot."""
        self.simulator.faults.update({"latency": 0.2})
        (case,) = self.confirmed_cases(self.anna)
        case.interop_check_ids.write(
            {"next_attempt": fields.Datetime.now() + timedelta(hours=3)}
        )
        with self.assertRaises(AccessError):
            case.with_user(self.user_interop).action_interop_verify()
        action = case.with_user(self.officer_interop).action_interop_verify()
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(set(case.interop_check_ids.mapped("result")), {"met"})
        self.assertEqual(case.state, "instruction")

    def test_outcomes_translated(self):
        """Outcomes are written in the language of whoever runs the check."""
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["ir.module.module"]._load_module_terms(
            ["confirma_interop"], ["es_ES"], overwrite=True
        )
        self.simulator.faults.update({"holder_code": "0233"})
        self.platform.mode = "sync"
        (case,) = self.confirmed_cases(self.anna)
        self.Check.with_context(lang="es_ES")._process()
        notes = case.interop_check_ids.mapped("result_note")
        self.assertIn("0233 Titular no identificado", notes)
