"""INE variation file (fichero H): a month of 100,000 padrón changes applied.

Figures:
- ``ine_h_apply_100k_rows_per_s``: 100,000 variation records (births,
  deaths, arrivals, departures, moves, data changes, renewals, in the mix of
  ``synthetic_ine_h``) applied to a town of 100,000 residents: residents
  created, updated and deregistered, households, padrón events, the sensors'
  reactions;
- ``ine_h_reapply_100k_rows_per_s``: the same file again (nothing changes);
- ``ine_h_reapply_100k_changed``: residents the second run changed (must be 0).

Both run as ``./confirma padron import FILE --format ine-h --wait`` on a
scratch database with confirma_citizen and confirma_tramites, served by an
Odoo server with its job runner (as ``./confirma serve``): the batches are
jobs that share no resident and no household, side by side in stages (a
resident's later change waits in the next stage: changes apply in date
order). The town itself is
imported first (not timed here: see the ``padron`` group).
"""

import os
import subprocess
import sys
import tempfile

RESIDENTS = 100_000
RECORDS = 100_000


def _import(ctx, db, path, *extra):
    cmd = [
        sys.executable, "-m", "confirma", "padron", "import", path, "--db", db,
        "--wait",
    ]  # fmt: skip
    from confirma import cli

    env = cli.prepared_env()
    result = subprocess.run(
        [*cmd, *extra], env=env, cwd=ctx.root, capture_output=True, text=True
    )
    if result.returncode:
        raise RuntimeError(f"import failed: {result.stdout}\n{result.stderr}")
    last = result.stdout.strip().splitlines()[-1]
    return dict(item.split("=") for item in last.split())


def _last_duration(db):
    import psycopg2

    with psycopg2.connect(dbname=db) as conn, conn.cursor() as cr:
        cr.execute(
            "SELECT duration FROM confirma_padron_import ORDER BY id DESC LIMIT 1"
        )
        return cr.fetchone()[0]


def _apply(ctx, db, town, changes, tmp):
    loaded = _import(ctx, db, town)
    assert int(loaded["errors"]) == 0, loaded
    report = os.path.join(tmp, "errors.csv")
    first = _import(ctx, db, changes, "--format", "ine-h", "--errors", report)
    if int(first["errors"]):
        with open(report, encoding="utf-8") as handle:
            raise AssertionError(f"{first}\n{handle.read()[:2000]}")
    assert int(first["events"]) == RECORDS, first
    first_s = _last_duration(db)
    second = _import(ctx, db, changes, "--format", "ine-h")
    second_s = _last_duration(db)
    return first, second, first_s, second_s


def run(ctx):
    from confirma.odoo_env import addon_module

    synthetic = addon_module(ctx.conf, "confirma_citizen.synthetic.population")
    variations = addon_module(ctx.conf, "confirma_citizen.synthetic.ine_h")
    with tempfile.TemporaryDirectory() as tmp:
        town = os.path.join(tmp, "padron-100k.csv")
        synthetic.write_csv(town, RESIDENTS, seed=100)
        changes = os.path.join(tmp, "H46999IA.226")
        written = variations.write_variations(
            changes, RESIDENTS, "2026-02", seed=100, count=RECORDS
        )
        assert written == RECORDS, written
        modules = ["confirma_citizen", "confirma_tramites"]
        with ctx.scratch_db("ine_h", modules=modules) as db:
            from confirma import cli

            server, _port = cli.start_server(ctx.conf, db)
            try:
                first, second, first_s, second_s = _apply(ctx, db, town, changes, tmp)
            finally:
                cli.stop_server(server)
    changed = sum(int(second[key]) for key in ("created", "updated", "deregistered"))
    return {
        "ine_h_apply_100k_rows_per_s": round(RECORDS / first_s, 1),
        "ine_h_reapply_100k_rows_per_s": round(RECORDS / second_s, 1),
        "ine_h_reapply_100k_changed": changed,
    }
