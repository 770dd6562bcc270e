"""Interoperability: verifying requirements against the SCSP simulator.

Figures:
- ``interop_verifications_per_s``: 10,000 requirement checks (one per
  confirmed case) through the whole asynchronous path, as production runs
  it: the scheduled run hands them to queue_job jobs, which the job runner
  of an Odoo server (``WORKERS`` HTTP workers, as ``./confirma serve``)
  runs, as many at once as the interop channel allows (two requests in
  flight); batches of 1,000 holders per Peticion (the platform's largest)
  built and signed
  (WS-Security, RSA-SHA1, xmlsec), posted over HTTP to the project's
  simulator (a separate process on loopback, answering from the synthetic
  town and signing its answers), acknowledgement 0002, polling
  solicitudRespuesta, answers' signatures verified, each requirement set,
  raw messages attached, audit rows written, the cases moved to instruction
  with their summary — one transaction per job (a request, a poll). The
  simulator answers the
  service encrypted, as the TGSS does (Transmisiones in an EncryptedData
  to the town's certificate: RSA-OAEP, AES-256-GCM), so the client also
  decrypts every answer;
- ``interop_verifications_batch100_per_s`` and
  ``interop_verifications_batch1_per_s``: the same path, same run, with
  100 holders per Peticion (2,000 checks) and one (300 checks): what a
  night's checks cost in round trips and signatures;
- ``interop_simulator_ceiling_per_s``: the simulator alone, the limit of
  the figures above: holders answered per second when it gets Peticion
  messages of 1,000 holders already signed (and their signed polls) and
  nothing is verified or written on the client side;
- ``interop_sign_ms``: signing one Peticion of one holder (the synchronous
  message), mean of 500;
- ``interop_verify_ms``: verifying the signature of one such message.

The town is the synthetic padrón imported through the real importer, on a
scratch database with confirma_citizen, confirma_tramites and
confirma_interop.
"""

import base64
import os
import subprocess
import tempfile
import time

import fixtures

SERVICE = "SVDREXTFECHAWS01"
RESIDENTS = 14_000
CHECKS = 10_000
# the smaller batches run on the same checks again (fewer of them: a batch
# of one costs a round trip and two signatures per holder)
ROUNDS = ((100, 2_000), (1, 300))
CEILING_REQUESTS = 10
SIGNATURES = 500
WORKERS = 2  # ./confirma serve's default
TIMEOUT = 900


def _start_simulator(port):
    from confirma import cli

    proc = cli.start_simulator(
        port, "--residents", str(RESIDENTS), "--seed", "7", "--months", "",
        # the TGSS's way: Transmisiones encrypted to the town's certificate
        "--encrypt", f"{SERVICE}:rsa-oaep:aes256-gcm",
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        cli.wait_http(f"http://127.0.0.1:{port}/_control", proc, timeout=60)
    except Exception:
        proc.kill()
        raise
    return proc


def _serve(ctx, db):
    """An Odoo server on ``db`` with its job runner, as ./confirma serve
    runs it (no scheduled actions: the bench starts the run itself)."""
    from confirma import cli

    server, _port = cli.start_server(ctx.conf, db, workers=WORKERS)
    time.sleep(6)  # the job runner starts a few seconds after the server
    return server


def configure_platform(env, port, pki):
    """The intermediation platform: the simulator on ``port``, the test
    PKI's certificate, asynchronous, 1,000 holders a Peticion."""
    env.ref("confirma_interop.platform_default").write(
        {
            "base_url": f"http://127.0.0.1:{port}/servicios/SVD/",
            "certificate": base64.b64encode((pki / "requester.p12").read_bytes()),
            "certificate_password": "confirma-test",
            "trust_store": (pki / "ca.pem").read_text(),
            "official_name": "SECRETARIA MUNICIPAL",
            "official_nif": "00000000T",
            "mode": "async",
            "batch_size": 1000,
        }
    )


def require_residence(procedures, name):
    """A requirement checked with the residence service on ``procedures``."""
    service = procedures.env.ref("confirma_interop.service_svdrextfechaws01")
    for procedure in procedures:
        procedure.requirement_ids = [
            (
                0,
                0,
                {"name": name, "method": "interop", "interop_service_id": service.id},
            )
        ]


def checkable_cases(env, procedures, limit):
    """The first ``limit`` cases of ``procedures`` whose resident has a
    document and did not object to the checks."""
    return env["confirma.case"].search(
        [
            ("procedure_id", "in", procedures.ids),
            ("partner_id.document_number", "!=", False),
            ("partner_id.data_opposition", "=", False),
        ],
        limit=limit,
        order="id",
    )


def _verify_with_jobs(registry, ids):
    """The scheduled run hands the queued checks to jobs, the server's job
    runner runs them: the seconds until every check of ``ids`` is
    answered."""
    import odoo

    started = time.perf_counter()
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env["confirma.interop.check"]._cron_process()
    while True:
        with registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FILTER (WHERE state = 'done'), count(*) "
                "FROM confirma_interop_check WHERE id = ANY(%s)",
                [ids],
            )
            done, total = cr.fetchone()
            cr.execute("SELECT count(*) FROM queue_job WHERE state = 'failed'")
            failed = cr.fetchone()[0]
        elapsed = time.perf_counter() - started
        if done == total:
            return elapsed
        if failed or elapsed > TIMEOUT:
            raise RuntimeError(f"{done}/{total} checks answered, {failed} jobs failed")
        time.sleep(0.05)


def _solicitud(service, id_solicitud, document, specific=None):
    """One holder of a bench message (the same requester and purpose)."""
    from odoo.addons.confirma_interop.scsp import messages

    return messages.Solicitud(
        id_solicitud=id_solicitud,
        issuer_nif=service.issuer_nif,
        issuer_name=service.issuer_name,
        requester_nif="P4690000A",
        requester_name="Ajuntament",
        procedure_code="998877",
        procedure_name="Bench",
        purpose="Bench",
        consent="Ley",
        official_name="SECRETARIA",
        official_nif="00000000T",
        document_type=service.document_type("dni"),
        document=document,
        specific=specific,
    )


def _signing(env):
    from odoo.addons.confirma_interop.scsp import certs, messages, services, wssec

    pki = certs.TestPki()
    signer = wssec.Signer(
        certs.key_pem(pki.requester_key), certs.pem(pki.requester), "rsa-sha1"
    )
    verifier = wssec.Verifier(certs.pem(pki.ca))
    service = services.SERVICES["SVDDGPVIWS02"]
    solicitud = _solicitud(service, "CONFIRMA000000000000000001-0001", "12345678Z")
    envelopes = []
    for number in range(SIGNATURES):
        envelopes.append(
            wssec.soap_envelope(
                messages.peticion(service.code, f"CONFIRMA{number:018d}", [solicitud])
            )
        )
    started = time.perf_counter()
    for envelope in envelopes:
        signer.sign(envelope)
    sign_ms = (time.perf_counter() - started) * 1000 / SIGNATURES
    started = time.perf_counter()
    for envelope in envelopes:
        verifier.verify(envelope)
    verify_ms = (time.perf_counter() - started) * 1000 / SIGNATURES
    return sign_ms, verify_ms


def _requeue(env, checks):
    """Put answered checks (and their cases) back as they were before the
    first run, for the next batch size."""
    env.flush_all()
    env.cr.execute(
        """
        UPDATE confirma_interop_check
           SET state = 'queued', request_id = NULL, id_solicitud = NULL,
               result = NULL, result_note = NULL, status_code = NULL,
               date_done = NULL, attempts = 0,
               next_attempt = now() at time zone 'UTC' - interval '1 minute'

         WHERE id = ANY(%s)
        """,
        [checks.ids],
    )
    env.cr.execute(
        "UPDATE confirma_case SET state = 'verifying' WHERE id = ANY(%s)",
        [checks.case_id.ids],
    )
    env.invalidate_all()


def _ceiling(port, pki, documents=None):
    """Holders per second the simulator answers alone (see the module):
    Peticiones of 1,000 of ``documents`` (default: the town's first)."""
    import requests
    from lxml import etree

    from odoo.addons.confirma_interop.scsp import certs, messages, services, wssec
    from odoo.addons.confirma_interop.scsp.simulator import Registry

    if documents is None:
        registry = Registry.from_synthetic(residents=RESIDENTS, seed=7, months=())
        documents = list(registry)
    documents = documents[:1000]
    key_pem, cert_pem, _chain = certs.load_p12(
        (pki / "requester.p12").read_bytes(), certs.TEST_PASSWORD
    )
    signer = wssec.Signer(key_pem, cert_pem, "rsa-sha1")
    service = services.SERVICES[SERVICE]

    def envelope(element):
        root = signer.sign(wssec.soap_envelope(element))
        return etree.tostring(root, xml_declaration=True, encoding="utf-8")

    bodies = []
    for number in range(CEILING_REQUESTS):
        id_peticion = f"CEILING{number:019d}"
        solicitudes = [
            _solicitud(
                service,
                f"{id_peticion}-{index:04d}",
                document,
                service.request({"municipality": "46900"}),
            )
            for index, document in enumerate(documents, 1)
        ]
        bodies.append(
            (
                envelope(messages.peticion(service.code, id_peticion, solicitudes)),
                envelope(
                    messages.solicitud_respuesta(
                        service.code, id_peticion, len(solicitudes)
                    )
                ),
            )
        )
    url = f"http://127.0.0.1:{port}/servicios/SVD/{service.endpoint}"
    session = requests.Session()
    headers = {"Content-Type": "text/xml; charset=utf-8"}
    started = time.perf_counter()
    for peticion, poll in bodies:
        for body, action in (
            (peticion, "peticionAsincrona"),
            (poll, "solicitudRespuesta"),
        ):
            answer = session.post(
                url + (".Asincrona" if action == "peticionAsincrona" else ""),
                data=body,
                headers=dict(headers, SOAPAction=f'"{action}"'),
                timeout=120,
            )
            assert answer.status_code == 200, answer.content[:300]
    elapsed = time.perf_counter() - started
    return CEILING_REQUESTS * len(documents) / elapsed


def run(ctx):
    from confirma import cli, interop
    from confirma.odoo_env import addon_module
    from confirma.odoo_env import registry as odoo_env

    import odoo

    synthetic = addon_module(ctx.conf, "confirma_citizen.synthetic.population")
    port = cli.free_port()
    with tempfile.TemporaryDirectory() as tmp:
        town = os.path.join(tmp, "padron.csv")
        synthetic.write_csv(town, RESIDENTS, seed=7)
        modules = ["confirma_citizen", "confirma_tramites", "confirma_interop"]
        with ctx.scratch_db("interop", modules=modules) as db:
            registry = odoo_env(ctx.conf, db)
            pki = interop.ensure_pki(ctx.conf)
            simulator = _start_simulator(port)
            try:
                with registry.cursor() as cr:
                    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                    env.company.confirma_ine_code = "46900"
                    loaded = fixtures.load_town(env, town)
                    assert loaded.created == RESIDENTS, loaded.summary_line()
                    cr.commit()
                    configure_platform(env, port, pki)
                    procedure = fixtures.active_procedure(
                        env, "BENCH", {"kind": "age", "min_value": 18}
                    )
                    require_residence(procedure, "Lives in the town")
                    procedure.sweep()
                    cases = checkable_cases(env, procedure, CHECKS)
                    assert len(cases) == CHECKS, len(cases)
                    cases.action_confirm(channel="counter")
                    cr.commit()
                    Check = env["confirma.interop.check"]
                    assert Check.search_count([("state", "=", "queued")]) == CHECKS

                    checks = Check.search([("state", "=", "queued")])
                server = _serve(ctx, db)
                try:
                    elapsed = _verify_with_jobs(registry, checks.ids)
                    rates = {}
                    with registry.cursor() as cr:
                        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                        Check = env["confirma.interop.check"]
                        checks = checks.with_env(env)
                        _check_answers(env, Check, cases.with_env(env))
                    for batch, count in ROUNDS:
                        with registry.cursor() as cr:
                            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                            subset = checks.with_env(env)[:count]
                            _requeue(env, subset)
                            env.ref(
                                "confirma_interop.platform_default"
                            ).batch_size = batch
                        rates[batch] = count / _verify_with_jobs(registry, subset.ids)
                finally:
                    server.terminate()
                    server.wait(timeout=60)
                with registry.cursor() as cr:
                    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                    sign_ms, verify_ms = _signing(env)
                    ceiling = _ceiling(port, pki)
            finally:
                simulator.terminate()
                simulator.wait(10)
            odoo.modules.registry.Registry.delete(db)
    return {
        "interop_verifications_per_s": round(CHECKS / elapsed, 1),
        "interop_verifications_10k_s": round(elapsed, 1),
        "interop_verifications_batch100_per_s": round(rates[100], 1),
        "interop_verifications_batch1_per_s": round(rates[1], 1),
        "interop_simulator_ceiling_per_s": round(ceiling, 1),
        "interop_sign_ms": round(sign_ms, 2),
        "interop_verify_ms": round(verify_ms, 2),
    }


def _check_answers(env, Check, cases):
    """Every check answered, nearly all met, audited, every case moved."""
    answered = Check.search_count([("state", "=", "done")])
    met = Check.search_count([("result", "=", "met")])
    assert answered == CHECKS, answered
    assert met > CHECKS * 0.9, met
    assert env["confirma.interop.log"].search_count([]) == CHECKS
    left = env["confirma.case"].search_count(
        [("id", "in", cases.ids), ("state", "!=", "instruction")]
    )
    assert not left, left
