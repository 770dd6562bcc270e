"""Shared set-up of the benchmarks (not a benchmark group itself)."""


def active_procedure(env, code, condition):
    """An active procedure whose rule is the one ``condition``, with a
    30-day confirmation phase: the town hall's workflow, not a shortcut."""
    rule = env["confirma.rule"].create(
        {"name": f"{code} rule", "condition_ids": [(0, 0, condition)]}
    )
    procedure = env["confirma.procedure"].create(
        {
            "name": f"{code} procedure",
            "code": code,
            "rule_id": rule.id,
            "phase_ids": [
                (0, 0, {"kind": "initiation", "name": "Confirm", "duration_days": 30}),
                (0, 0, {"kind": "resolution", "name": "Decision", "duration_days": 15}),
            ],
        }
    )
    procedure.action_submit()
    procedure.action_approve_protocol()
    procedure.action_activate()
    return procedure


def load_town(env, path, name="padron.csv"):
    """Import the padrón file ``path`` as set-up (not timed): read, and its
    batches' jobs run at once in this transaction (queue_job__no_delay)."""
    imported = (
        env["confirma.padron.import"]
        .with_context(queue_job__no_delay=True)
        .import_file(path, name)
    )
    assert imported.state == "done" and not imported.errors, imported.summary_line()
    return imported


class PeakRss:
    """The peak resident memory of each process of the trees under the
    given pids (sampled every ``every`` s in a thread): ``peak`` is the
    largest single process, ``per_process`` by pid."""

    def __init__(self, *pids, every=0.2):
        import threading

        self.pids = pids
        self.every = every
        self.per_process = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        import psutil

        while not self._stop.is_set():
            for pid in self.pids:
                try:
                    root = psutil.Process(pid)
                    for proc in [root, *root.children(recursive=True)]:
                        rss = proc.memory_info().rss
                        if rss > self.per_process.get(proc.pid, 0):
                            self.per_process[proc.pid] = rss
                except psutil.Error:
                    pass
            self._stop.wait(self.every)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self):
        return round(max(self.per_process.values(), default=0) / 1024 / 1024, 1)


def wait_for(env, ended, every=0.2, timeout=3600):
    """Wait until ``ended()`` is true, read afresh (a new transaction each
    time: what the server's jobs committed); a failed job stops the wait."""
    import time

    limit = time.monotonic() + timeout
    while time.monotonic() < limit:
        env.cr.rollback()
        env.invalidate_all()
        failed = env["queue.job"].search([("state", "=", "failed")], limit=1)
        if failed:
            raise RuntimeError(f"a job failed: {failed.exc_info}")
        if ended():
            return
        time.sleep(every)
    raise TimeoutError(f"not done within {timeout} s")


def copy_rate(db, path, rows):
    """Rows per second of PostgreSQL's ``COPY`` of the padrón file ``path``
    into a plain table (the limit of an import: no project code)."""
    import time

    import psycopg2

    # Odoo is loaded (the synthetic town was written with the addon's module)
    from odoo.addons.confirma_citizen.padron.layout import COLUMNS

    with psycopg2.connect(dbname=db) as conn, conn.cursor() as cr:
        columns = ", ".join(f"{c} text" for c in COLUMNS)
        cr.execute(f"CREATE TEMP TABLE padron_copy ({columns})")
        started = time.perf_counter()
        with open(path, encoding="utf-8") as handle:
            cr.copy_expert(
                "COPY padron_copy FROM STDIN WITH (FORMAT csv, HEADER)", handle
            )
        elapsed = time.perf_counter() - started
        cr.execute("SELECT count(*) FROM padron_copy")
        assert cr.fetchone()[0] == rows
    return rows / elapsed
