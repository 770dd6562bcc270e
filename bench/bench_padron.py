"""Padrón import: 100,000 synthetic residents, imported then re-imported.

Figures:
- ``import_100k_rows_per_s``: first import (creates residents and households);
- ``reimport_100k_rows_per_s``: the same file again (nothing changes);
- ``reimport_100k_created``: residents created by the re-import (must be 0);
- ``import_peak_rss_mb``: peak resident memory of the import, all its
  processes together (the main one and its workers);
- ``copy_100k_rows_per_s``: PostgreSQL COPY of the same file into a plain
  table, in the same run: the physical limit.

The import runs as ``./confirma padron import`` (one worker process per
core, as by default for a file this size), on a scratch database with
confirma_citizen only.
"""

import os
import subprocess
import sys
import tempfile
import time

ROWS = 100_000


def _import(ctx, db, path):
    import psutil

    cmd = [sys.executable, "-m", "confirma", "padron", "import", path, "--db", db]
    from confirma import cli

    env = cli.prepared_env()
    proc = subprocess.Popen(
        cmd, env=env, cwd=ctx.root, stdout=subprocess.PIPE, text=True
    )
    # peak memory of the whole process tree, sampled
    peak = 0
    main = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            tree = [main, *main.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree))
        except psutil.Error:
            pass
        time.sleep(0.2)
    output = proc.stdout.read().strip()
    if proc.returncode:
        raise RuntimeError(f"import failed: {output}")
    summary = dict(item.split("=") for item in output.splitlines()[-1].split())
    return summary, peak / 1024 / 1024


def _last_duration(db):
    import psycopg2

    with psycopg2.connect(dbname=db) as conn, conn.cursor() as cr:
        cr.execute(
            "SELECT duration FROM confirma_padron_import ORDER BY id DESC LIMIT 1"
        )
        return cr.fetchone()[0]


def _copy(db, path):
    import psycopg2

    # Odoo is loaded (the synthetic town was written with the addon's module)
    from odoo.addons.confirma_citizen.padron.layout import COLUMNS as columns

    with psycopg2.connect(dbname=db) as conn, conn.cursor() as cr:
        cr.execute(
            "CREATE TEMP TABLE padron_copy (%s)"
            % ", ".join(f"{c} text" for c in columns)
        )
        started = time.perf_counter()
        with open(path, encoding="utf-8") as handle:
            cr.copy_expert(
                "COPY padron_copy FROM STDIN WITH (FORMAT csv, HEADER)", handle
            )
        elapsed = time.perf_counter() - started
        cr.execute("SELECT count(*) FROM padron_copy")
        assert cr.fetchone()[0] == ROWS
    return ROWS / elapsed


def run(ctx):
    from confirma.odoo_env import addon_module

    synthetic = addon_module(ctx.conf, "confirma_citizen.synthetic.population")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "padron-100k.csv")
        synthetic.write_csv(path, ROWS, seed=100)
        with ctx.scratch_db("padron", modules=["confirma_citizen"]) as db:
            first, rss_first = _import(ctx, db, path)
            assert int(first["created"]) == ROWS and int(first["errors"]) == 0, first
            first_s = _last_duration(db)
            second, rss_second = _import(ctx, db, path)
            second_s = _last_duration(db)
            copy_rate = _copy(db, path)
    return {
        "import_100k_rows_per_s": round(ROWS / first_s, 1),
        "reimport_100k_rows_per_s": round(ROWS / second_s, 1),
        "reimport_100k_created": int(second["created"]),
        "import_peak_rss_mb": round(max(rss_first, rss_second), 1),
        "copy_100k_rows_per_s": round(copy_rate, 1),
    }
