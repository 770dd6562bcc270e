"""Parallel padrón import: worker processes write the checked batches.

The main process reads and checks the file (line numbers, duplicates, the
error report) as the wizard does; the rows it accepts are dealt to worker
processes, each with its own Odoo registry and database connection, by
household code, so that a household is always written by the same worker.
Each worker commits after every batch: an interrupted import is resumed by
importing the file again (it is idempotent).
"""

import datetime
import multiprocessing
import queue
import traceback
import zlib

QUEUE_BATCHES = 4  # batches waiting per worker: memory stays flat


def _worker(conf, db, record_id, today, index, batches, results):
    try:
        import odoo  # noqa: PLC0415 - in the worker process only

        from confirma.padron import odoo_env  # noqa: PLC0415

        registry = odoo_env(conf, db)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            record = env["confirma.padron.import"].browse(record_id)
            state = record._worker_state(datetime.date.fromisoformat(today))
            while (batch := batches.get()) is not None:
                state.apply_retrying(batch)
                cr.commit()
            results.put((index, state.result()))
    except Exception:  # noqa: BLE001 - reported to the main process
        results.put((index, {"error": traceback.format_exc()}))


class WorkerSink:
    """Takes the checked batches of ``confirma.padron.import.run``."""

    def __init__(self, conf, db, record, today, jobs):
        # the batch size of the import itself
        from odoo.addons.confirma_citizen.models.confirma_padron_import import (  # noqa: PLC0415
            BATCH_SIZE,
        )

        self.batch_size = BATCH_SIZE
        context = multiprocessing.get_context("spawn")
        self.jobs = jobs
        self.queues = [context.Queue(maxsize=QUEUE_BATCHES) for _i in range(jobs)]
        self.results = context.Queue()
        self.pending = [[] for _i in range(jobs)]
        self.processes = [
            context.Process(
                target=_worker,
                args=(
                    str(conf),
                    db,
                    record.id,
                    today.isoformat(),
                    index,
                    self.queues[index],
                    self.results,
                ),
                daemon=True,
            )
            for index in range(jobs)
        ]
        for process in self.processes:
            process.start()

    def _send(self, index, batch):
        while True:
            try:
                self.queues[index].put(batch, timeout=2)
                return
            except queue.Full:
                if not self.processes[index].is_alive():
                    self._fail(f"worker {index} stopped")

    def put(self, batch):
        for line, values in batch:
            key = values["household_code"] or values["document_number"] or values["nia"]
            index = zlib.crc32(key.encode("utf-8")) % self.jobs
            self.pending[index].append((line, values))
            if len(self.pending[index]) >= self.batch_size:
                self._send(index, self.pending[index])
                self.pending[index] = []

    def close(self):
        for index in range(self.jobs):
            if self.pending[index]:
                self._send(index, self.pending[index])
            self._send(index, None)
        total = {"created": 0, "updated": 0, "unchanged": 0, "seen": []}
        for _i in range(self.jobs):
            index, result = self._result()
            if "error" in result:
                self._fail(f"worker {index} failed:\n{result['error']}")
            for key in ("created", "updated", "unchanged"):
                total[key] += result[key]
            total["seen"].extend(result["seen"])
        for process in self.processes:
            process.join()
        return total

    def _result(self):
        while True:
            try:
                return self.results.get(timeout=2)
            except queue.Empty:
                if not any(p.is_alive() for p in self.processes):
                    try:
                        return self.results.get(timeout=2)
                    except queue.Empty:
                        self._fail("the workers stopped without a result")

    def _fail(self, message):
        for process in self.processes:
            if process.is_alive():
                process.terminate()
        raise RuntimeError(message)
