"""``./confirma interop simulate`` and ``verify`` as a user runs them.

The simulator is started as its own process on a free loopback port; the
test talks to it as the platform client does (signed SOAP over HTTP),
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


def _start_simulator(*options):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "confirma", "interop", "simulate",
         "--port", str(port), "--residents", "300", "--seed", "3", "--months", "",
         *options],
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
    return proc, url


@pytest.fixture(scope="module")
def simulator():
    proc, url = _start_simulator()
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def encrypting_simulator():
    """``simulate --encrypt SVDDGPVIWS02``: answers encrypted as the TGSS's."""
    proc, url = _start_simulator("--encrypt", "SVDDGPVIWS02:rsa-1_5:aes128-cbc")
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def replay_simulator():
    """``simulate --accept-untrusted``: replaying captured messages."""
    proc, url = _start_simulator("--accept-untrusted")
    yield url
    proc.terminate()
    proc.wait(10)


def _client(decrypt=False):
    sys.path.insert(0, str(ROOT / "tools"))
    from confirma import interop
    from confirma.odoo_env import load

    load(CONF)
    from odoo.addons.confirma_interop.scsp import certs, client, wssec

    folder = interop.pki_folder()
    key, cert, _chain = certs.load_p12(
        (folder / "requester.p12").read_bytes(), certs.TEST_PASSWORD
    )
    return client.ScspClient(
        wssec.Signer(key, cert),
        wssec.Verifier((folder / "ca.pem").read_bytes()),
        30,
        decrypt_key=key if decrypt else None,
    )


def _first_dni():
    """The document of the synthetic town's first resident with a DNI (the
    town the simulator answers from)."""
    from odoo.addons.confirma_citizen.synthetic import population as synthetic

    return next(
        row["document_number"] for row in synthetic.generate_rows(300, seed=3)
        if row["document_type"] == "dni"
    )  # fmt: skip


def _peticion(number, document):
    from odoo.addons.confirma_citizen.synthetic import population as synthetic
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
    from odoo.addons.confirma_interop.scsp import messages
    from odoo.addons.confirma_interop.scsp.client import ScspError

    client = _client()
    document = _first_dni()
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


def test_simulate_encrypts_the_services_asked(encrypting_simulator):
    """``--encrypt``: the service's answers come encrypted to the requester's
    certificate; the client decrypts them with its key, and without the key
    refuses them (never reads them as 'unknown')."""
    from odoo.addons.confirma_interop.scsp import messages
    from odoo.addons.confirma_interop.scsp.client import ScspError

    document = _first_dni()
    service, element = _peticion(7, document)
    url = f"{encrypting_simulator}/servicios/SVD/{service.endpoint}"
    exchange = _client(decrypt=True).call(url, "peticionSincrona", element)
    assert b"EncryptedData" in exchange.response_xml
    assert b"rsa-1_5" in exchange.response_xml
    answer = messages.read(exchange.root)
    assert service.reading(answer.transmissions[0].specific, {}).result == "met"
    service, element = _peticion(8, document)
    with pytest.raises(ScspError):
        _client().call(url, "peticionSincrona", element)


def test_verify_unknown_case_says_so(pytestconfig):
    database = pytestconfig.getoption("--odoo-database")
    proc = subprocess.run(
        [sys.executable, "-m", "confirma", "interop", "verify", "NO/SUCH/CASE",
         "--db", database],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode != 0
    assert "No case 'NO/SUCH/CASE'" in proc.stdout + proc.stderr


def _stranger_client():
    """A client whose seal no test authority issued (another town's PKI)."""
    from odoo.addons.confirma_interop.scsp import certs, client, wssec

    other = certs.TestPki()
    return client.ScspClient(
        wssec.Signer(certs.key_pem(other.requester_key), certs.pem(other.requester)),
        _client().verifier,
        30,
    )


def _dni(number=0):
    from odoo.addons.confirma_citizen.synthetic import population as synthetic

    return [
        row["document_number"] for row in synthetic.generate_rows(300, seed=3)
        if row["document_type"] == "dni"
    ][number]  # fmt: skip


def test_simulate_accept_untrusted_replays_foreign_messages(
    simulator, replay_simulator
):
    """A request signed by a seal the simulator does not trust: refused
    (0305) normally, answered in replay mode; a request whose signature is
    broken is refused even then."""
    from odoo.addons.confirma_interop.scsp import messages
    from odoo.addons.confirma_interop.scsp.client import ScspError

    stranger = _stranger_client()
    service, element = _peticion(11, _dni())
    with pytest.raises(ScspError) as caught:
        stranger.call(f"{simulator}/servicios/SVD/{service.endpoint}",
                      "peticionSincrona", element)  # fmt: skip
    assert caught.value.code == "0305"
    _service, element = _peticion(12, _dni())
    exchange = stranger.call(
        f"{replay_simulator}/servicios/SVD/{service.endpoint}",
        "peticionSincrona",
        element,
    )
    assert messages.read(exchange.root).code == "0003"
    # replay: the captured bytes again, one character changed
    tampered = exchange.request_xml.replace(b"CONFIRMACLI", b"CONFIRMACLX", 1)
    request = urllib.request.Request(
        f"{replay_simulator}/servicios/SVD/{service.endpoint}",
        data=tampered,
        method="POST",
        headers={"Content-Type": "text/xml; charset=utf-8"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert b"0305" in refused.value.read()


def _inspect(*arguments):
    proc = subprocess.run(
        [sys.executable, "-m", "confirma", "interop", "inspect", *arguments],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    return proc.returncode, proc.stdout, proc.stderr


def test_inspect_explains_one_message(replay_simulator, tmp_path):
    """``./confirma interop inspect``: a captured answer, as one JSON object
    (signature, trust on a given day, status, transmissions and their
    outcome); a message that is not SOAP exits 1."""
    from confirma import interop

    client = _client()
    service, element = _peticion(21, _dni())
    exchange = client.call(
        f"{replay_simulator}/servicios/SVD/{service.endpoint}",
        "peticionSincrona",
        element,
    )
    answer = tmp_path / "answer.xml"
    answer.write_bytes(exchange.response_xml)
    request = tmp_path / "request.xml"
    request.write_bytes(exchange.request_xml)
    ca = interop.pki_folder() / "ca.pem"
    code, out, err = _inspect(str(answer), "--trust", str(ca))
    assert code == 0, err
    explained = json.loads(out)
    assert explained["kind"] == "respuesta"
    assert explained["service"] == service.code
    assert explained["id_peticion"] == "CONFIRMACLI000000000000021"
    assert explained["signature"] == {
        "profile": "ws-security",
        "valid": True,
        "trusted": True,
        "signer": explained["signature"]["signer"],
        "error": None,
    }
    assert "SIMULADOR" in explained["signature"]["signer"]
    assert explained["estado"]["codigo"] == "0003"
    assert [t["outcome"] for t in explained["transmissions"]] == ["met"]
    assert (explained["encrypted"], explained["decrypted"]) == (False, False)
    # the request: the town hall's seal; without a trust store, not trusted
    code, out, _err = _inspect(str(request), "--at", "2026-06-01")
    explained = json.loads(out)
    assert code == 0
    assert explained["kind"] == "peticion"
    assert explained["signature"]["valid"] is True
    assert explained["signature"]["trusted"] is False
    assert [t["holder"] for t in explained["transmissions"]] == [_dni()]
    # long after the certificates expired
    code, out, _err = _inspect(str(answer), "--trust", str(ca), "--at", "2099-01-01")
    explained = json.loads(out)
    assert explained["signature"]["trusted"] is False
    assert "expired" in explained["signature"]["error"]
    # tampered
    answer.write_bytes(exchange.response_xml.replace(b"0003", b"0004", 1))
    code, out, _err = _inspect(str(answer), "--trust", str(ca))
    assert code == 0
    assert json.loads(out)["signature"]["valid"] is False
    junk = tmp_path / "junk.xml"
    junk.write_text("not a message")
    code, out, _err = _inspect(str(junk))
    assert code == 1
    assert "error" in json.loads(out)
