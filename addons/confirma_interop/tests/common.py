# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import datetime
import os
from pathlib import Path

from odoo import fields
from odoo.tests import new_test_user

from odoo.addons.confirma_citizen.tests.common import new_role_users
from odoo.addons.confirma_tramites.tests.common import (
    REFERENCE,
    ConfirmaPopulationCommon,
    ConfirmaTramitesCommon,
    answer_at_counter,
)
from odoo.addons.queue_job.tests.common import trap_jobs

from ..scsp import certs, simulator

# The official schemas live beside the project (never copied into it).
XSD = Path(
    os.environ.get("CONFIRMA_SCSP_XSD")
    or Path(__file__).resolve().parents[3].parent / "shared" / "scsp" / "xsd"
)


def interop_users(cls):
    """One user per role of this addon, and an auditor (with that role only)."""
    cls.user_interop, cls.officer_interop, cls.manager_interop = new_role_users(
        cls.env, "confirma_interop", "interop"
    )
    cls.auditor = new_test_user(
        cls.env, login="interop_auditor", groups="confirma_interop.group_auditor"
    )


class ConfirmaInteropCommon(ConfirmaTramitesCommon):
    """Base class of the Confirm@ Interoperability tests: one user per role,
    and an auditor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        interop_users(cls)


class ConfirmaSimulatorCommon(ConfirmaPopulationCommon):
    """The test town, a procedure whose requirements are checked with data
    services, and the project's SCSP simulator on a free loopback port
    (a real SOAP server, signing with its own test certificate).

    What the simulator knows (other administrations' data):

    ======  =========  ========  ==========  ==========  ===============
    who     document   income    disability  tax clear   large family
    ======  =========  ========  ==========  ==========  ===============
    anna    11111111H  12,000    45 %        yes         until 2099
    bernat  22222222J  31,000    —           no          expired 2001
    driss   X1234567L  14,000    —           yes         —   (objects)
    ======  =========  ========  ==========  ==========  ===============
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        interop_users(cls)
        cls.company.confirma_ine_code = "46900"
        cls.pki = certs.TestPki()
        cls.people = simulator.Registry()
        future, past = datetime.date(2099, 1, 1), datetime.date(2001, 1, 1)
        people = {
            cls.anna: dict(income=12000, disability=45, large=future),
            cls.bernat: dict(income=31000, aeat_clear=False, large=past),
            cls.driss: dict(income=14000),
        }
        for partner, data in people.items():
            cls.people.add(
                simulator.Person(
                    document=partner.document_number,
                    first_name=partner.first_name,
                    surname1=partner.surname1,
                    surname2=partner.surname2 or "",
                    birthdate=partner.birthdate,
                    municipality="46900",
                    municipality_name="VILADEMO",
                    residence_since=partner.padron_registration_date,
                    income=data["income"],
                    aeat_clear=data.get("aeat_clear", True),
                    disability=data.get("disability", 0),
                    large_family_until=data.get("large"),
                    children=3 if data.get("large") else 0,
                )
            )
        cls.simulator = simulator.Simulator(
            cls.people,
            certs.key_pem(cls.pki.simulator_key),
            certs.pem(cls.pki.simulator),
            certs.pem(cls.pki.ca),
            today=REFERENCE,
        )
        cls.server = simulator.start(cls.simulator)
        cls.addClassCleanup(cls.server.shutdown)
        cls.platform = cls.env.ref("confirma_interop.platform_default")
        cls.platform.write(
            {
                "base_url": f"http://127.0.0.1:{cls.server.port}/servicios/SVD/",
                "requester_nif": "P4690000A",
                "requester_name": "Ajuntament de Vilademo",
                "certificate": base64.b64encode(cls.pki.requester_p12()),
                "certificate_password": certs.TEST_PASSWORD,
                "trust_store": certs.pem(cls.pki.ca).decode(),
                # answers from the simulator's seal only
                **cls.env["confirma.interop.platform"]._signer_pin_values(
                    certs.pem(cls.pki.simulator)
                ),
                "official_name": "SECRETARIA MUNICIPAL",
                "official_nif": "00000000T",
                "mode": "async",
                "timeout": 5,
                "retry_minutes": 5,
                "max_attempts": 3,
            }
        )
        cls.service = {
            code: cls.env.ref(f"confirma_interop.service_{code.lower()}")
            for code in ("SVDDGPVIWS02", "SVDREXTFECHAWS01", "NIVRENTI", "ECOT103I")
        }
        cls.procedure = cls.make_procedure(
            cls.make_rule({"kind": "age", "min_value": 18}, name="Adults"),
            code="IOP",
            name="Rent aid",
            sia_code="998877",
            requirement_ids=[
                (0, 0, dict(name="Identity", method="interop",
                            interop_service_id=cls.service["SVDDGPVIWS02"].id,
                            document_name="ID card copy")),
                (0, 0, dict(name="Lives in the town", method="interop",
                            interop_service_id=cls.service["SVDREXTFECHAWS01"].id,
                            document_name="Residence certificate")),
                (0, 0, dict(name="Income under 20,000 EUR", method="interop",
                            interop_service_id=cls.service["NIVRENTI"].id,
                            interop_threshold=20000,
                            document_name="Income tax return")),
                (0, 0, dict(name="Age", method="data")),
            ],
        )  # fmt: skip
        cls.Check = cls.env["confirma.interop.check"]

    def setUp(self):
        super().setUp()
        self.simulator.faults = simulator.Faults()
        self.simulator.profiles = {}
        self.simulator.encryption = {}
        self.simulator.encrypt_to = None
        self.simulator.requests = 0

    @classmethod
    def confirmed_cases(cls, *partners):
        """Open and confirm the cases of ``partners``: their checks are queued."""
        cases = cls.env["confirma.case"]._open_cases(
            cls.procedure, cls.env["res.partner"].union(*partners), "sweep", REFERENCE
        )
        answer_at_counter(cases, cls.officer_tramites)
        return cases

    def run_checks(self):
        """The scheduled run, then the jobs it hands out as the job runner
        runs them: those due now, and those they hand out in turn (a poll
        due later waits for a later run). Returns the jobs run."""
        ran = []
        with trap_jobs() as trap:
            self.Check._cron_process()
            while True:
                now = fields.Datetime.now()
                due = [
                    job
                    for job in trap.enqueued_jobs
                    if job not in ran and (not job.eta or job.eta <= now)
                ]
                if not due:
                    break
                for job in due:
                    self.assertEqual(job.channel, "root.confirma.interop")
                    job.perform()
                    ran.append(job)
        return ran
