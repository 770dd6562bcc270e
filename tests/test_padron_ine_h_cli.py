"""``./confirma padron generate-variations`` and ``import --format ine-h``.

The batches are written by the jobs of an Odoo server with its job runner,
side by side within a stage and the stages one after the other, each
committed: Odoo's test cases (one transaction,
rolled back) cannot show that. This test runs the command line on a scratch
database with confirma_citizen, and reads the result with SQL.
"""

import csv
import functools

import pytest
import test_padron_cli
from test_padron_cli import confirma, job_runner, scratch_town, summary

DB = "confirma_test_cli_h"
sql = functools.partial(test_padron_cli.sql, db=DB)


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    for path in scratch_town(tmp_path_factory, DB, 1500, 3):
        with job_runner(DB):
            confirma("padron", "import", str(path), "--db", DB, "--wait")
            yield path.parent


def test_generate_and_apply_a_month(town):
    changes = town / "H46999AI.226"
    line = confirma(
        "padron", "generate-variations", "--month", "2026-02", "--residents",
        "1500", "--seed", "3", "--out", str(changes),
    )  # fmt: skip
    records = changes.read_bytes().decode("latin-1").splitlines()
    assert f"wrote {len(records)} padrón changes" in line
    assert all(len(record) == 554 for record in records)
    # a record the padrón software garbled: reported, the others apply
    with open(changes, "ab") as handle:
        handle.write(records[0][:168].encode("latin-1") + b"X\r\n")
    errors = town / "errors.csv"
    first = summary(
        confirma(
            "padron",
            "import",
            str(changes),
            "--format",
            "ine-h",
            "--db",
            DB,
            "--errors",
            str(errors),
            "--wait",
        )  # fmt: skip
    )
    assert first["errors"] == 1
    assert first["events"] == len(records)
    assert first["created"] + first["updated"] + first["deregistered"] == len(records)
    assert sql("SELECT count(*) FROM confirma_padron_event") == [(len(records),)]
    kinds = {kind for (kind,) in sql("SELECT kind_code FROM confirma_padron_event")}
    assert {"birth", "death", "arrival", "departure", "address_change"} <= kinds
    with open(errors, encoding="utf-8", newline="") as handle:
        report = list(csv.reader(handle))
    assert report[1][0] == str(len(records) + 1)
    assert "variation code" in report[1][2]

    again = summary(
        confirma(
            "padron",
            "import",
            str(changes),
            "--format",
            "ine-h",
            "--db",
            DB,
            "--wait",
        )  # fmt: skip
    )
    assert (again["unchanged"], again["events"]) == (len(records), 0)
    assert again["created"] + again["updated"] + again["deregistered"] == 0
    assert sql("SELECT count(*) FROM confirma_padron_event") == [(len(records),)]
