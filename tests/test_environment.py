"""The preparation on a fresh machine: an isolated environment under CI, and
lxml and xmlsec that import together, repaired when a binary lxml wheel
(which bundles its own libxml2) was installed first."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from confirma import environment as envmod  # noqa: E402


def _version(python, dist):
    return envmod._installed_version(python, dist)


def test_import_error_is_one_line_without_traceback():
    error = envmod._import_error(sys.executable, "import confirma_no_such_module")
    assert error == "ModuleNotFoundError: No module named 'confirma_no_such_module'"
    assert envmod._import_error(sys.executable, "import json") is None


def test_ci_environment_is_isolated(monkeypatch):
    class Found:
        how = f"importable by {sys.executable}"  # a packaged Odoo

    monkeypatch.setenv("CI", "true")
    assert envmod.isolated_venv(Found())
    monkeypatch.delenv("CI")
    assert not envmod.isolated_venv(Found())
    Found.how = "/opt/odoo18"  # Odoo's source tree: its own dependencies
    assert envmod.isolated_venv(Found())
    # the project's own environment, as built for this run
    cfg = (Path(sys.prefix) / "pyvenv.cfg").read_text()
    if envmod.in_venv() and envmod.isolated_venv(Found()):
        assert "include-system-site-packages = false" in cfg


def test_mismatched_lxml_and_xmlsec_are_rebuilt(tmp_path, capsys):
    """A binary lxml wheel beside an xmlsec built against the system's
    libxml2 does not import ("lxml & xmlsec libxml2 library version
    mismatch"): the check rebuilds both from source, keeping their versions,
    and prints one line per step, never a traceback."""
    project = Path(sys.executable)
    lxml, xmlsec = _version(project, "lxml"), _version(project, "xmlsec")
    assert lxml and xmlsec
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    # the way a fresh machine gets it wrong: Odoo's pins bring a binary lxml
    subprocess.run(
        pip + ["--only-binary", "lxml", f"lxml=={lxml}"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        pip + ["--no-deps", "--no-binary", "xmlsec", f"xmlsec=={xmlsec}"],
        check=True,
        capture_output=True,
    )
    broken = envmod._import_error(python, envmod._XMLSEC_CHECK)
    assert broken and "mismatch" in broken, broken

    envmod.ensure_xmlsec(python)

    assert envmod._import_error(python, envmod._XMLSEC_CHECK) is None
    assert (_version(python, "lxml"), _version(python, "xmlsec")) == (lxml, xmlsec)
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    assert "rebuilding both from source" in out.out
    assert "they import together" in out.out
