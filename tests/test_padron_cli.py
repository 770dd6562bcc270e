"""``./confirma padron import --wait`` on a database of its own, served by
an Odoo server with its job runner (two HTTP workers), as in production.

The command reads and checks the file and hands its batches to jobs, which
the server's workers run and commit: Odoo's test cases (one transaction,
rolled back) cannot show that. This test runs the command line on a scratch
database with confirma_citizen, and reads the result with SQL.
"""

import contextlib
import csv
import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest

ROOT = Path(__file__).resolve().parents[1]
DB = "confirma_test_cli"
CONF = ROOT / ".confirma" / "odoo.conf"


def run_confirma(*args):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "tools"), CONFIRMA_PREPARED="1")
    return subprocess.run(
        [sys.executable, "-m", "confirma", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def confirma(*args):
    proc = run_confirma(*args)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout.strip().splitlines()[-1]


def summary(line):
    return {key: int(value) for key, value in (i.split("=") for i in line.split())}


def sql(query, db=DB):
    with psycopg2.connect(dbname=db) as conn, conn.cursor() as cr:
        cr.execute(query)
        return cr.fetchall()


def scratch_town(tmp_path_factory, db, residents, seed):
    """A database of its own with confirma_citizen, and a synthetic padrón
    file of ``residents``; yields the file, drops the database after."""
    sys.path.insert(0, str(ROOT / "tools"))
    from confirma import cli

    cli.db_drop(CONF, db)
    cli.db_init(CONF, db, False, modules=["confirma_citizen"])
    path = tmp_path_factory.mktemp(db) / "padron.csv"
    confirma(
        "padron", "generate", "--residents", str(residents), "--seed", str(seed),
        "--out", str(path),
    )  # fmt: skip
    yield path
    cli.db_drop(CONF, db)


@contextlib.contextmanager
def job_runner(db):
    """An Odoo server on ``db`` with its job runner, as ./confirma serve."""
    sys.path.insert(0, str(ROOT / "tools"))
    from confirma import cli

    server, _port = cli.start_server(CONF, db)
    try:
        yield
    finally:
        cli.stop_server(server)


@pytest.fixture(scope="module")
def padron(tmp_path_factory):
    for path in scratch_town(tmp_path_factory, DB, 4000, 5):
        with job_runner(DB):
            yield path


def test_import_by_jobs_create_reimport_snapshot(padron):
    with open(padron, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    households = {row[header.index("household_code")] for row in body}

    first = summary(confirma("padron", "import", str(padron), "--db", DB, "--wait"))
    assert first == {
        "created": 4000,
        "updated": 0,
        "unchanged": 0,
        "deregistered": 0,
        "errors": 0,
    }
    assert sql("SELECT count(*) FROM res_partner WHERE is_resident") == [(4000,)]
    assert sql("SELECT count(*) FROM confirma_household") == [(len(households),)]
    # batches written side by side never split a household in two
    assert sql(
        "SELECT count(*) FROM res_partner p JOIN confirma_household h "
        "ON h.id = p.household_id WHERE p.is_resident"
    ) == [(4000,)]

    again = summary(confirma("padron", "import", str(padron), "--db", DB, "--wait"))
    assert (again["created"], again["unchanged"], again["updated"]) == (0, 4000, 0)

    # a full snapshot without the last 500 residents, and one bad row
    snapshot = padron.with_name("snapshot.csv")
    kept = body[:3500]
    bad = list(kept[0])
    bad[header.index("document_number")] = "12345678A"  # wrong check letter
    bad[header.index("nia")] = "999999999999"
    with open(snapshot, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *kept, bad])
    errors = padron.with_name("snapshot.errors.csv")
    command = (
        "padron", "import", str(snapshot), "--db", DB, "--wait",
        "--full-snapshot", "--errors", str(errors),
    )  # fmt: skip
    # 500 of 4,000 missing (12.5 %) is more than the 5 % allowed: refused,
    # nobody deregistered, the import recorded as failed with the reason
    refused = run_confirma(*command)
    assert refused.returncode != 0, refused.stdout + refused.stderr
    message = " ".join(refused.stderr.split())  # the message is wrapped
    assert (
        "would deregister 500 of the 4000 active residents (12.5 %), more than "
        "the 5 % allowed" in message
    ), message
    assert "(--force on the command line)" in message
    assert sql(
        "SELECT count(*) FROM res_partner WHERE padron_state = 'deregistered'"
    ) == [(0,)]
    assert sql(
        "SELECT state, deregistered, snapshot_forced FROM confirma_padron_import "
        "WHERE full_snapshot"
    ) == [("failed", 0, False)]
    # --force is for full snapshots only
    partial = run_confirma("padron", "import", str(snapshot), "--db", DB, "--force")
    assert partial.returncode != 0
    assert "--force only applies to --full-snapshot" in " ".join(partial.stderr.split())
    # forced by the officer: applied
    last = summary(confirma(*command, "--force"))
    assert last == {
        "created": 0,
        "updated": 0,
        "unchanged": 3500,
        "deregistered": 500,
        "errors": 1,
    }
    assert sql(
        "SELECT count(*) FROM res_partner WHERE padron_state = 'deregistered'"
    ) == [(500,)]
    with open(errors, encoding="utf-8", newline="") as handle:
        report = list(csv.reader(handle))
    assert report[1][0] == "3502"  # the line of the bad row in the file
    assert sql(
        "SELECT state, deregistered, snapshot_forced FROM confirma_padron_import "
        "WHERE full_snapshot ORDER BY id"
    ) == [("failed", 0, False), ("done", 500, True)]


def test_error_report_neutralises_formulas(padron, tmp_path):
    """FILE.errors.csv shows a hostile document number as text."""
    with open(padron, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, first = rows[0], list(rows[1])
    formula = '=HYPERLINK("http://evil.example")'
    first[header.index("document_number")] = formula
    first[header.index("nia")] = "@SUM(1+1)"
    hostile = tmp_path / "hostile.csv"
    with open(hostile, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, first])
    result = summary(confirma("padron", "import", str(hostile), "--db", DB, "--wait"))
    assert result["errors"] == 1
    with open(f"{hostile}.errors.csv", encoding="utf-8", newline="") as handle:
        report = list(csv.reader(handle))
    assert report[1][1] == "'" + formula
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in report[1])
