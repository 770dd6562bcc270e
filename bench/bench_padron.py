"""Padrón import: 100,000 synthetic residents, imported then re-imported.

Figures:
- ``import_100k_rows_per_s``: first import (creates residents and households);
- ``reimport_100k_rows_per_s``: the same file again (nothing changes);
- ``reimport_100k_created``: residents created by the re-import (must be 0);
- ``import_peak_rss_mb``: peak resident memory of the largest process of
  the import (the command reading the file, the server's workers writing);
- ``copy_100k_rows_per_s``: PostgreSQL COPY of the same file into a plain
  table, in the same run: the physical limit.

The import runs as ``./confirma padron import --wait`` on a scratch
database with confirma_citizen only, served by an Odoo server as
``./confirma serve`` runs it (two HTTP workers and the job runner): the
command reads and checks the file, the server's workers write its batches
(jobs). The time is the import's own, from reading to the end of its last
job.
"""

import os
import subprocess
import sys
import tempfile

import fixtures

ROWS = 100_000


def _import(ctx, db, path, server):
    from confirma import cli

    cmd = [
        sys.executable, "-m", "confirma", "padron", "import", path, "--db", db,
        "--wait",
    ]  # fmt: skip
    proc = subprocess.Popen(
        cmd, env=cli.prepared_env(), cwd=ctx.root, stdout=subprocess.PIPE, text=True
    )
    with fixtures.PeakRss(proc.pid, server.pid) as rss:
        output = proc.communicate()[0].strip()
    if proc.returncode:
        raise RuntimeError(f"import failed: {output}")
    summary = dict(item.split("=") for item in output.splitlines()[-1].split())
    return summary, rss.peak_mb


def _last_duration(db):
    import psycopg2

    with psycopg2.connect(dbname=db) as conn, conn.cursor() as cr:
        cr.execute(
            "SELECT duration FROM confirma_padron_import ORDER BY id DESC LIMIT 1"
        )
        return cr.fetchone()[0]


def run(ctx):
    from confirma.odoo_env import addon_module

    synthetic = addon_module(ctx.conf, "confirma_citizen.synthetic.population")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "padron-100k.csv")
        synthetic.write_csv(path, ROWS, seed=100)
        with ctx.scratch_db("padron", modules=["confirma_citizen"]) as db:
            from confirma import cli

            server, _port = cli.start_server(ctx.conf, db)
            try:
                first, rss_first = _import(ctx, db, path, server)
                assert int(first["created"]) == ROWS and not int(first["errors"]), first
                first_s = _last_duration(db)
                second, rss_second = _import(ctx, db, path, server)
                second_s = _last_duration(db)
            finally:
                cli.stop_server(server)
            copy_rate = fixtures.copy_rate(db, path, ROWS)
    return {
        "import_100k_rows_per_s": round(ROWS / first_s, 1),
        "reimport_100k_rows_per_s": round(ROWS / second_s, 1),
        "reimport_100k_created": int(second["created"]),
        "import_peak_rss_mb": round(max(rss_first, rss_second), 1),
        "copy_100k_rows_per_s": round(copy_rate, 1),
    }
