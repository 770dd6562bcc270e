"""The confirmation page under load: 20 residents confirming at the same time.

Figures:
- ``confirm_p95_ms``: 95th percentile of the confirm request (the POST that
  records the answer and returns the receipt page), in milliseconds;
- ``confirm_rps``: residents who went through the whole page per second
  (open the link, give the birth date, confirm, read the receipt);
- ``confirm_errors``: requests that failed, or answers not recorded (must be 0).

Odoo serves a scratch database (confirma_citizen and confirma_tramites, a
synthetic town of 2,000 residents, 600 notified offers) as ``make run`` does,
with worker processes; this process plays 20 residents on loopback, each
with its own session and its own offers, for at most two minutes.

Before the residents come, the database is settled as a live one is: its
statistics gathered (``VACUUM ANALYZE``: autovacuum would otherwise process
the freshly imported town during the measurement) and a ``CHECKPOINT``, so
that writing out what the preparation (and the group before, in a full
``make bench``) left in memory does not fall within the measurement.
"""

import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import fixtures

RESIDENTS = 2_000
OFFERS = 600
CONCURRENCY = 20
WORKERS = 5  # Odoo's rule of thumb: 2 per core + 1
TIME_LIMIT = 120
CSRF = re.compile(r'csrf_token: "([^"]+)"')


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _prepare(ctx, db, town):
    from confirma.odoo_env import registry as odoo_env

    import odoo

    registry = odoo_env(ctx.conf, db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        fixtures.load_town(env, town)
        procedure = fixtures.active_procedure(
            env, "LOAD", {"kind": "age", "min_value": 18}
        )
        procedure.sweep()
        cases = env["confirma.case"].search(
            [("procedure_id", "=", procedure.id)], limit=OFFERS, order="id"
        )
        cases.action_notify()
        offers = [
            (c.access_url, c.page_token, str(c.partner_id.birthdate)) for c in cases
        ]
        cr.commit()
    odoo.modules.registry.Registry.delete(db)
    _settle(db)
    return offers


def _settle(db):
    """Statistics gathered and dirty pages written out (see the module)."""
    import psycopg2

    conn = psycopg2.connect(dbname=db)
    try:
        conn.autocommit = True
        with conn.cursor() as cr:
            cr.execute("VACUUM ANALYZE")
            cr.execute("CHECKPOINT")
    finally:
        conn.close()


def _resident(base, offers, latencies, errors, deadline, done):
    import requests

    session = requests.Session()
    for url, token, birthdate in offers:
        if time.monotonic() > deadline:
            return
        try:
            link = f"{base}{url}?token={token}"
            page = session.get(link, timeout=30)
            csrf = CSRF.search(page.text).group(1)
            # as the page's form does: to the address without the token, the
            # birth date typed in its day, month and year boxes
            year, month, day = birthdate.split("-")
            offer = session.post(
                f"{base}{url}",
                data={
                    "csrf_token": csrf,
                    "token": token,
                    "birth_day": str(int(day)),
                    "birth_month": str(int(month)),
                    "birth_year": year,
                },
                timeout=30,
            )
            if offer.status_code != 200 or "answer" not in offer.text:
                raise RuntimeError(f"offer page {offer.status_code}")
            started = time.perf_counter()
            receipt = session.post(
                f"{base}{url}/answer",
                data={"csrf_token": csrf, "token": token, "answer": "confirm"},
                timeout=30,
            )
            latencies.append((time.perf_counter() - started) * 1000)
            if receipt.status_code != 200 or "/receipt" not in receipt.text:
                raise RuntimeError(f"receipt {receipt.status_code}")
            done.append(url)
        except Exception:  # noqa: BLE001 - every failure counts as an error
            errors.append(url)


def run(ctx):
    import psycopg2
    from confirma import cli
    from confirma.odoo_env import addon_module

    synthetic = addon_module(ctx.conf, "confirma_citizen.synthetic.population")
    with tempfile.TemporaryDirectory() as tmp:
        town = os.path.join(tmp, "padron.csv")
        synthetic.write_csv(town, RESIDENTS, seed=11)
        modules = ["confirma_citizen", "confirma_tramites"]
        with ctx.scratch_db("confirm", modules=modules) as db:
            offers = _prepare(ctx, db, town)
            port = _free_port()
            cmd = cli.odoo_cmd(
                ctx.conf, "-d", db,
                f"--http-port={port}", f"--gevent-port={_free_port()}",
                f"--workers={WORKERS}", "--max-cron-threads=0",
                "--log-level=warn",
            )  # fmt: skip
            env = dict(os.environ, PYTHONWARNINGS="ignore::DeprecationWarning")
            server = subprocess.Popen(
                cmd, cwd=ctx.root, env=env, stdout=subprocess.DEVNULL,
                stderr=sys.stderr,
            )  # fmt: skip
            base = f"http://127.0.0.1:{port}"
            try:
                cli.wait_http(f"{base}/web/login", server)
                latencies, errors, done = [], [], []
                deadline = time.monotonic() + TIME_LIMIT
                threads = [
                    threading.Thread(
                        target=_resident,
                        args=(
                            base,
                            offers[i::CONCURRENCY],
                            latencies,
                            errors,
                            deadline,
                            done,
                        ),
                    )  # fmt: skip
                    for i in range(CONCURRENCY)
                ]
                started = time.perf_counter()
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                elapsed = time.perf_counter() - started
            finally:
                server.terminate()
                server.wait(timeout=60)
            with psycopg2.connect(dbname=db) as conn, conn.cursor() as cr:
                cr.execute(
                    "SELECT count(*) FROM confirma_case WHERE state = 'confirmed' "
                    "AND channel = 'page'"
                )
                recorded = cr.fetchone()[0]
    lost = len(done) - recorded
    p95 = statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 1 else 0.0
    return {
        "confirm_p95_ms": round(p95, 1),
        "confirm_rps": round(len(done) / elapsed, 1),
        "confirm_errors": len(errors) + abs(lost),
    }
