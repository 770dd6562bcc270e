"""``./confirma procedure import|export`` as a user runs them, on the test
database: a shipped package with another town's values (``--dry-run``, so
the database is left as it was), a value the package refuses, a package
whose test case fails with those values, and a procedure that is not there."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RENT = ROOT / "addons" / "confirma_network" / "packages" / "RENT.json"


def _run(pytestconfig, *args):
    database = pytestconfig.getoption("--odoo-database")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "tools"), CONFIRMA_PREPARED="1")
    return subprocess.run(
        [sys.executable, "-m", "confirma", "procedure", *args, "--db", database],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_import_with_local_values(pytestconfig):
    proc = _run(pytestconfig, "import", str(RENT), "--set", "max_age=30", "--dry-run")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("RENT 1.0.0 (") and "published by" in lines[0]
    assert '"max_age": 30' in lines[1]
    cases = len(json.loads(RENT.read_text())["tests"]["cases"])
    assert sum(line.startswith("PASS ") for line in lines) == cases
    assert "dry run: nothing imported" in lines
    assert lines[-1] == f"tests={cases} passed={cases} failed=0"


def test_a_failing_case_refuses(pytestconfig, tmp_path):
    package = json.loads(RENT.read_text())
    package["tests"]["cases"].append(
        {
            "name": "A 33-year-old qualifies",
            "resident": {"age": 33, "registered_years": 5},
            "expected": {"eligible": True},
        }
    )
    path = tmp_path / "RENT-literal.json"
    path.write_text(json.dumps(package))
    proc = _run(pytestconfig, "import", str(path), "--set", "max_age=30", "--dry-run")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert any(line.startswith("FAIL A 33-year-old qualifies") for line in lines)
    total = len(package["tests"]["cases"])
    assert lines[-1] == f"tests={total} passed={total - 1} failed=1"
    assert "a test case failed" in proc.stderr


def test_bad_values_and_files(pytestconfig, tmp_path):
    proc = _run(pytestconfig, "import", str(RENT), "--set", "max_age=old", "--dry-run")
    assert proc.returncode == 1
    assert "max_age: 'old' is not a whole number" in proc.stderr
    proc = _run(pytestconfig, "import", str(RENT), "--set", "max_age", "--dry-run")
    assert proc.returncode == 1
    assert "--set max_age: write NAME=VALUE" in proc.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "confirma-procedure-package", "schema_version": 1}')
    proc = _run(pytestconfig, "import", str(broken), "--dry-run")
    assert proc.returncode == 1
    assert "is not a procedure package Confirm@ can read" in proc.stderr
    assert "'code' is a required property" in proc.stderr
    proc = _run(pytestconfig, "import", str(tmp_path / "missing.json"))
    assert proc.returncode == 1
    assert "cannot read" in proc.stderr


def test_export_of_a_procedure_that_is_not_there(pytestconfig, tmp_path):
    proc = _run(pytestconfig, "export", "NOPE", "--out", str(tmp_path / "x.json"))
    assert proc.returncode == 1
    assert "No procedure with code 'NOPE'" in proc.stderr
    assert not (tmp_path / "x.json").exists()
