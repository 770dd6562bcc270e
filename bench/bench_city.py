"""A Madrid-sized city on two Odoo nodes: ``make bench ONLY=city``.

A synthetic city of ``CITY_RESIDENTS`` residents (3,400,000 by default, the
environment variable ``CONFIRMA_CITY_RESIDENTS`` for a smaller one; the size
used is the figure ``city_residents``), written by the project's generator
with a fixed seed, on a scratch database with confirma_citizen and
confirma_tramites. Two Odoo nodes serve it, as ``./confirma serve`` runs one
(two HTTP workers each, on two ports, sharing the database); the first runs
the job runner, which hands the jobs through a round-robin entry (the
proxy's role in ``docker-compose.yml``) to both. Every long piece of work is
jobs, as in production.

Figures, each beside its limit from the same run:

- ``city_import_rows_per_s``: the first import of the padrón (``./confirma
  padron import --wait``: read and checked by the command, written by the
  jobs); limit ``city_copy_rows_per_s``, PostgreSQL ``COPY`` of the same file;
- ``city_reimport_rows_per_s``: the same file again, unchanged;
- ``city_ine_h_rows_per_s``: a month of INE variations (60,000 records);
- ``city_sweep_s``: the sweep of 50 procedures (rules on age, sex and
  district, each matching a few residents of the city: the rules are
  evaluated over the whole register), ``city_sweep_cases`` opened;
- ``city_campaign_launch_offers_per_s``: a campaign of 100,000 offers (a
  procedure for adults, the campaign narrowed to 100,000 of them), every
  channel (email, SMS, letters), from the *Launch* to its last job; limit
  ``city_cases_insert_select_per_s``, a bare ``INSERT … SELECT`` of the same
  cases; ``city_jobs_node_a``/``city_jobs_node_b``, the jobs each node ran;
- ``city_campaign_launch_1node_offers_per_s``: the same campaign again
  (another procedure for the same adults) with the job runner handing its
  jobs to one node only: the scaling figure, one node against two;
- ``city_letters_per_s``: the first campaign's letters (``city_letters``,
  the offers for residents without email or mobile) to PDF: the officer's
  *Print letters*, jobs of 500 letters on the reports channel (two at a
  time), each one wkhtmltopdf run, until their ZIP is there; limit
  ``city_letters_wkhtmltopdf_per_s``, one wkhtmltopdf run of 1,000 of the
  same letters' HTML;
- ``city_indicators_close_s``: closing the half-year's indicators;
- ``city_interop_per_s``: 100,000 data checks (``city_interop_checks``),
  one per confirmed case of the campaigns (residence,
  SVDREXTFECHAWS01, answered encrypted as the TGSS does), through the
  asynchronous path the ``interop`` group describes: the scheduled run
  hands them to jobs on both nodes (the interop channel's capacity: two
  requests in flight), Peticiones of 1,000 holders signed and posted to the
  project's simulator, which answers for the city's padrón file
  (``--padron``, the people checked only); limit
  ``city_interop_simulator_ceiling_per_s``, the simulator alone answering
  the same Peticiones already signed;
- ``city_peak_rss_mb``: the largest process (command or Odoo worker);
  ``city_db_size_mb``: the database at the end.
"""

import datetime
import http.server
import itertools
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import fixtures

CITY_RESIDENTS = int(os.environ.get("CONFIRMA_CITY_RESIDENTS") or 3_400_000)
SEED = 34
INE_RECORDS = 60_000
OFFERS = 100_000
PROCEDURES = 50
LETTERS_LIMIT = 1_000
CHECKS = 100_000
INTEROP_SERVICE = "SVDREXTFECHAWS01"
WORKERS = 2  # per node, as ./confirma serve


class RoundRobin(http.server.ThreadingHTTPServer):
    """The job runner's entry to the nodes: each request to the next one."""

    daemon_threads = True

    def __init__(self, backends):
        self.backends = itertools.cycle(backends)
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Forward)

    def next_backend(self):
        with self.lock:
            return next(self.backends)


class _Forward(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        port = self.server.next_backend()
        try:
            url = f"http://127.0.0.1:{port}{self.path}"
            with urllib.request.urlopen(url, timeout=3600) as answer:  # noqa: S310
                body, status = answer.read(), answer.status
        except OSError as error:
            body, status = str(error).encode(), 502
        try:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the job runner does not wait for the answer

    def log_message(self, *args):
        pass


def _confirma(ctx, *args):
    from confirma import cli

    proc = subprocess.run(
        [sys.executable, "-m", "confirma", *args],
        env=cli.prepared_env(),
        cwd=ctx.root,
        capture_output=True,
        text=True,
    )
    if proc.returncode:
        raise RuntimeError(f"{args}: {proc.stdout}\n{proc.stderr}")
    return dict(
        item.split("=") for item in proc.stdout.strip().splitlines()[-1].split()
    )


def _sql(db, query, params=None):
    import psycopg2

    with psycopg2.connect(dbname=db) as conn, conn.cursor() as cr:
        cr.execute(query, params)
        return cr.fetchall() if cr.description else None


def _last_import_s(db):
    return _sql(
        db, "SELECT duration FROM confirma_padron_import ORDER BY id DESC LIMIT 1"
    )[0][0]


def _procedures(env, fixtures_module):
    """50 procedures whose rules each match a few residents: aged 95 to
    104, of either sex, in one of the districts."""
    procedures = []
    for number in range(PROCEDURES):
        age = 95 + number % 10
        condition = {"kind": "age", "min_value": age, "max_value": age}
        procedures.append(
            fixtures_module.active_procedure(env, f"C{number:02d}", condition)
        )
    return procedures


def _wait_keys(env, keys, timeout=3600):
    """Wait for the jobs with these identity keys to be done."""
    fixtures.wait_for(
        env,
        lambda: env["queue.job"].search_count(
            [("identity_key", "in", keys), ("state", "=", "done")]
        )
        == len(keys),
        timeout=timeout,
    )


def run(ctx):  # noqa: PLR0915 - one scenario, step by step
    from confirma import cli
    from confirma.odoo_env import addon_module
    from confirma.odoo_env import registry as odoo_env

    import odoo

    synthetic = addon_module(ctx.conf, "confirma_citizen.synthetic.population")
    variations = addon_module(ctx.conf, "confirma_citizen.synthetic.ine_h")
    figures = {"city_residents": CITY_RESIDENTS}
    reference = datetime.date(2026, 1, 1)
    with tempfile.TemporaryDirectory() as tmp:
        town = os.path.join(tmp, "padron-city.csv")
        started = time.perf_counter()
        synthetic.write_csv(town, CITY_RESIDENTS, seed=SEED, reference_date=reference)
        print(f"bench: city: {CITY_RESIDENTS} residents written in "
              f"{time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip
        changes = os.path.join(tmp, "H28079IA.226")
        variations.write_variations(
            changes, CITY_RESIDENTS, "2026-02", SEED, INE_RECORDS, reference
        )
        modules = ["confirma_citizen", "confirma_tramites", "confirma_interop"]
        with ctx.scratch_db("city", modules=modules) as db:
            entry = RoundRobin([])
            node_b, port_b = cli.start_server(
                ctx.conf, db, WORKERS, env={"ODOO_QUEUE_JOB_CHANNELS": "root:0"}
            )
            node_a, port_a = cli.start_server(
                ctx.conf,
                db,
                WORKERS,
                env={
                    "ODOO_QUEUE_JOB_HOST": "127.0.0.1",
                    "ODOO_QUEUE_JOB_PORT": str(entry.server_address[1]),
                },
            )
            entry.backends = itertools.cycle([port_a, port_b])
            threading.Thread(target=entry.serve_forever, daemon=True).start()
            rss_a, rss_b = fixtures.PeakRss(node_a.pid), fixtures.PeakRss(node_b.pid)

            def nodes(*ports):
                """Hand the jobs to these nodes only, from now on."""
                entry.backends = itertools.cycle(ports)

            try:
                with rss_a, rss_b:
                    figures.update(
                        _scenario(
                            ctx, db, town, changes, tmp, odoo_env, odoo,
                            one_node=lambda: nodes(port_a),
                            two_nodes=lambda: nodes(port_a, port_b),
                        )
                    )  # fmt: skip
            finally:
                entry.shutdown()
                cli.stop_server(node_a)
                cli.stop_server(node_b)
            figures["city_copy_rows_per_s"] = round(
                fixtures.copy_rate(db, town, CITY_RESIDENTS), 1
            )
            pids = {"a": set(rss_a.per_process), "b": set(rss_b.per_process)}
            per_pid = dict(
                _sql(
                    db,
                    "SELECT worker_pid, count(*) FROM queue_job "
                    "WHERE state = 'done' GROUP BY worker_pid",
                )
            )
            for node in ("a", "b"):
                figures[f"city_jobs_node_{node}"] = sum(
                    count for pid, count in per_pid.items() if pid in pids[node]
                )
            figures["city_peak_rss_mb"] = max(
                figures.pop("_command_rss_mb"), rss_a.peak_mb, rss_b.peak_mb
            )
            figures["city_db_size_mb"] = round(
                _sql(db, "SELECT pg_database_size(current_database())")[0][0] / 2**20
            )
    return figures


def _launch(env, procedure, last, name):
    """Launch a campaign of ``procedure`` for the adults up to id ``last``
    and wait for its last job: (offers sent, seconds)."""
    campaign = env["confirma.campaign"].create(
        {
            "name": name,
            "procedure_id": procedure.id,
            "extra_domain": repr([("id", "<=", last)]),
        }
    )
    env.cr.commit()
    started = time.perf_counter()
    campaign.action_launch()
    env.cr.commit()
    fixtures.wait_for(env, campaign._launch_ended)
    elapsed = time.perf_counter() - started
    sent = campaign._sent_counts()
    assert sent["email"] and sent["sms"] and sent["post"], sent
    _print_phases(env, campaign, name)
    return campaign, sum(sent.values()), elapsed


def _print_phases(env, campaign, name):
    """Where a launch's time went: per kind of job, how many, seconds of
    work (summed) and from the first start to the last end."""
    env.cr.execute(
        "SELECT method_name, count(*), "
        "sum(extract(epoch FROM date_done - date_started)), "
        "extract(epoch FROM max(date_done) - min(date_started)) "
        "FROM queue_job WHERE identity_key LIKE %s "
        "GROUP BY method_name ORDER BY min(date_started)",
        [f"confirma-campaign-{campaign.id}-%"],
    )
    phases = ", ".join(
        f"{method} {count} jobs {busy:.1f} s of work in {wall:.1f} s"
        for method, count, busy, wall in env.cr.fetchall()
    )
    print(f"bench: city: {name}: {phases}", flush=True)


def _letters(env, campaign):
    """The officer's *Print letters* for the campaign's letters, rendered by
    jobs of 500 on both nodes until the ZIP is there; beside it, one
    wkhtmltopdf run on the HTML of the first ``LETTERS_LIMIT`` of them (the
    HTML rendered first, not timed)."""
    count = campaign.notified_post
    started = time.perf_counter()
    campaign.action_print_letters()
    env.cr.commit()
    fixtures.wait_for(env, lambda: bool(campaign.letter_attachment_id), timeout=3600)
    elapsed = time.perf_counter() - started
    assert campaign.letter_attachment_id.name.endswith(".zip"), count
    cases = env["confirma.case"].search(
        [("campaign_id", "=", campaign.id), ("outreach_channel", "=", "post")],
        limit=LETTERS_LIMIT,
        order="id",
    )
    Report = env["ir.actions.report"].with_context(debug=False)
    letter = "confirma_tramites.action_report_case_letter"
    report = Report._get_report(letter)
    html = Report._render_qweb_html(letter, cases.ids, data={"debug": False})[0]
    bodies, _ids, header, footer, args = report._prepare_html(
        html, report_model=report.model
    )
    started = time.perf_counter()
    pdf = Report._run_wkhtmltopdf(
        bodies,
        report_ref=letter,
        header=header,
        footer=footer,
        specific_paperformat_args=args,
    )
    limit_s = time.perf_counter() - started
    assert pdf.startswith(b"%PDF"), pdf[:20]
    print(f"bench: city: {count} letters {count / elapsed:.1f}/s", flush=True)
    return {
        "city_letters": count,
        "city_letters_per_s": round(count / elapsed, 1),
        "city_letters_wkhtmltopdf_per_s": round(len(cases) / limit_s, 1),
    }


def _scenario(ctx, db, town, changes, tmp, odoo_env, odoo, one_node, two_nodes):
    figures = {}
    time.sleep(6)  # the job runner starts a few seconds after the server
    # -- the padrón, twice, then a month of INE changes ------------------------
    with fixtures.PeakRss(os.getpid()) as rss:
        first = _confirma(ctx, "padron", "import", town, "--db", db, "--wait")
    assert int(first["created"]) == CITY_RESIDENTS, first
    figures["city_import_rows_per_s"] = round(CITY_RESIDENTS / _last_import_s(db), 1)
    print(f"bench: city: import {figures['city_import_rows_per_s']} rows/s", flush=True)
    again = _confirma(ctx, "padron", "import", town, "--db", db, "--wait")
    assert int(again["unchanged"]) == CITY_RESIDENTS, again
    figures["city_reimport_rows_per_s"] = round(CITY_RESIDENTS / _last_import_s(db), 1)
    changed = _confirma(
        ctx, "padron", "import", changes, "--format", "ine-h", "--db", db, "--wait"
    )
    assert int(changed["events"]) > 0.95 * INE_RECORDS, changed
    figures["city_ine_h_rows_per_s"] = round(INE_RECORDS / _last_import_s(db), 1)
    figures["_command_rss_mb"] = rss.peak_mb
    print(f"bench: city: INE H {figures['city_ine_h_rows_per_s']} rows/s", flush=True)

    registry = odoo_env(ctx.conf, db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env.company.email = "ayuntamiento@example.org"
        # -- 50 procedures swept ------------------------------------------------
        procedures = _procedures(env, fixtures)
        cr.commit()
        started = time.perf_counter()
        keys = []
        for procedure in procedures:
            keys += procedure._delay_sweep()[1]
        cr.commit()
        _wait_keys(env, keys)
        figures["city_sweep_s"] = round(time.perf_counter() - started, 1)
        figures["city_sweep_cases"] = env["confirma.case"].search_count([])
        # -- a campaign of 100,000 offers ---------------------------------------
        adults = fixtures.active_procedure(
            env, "ADULT", {"kind": "age", "min_value": 18}
        )
        # the first 100,000 adults (all of them in a smaller city)
        cr.execute(
            "SELECT max(id) FROM (SELECT id FROM res_partner WHERE is_resident "
            "AND padron_state = 'active' AND birthdate <= %s ORDER BY id LIMIT %s) a",
            [datetime.date(2008, 1, 1), OFFERS],
        )
        last = cr.fetchone()[0]
        campaign, offers, elapsed = _launch(env, adults, last, "City")
        figures["city_campaign_launch_offers"] = offers
        figures["city_campaign_launch_offers_per_s"] = round(offers / elapsed, 1)
        print(f"bench: city: campaign on two nodes {offers / elapsed:.1f} offers/s",
              flush=True)  # fmt: skip
        # the same campaign (another procedure, the same adults) on one node
        one_node()
        alone = fixtures.active_procedure(
            env, "ADULT1", {"kind": "age", "min_value": 18}
        )
        _campaign, offers_1, elapsed_1 = _launch(env, alone, last, "City, one node")
        figures["city_campaign_launch_1node_offers_per_s"] = round(
            offers_1 / elapsed_1, 1
        )
        two_nodes()
        cr.execute(
            "CREATE TEMP TABLE case_copy AS SELECT * FROM confirma_case WITH NO DATA"
        )
        started = time.perf_counter()
        cr.execute(
            "INSERT INTO case_copy SELECT * FROM confirma_case WHERE campaign_id = %s",
            [campaign.id],
        )
        figures["city_cases_insert_select_per_s"] = round(
            cr.rowcount / (time.perf_counter() - started), 1
        )
        cr.rollback()
        # -- the campaign's letters to PDF --------------------------------------
        figures.update(_letters(env, campaign))
        # -- the half-year's indicators closed ----------------------------------
        period = env["confirma.indicator.period"]._get("half", datetime.date.today())
        cr.commit()
        started = time.perf_counter()
        period.with_delay(
            identity_key=f"confirma-indicator-period-close-{period.id}"
        )._close_job()
        cr.commit()
        _wait_keys(env, [f"confirma-indicator-period-close-{period.id}"])
        figures["city_indicators_close_s"] = round(time.perf_counter() - started, 2)
        # -- 100,000 data checks ------------------------------------------------
        figures.update(_interop(ctx, registry, env, adults | alone, town, tmp))
    odoo.modules.registry.Registry.delete(db)
    return figures


def _interop(ctx, registry, env, procedures, town, tmp):
    """The data checks of ``CHECKS`` confirmed cases of ``procedures`` (the
    campaigns'), answered by the simulator from the city's padrón file:
    checks per second from the scheduled run to the last answer, and the
    simulator's own ceiling."""
    import bench_interop
    from confirma import cli, interop

    cr = env.cr
    env.company.confirma_ine_code = "46900"
    bench_interop.require_residence(procedures, "Lives in the city")
    cases = bench_interop.checkable_cases(env, procedures, CHECKS)
    assert len(cases) == CHECKS, len(cases)
    documents = os.path.join(tmp, "documents.txt")
    with open(documents, "w", encoding="utf-8") as handle:
        handle.write("\n".join(sorted(set(cases.partner_id.mapped("document_number")))))
    pki = interop.ensure_pki(ctx.conf)
    port = cli.free_port()
    simulator = cli.start_simulator(
        port, "--padron", town, "--documents", documents, "--seed", str(SEED),
        "--encrypt", f"{INTEROP_SERVICE}:rsa-oaep:aes256-gcm",
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        bench_interop.configure_platform(env, port, pki)
        # the residents confirm at the counter (set-up, not timed: without
        # the chatter's tracking of each case's state)
        confirming = cases.with_context(tracking_disable=True)
        for start in range(0, CHECKS, 10_000):
            confirming[start : start + 10_000].action_confirm(channel="counter")
            cr.commit()
        Check = env["confirma.interop.check"]
        checks = Check.search([("state", "=", "queued")])
        assert len(checks) == CHECKS, len(checks)
        cli.wait_http(f"http://127.0.0.1:{port}/_control", simulator, timeout=900)
        started = time.perf_counter()
        Check._cron_process()
        cr.commit()
        fixtures.wait_for(
            env,
            lambda: not Check.search_count(
                [("id", "in", checks.ids), ("state", "!=", "done")]
            ),
            every=0.5,
            timeout=1800,
        )
        elapsed = time.perf_counter() - started
        met = Check.search_count([("id", "in", checks.ids), ("result", "=", "met")])
        assert met > 0.9 * CHECKS, met
        ceiling = bench_interop._ceiling(port, pki, documents=sorted(set(
            cases[:1000].partner_id.mapped("document_number"))))  # fmt: skip
    finally:
        simulator.terminate()
        simulator.wait(60)
    print(f"bench: city: {CHECKS} data checks {CHECKS / elapsed:.1f}/s", flush=True)
    return {
        "city_interop_checks": CHECKS,
        "city_interop_per_s": round(CHECKS / elapsed, 1),
        "city_interop_simulator_ceiling_per_s": round(ceiling, 1),
    }
