"""``./confirma document verify FILE.pdf`` as a user runs it, on the test
database: a PDF sealed by an authority the database does not know, the same
with ``--trust``, an unsealed PDF and a missing file."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _env():
    return dict(os.environ, PYTHONPATH=str(ROOT / "tools"), CONFIRMA_PREPARED="1")


def _verify(pytestconfig, *args):
    database = pytestconfig.getoption("--odoo-database")
    return subprocess.run(
        [sys.executable, "-m", "confirma", "document", "verify", *args,
         "--db", database],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def sealed(tmp_path_factory):
    """(sealed PDF, unsealed PDF, the sealing authority's certificate)."""
    from odoo.addons.confirma_interop.scsp import certs
    from odoo.addons.confirma_legal import seal
    from odoo.addons.confirma_legal.tests.common import blank_pdf

    pki = certs.TestPki(requester_name="ALTREPOBLE")
    folder = tmp_path_factory.mktemp("documents")
    blank = blank_pdf()
    sealed = folder / "sealed.pdf"
    sealed.write_bytes(
        seal.seal_pdf(
            blank,
            certs.key_pem(pki.requester_key),
            certs.pem(pki.requester),
            reason="CSV ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2-3",
        )
    )
    unsealed = folder / "unsealed.pdf"
    unsealed.write_bytes(blank)
    ca = folder / "ca.pem"
    ca.write_bytes(certs.pem(pki.ca))
    return sealed, unsealed, ca


def test_a_seal_of_an_unknown_authority_is_not_valid(pytestconfig, sealed):
    proc = _verify(pytestconfig, str(sealed[0]))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("seal: NOT VALID"), proc.stdout
    assert "SELLO DE PRUEBAS ALTREPOBLE" in lines[1]
    assert "csv: ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2-3" in lines
    assert "document: not issued by this database" in lines
    assert lines[-1] == "valid=no"


def test_trusting_its_authority_makes_it_valid(pytestconfig, sealed):
    proc = _verify(pytestconfig, str(sealed[0]), "--trust", str(sealed[2]))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[0] == "seal: valid"
    assert proc.stdout.splitlines()[-1] == "valid=yes"


def test_unsealed_and_missing_files(pytestconfig, sealed):
    proc = _verify(pytestconfig, str(sealed[1]))
    assert proc.returncode == 1
    assert proc.stdout.startswith("seal: none")
    proc = _verify(pytestconfig, str(sealed[1].with_name("nothing.pdf")))
    assert proc.returncode == 1
    assert "No file" in proc.stdout + proc.stderr
