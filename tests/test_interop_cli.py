"""``./confirma interop simulate`` and ``verify`` as a user runs them.

The simulator is started as its own process on a free loopback port; the
test talks to it as the platform client does (signed SOAP through zeep),
and sets a fault switch through its control endpoint (with its control
token).
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONF = ROOT / ".confirma" / "odoo.conf"


def _env():
    return dict(os.environ, PYTHONPATH=str(ROOT / "tools"), CONFIRMA_PREPARED="1")


@pytest.fixture(scope="module")
def simulator():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "confirma", "interop", "simulate",
         "--port", str(port), "--residents", "300", "--seed", "3", "--months", ""],
        cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _attempt in range(120):
        try:
            urllib.request.urlopen(f"{url}/_control", timeout=1)
            break
        except OSError:
            assert proc.poll() is None, proc.stdout.read()
            time.sleep(0.5)
    yield url
    proc.terminate()
    proc.wait(10)


def _client():
    sys.path.insert(0, str(ROOT / "tools"))
    from confirma import interop

    interop._load_addons(CONF)
    from odoo.addons.confirma_interop.scsp import certs, client, wssec

    folder = interop.pki_folder()
    key, cert, _chain = certs.load_p12(
        (folder / "requester.p12").read_bytes(), certs.TEST_PASSWORD
    )
    return client.ScspClient(
        wssec.Signer(key, cert), wssec.Verifier((folder / "ca.pem").read_bytes()), 30
    )


def _peticion(number, document):
    from odoo.addons.confirma_citizen import synthetic
    from odoo.addons.confirma_interop.scsp import messages, services

    service = services.SERVICES["SVDDGPVIWS02"]
    person = next(
        row for row in synthetic.generate_rows(300, seed=3)
        if row["document_number"] == document
    )  # fmt: skip
    return service, messages.peticion(
        service.code,
        f"CONFIRMACLI{number:015d}",
        [
            messages.Solicitud(
                id_solicitud=f"CONFIRMACLI{number:015d}-0001",
                issuer_nif=service.issuer_nif, issuer_name=service.issuer_name,
                requester_nif="P4690000A", requester_name="Ajuntament",
                procedure_code="998877", procedure_name="Test", purpose="Test",
                consent="Ley", official_name="SECRETARIA",
                official_nif="00000000T", document_type="DNI",
                document=document, surname1=person["surname1"],
            )
        ],
    )  # fmt: skip


def test_simulate_answers_signed_and_takes_fault_switches(simulator):
    from odoo.addons.confirma_citizen import synthetic
    from odoo.addons.confirma_interop.scsp import messages
    from odoo.addons.confirma_interop.scsp.client import ScspError

    client = _client()
    document = next(
        row["document_number"] for row in synthetic.generate_rows(300, seed=3)
        if row["document_type"] == "dni"
    )  # fmt: skip
    service, element = _peticion(1, document)
    url = f"{simulator}/servicios/SVD/{service.endpoint}"
    exchange = client.call(url, "peticionSincrona", element)
    answer = messages.read(exchange.root)
    assert answer.code == "0003"
    context = {"today": None}
    assert service.reading(answer.transmissions[0].specific, context).result == "met"
    # a fault switch through the control endpoint: with the control token
    # (generated next to the test PKI) only
    from confirma import interop

    change = json.dumps({"request_code": "0314"}).encode()
    for headers in ({}, {"X-Control-Token": "not-the-token"}):
        request = urllib.request.Request(
            f"{simulator}/_control", data=change, method="POST", headers=headers
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 403
    request = urllib.request.Request(
        f"{simulator}/_control",
        data=change,
        method="POST",
        headers={"X-Control-Token": interop.control_token(CONF)},
    )
    state = json.load(urllib.request.urlopen(request, timeout=5))
    assert state["request_code"] == "0314"
    _service, element = _peticion(2, document)
    with pytest.raises(ScspError) as caught:
        client.call(url, "peticionSincrona", element)
    assert caught.value.code == "0314"


def test_verify_unknown_case_says_so(pytestconfig):
    database = pytestconfig.getoption("--odoo-database")
    proc = subprocess.run(
        [sys.executable, "-m", "confirma", "interop", "verify", "NO/SUCH/CASE",
         "--db", database],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode != 0
    assert "No case 'NO/SUCH/CASE'" in proc.stdout + proc.stderr
