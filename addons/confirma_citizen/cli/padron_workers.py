# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Parallel padrón import: worker processes write the checked batches.

The main process reads and checks the file (line numbers, duplicates, the
error report) as the wizard does; the rows it accepts are dealt to worker
processes (``odoo-bin confirma-padron write-batches``, each with its own
registry and database connection) by household code, so that a household is
always written by the same worker. Batches travel through the worker's
standard input, which also paces the reader: memory stays flat. Each worker
commits after every batch: an interrupted import is resumed by importing the
file again (it is idempotent).
"""

import json
import pickle
import subprocess
import sys
import tempfile
import zlib

from ..padron.writer import BATCH_SIZE


def serve_batches(record, today):
    """The worker's side: write the batches read from standard input, then
    the counts and the residents seen as JSON on standard output."""
    writer = record._worker_state(today)
    source = sys.stdin.buffer
    while True:
        try:
            batch = pickle.load(source)
        except EOFError:
            break
        writer.apply_retrying(batch)
        record.env.cr.commit()
    json.dump(writer.result(), sys.stdout)
    sys.stdout.flush()


class WorkerSink:
    """Takes the checked batches of ``confirma.padron.import.run``."""

    def __init__(self, command, jobs):
        self.batch_size = BATCH_SIZE
        self.jobs = jobs
        self.pending = [[] for _i in range(jobs)]
        self.logs = [tempfile.TemporaryFile() for _i in range(jobs)]
        self.processes = [
            subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.logs[index],
            )
            for index in range(jobs)
        ]

    def _send(self, index, batch):
        try:
            pickle.dump(batch, self.processes[index].stdin, pickle.HIGHEST_PROTOCOL)
        except (BrokenPipeError, OSError):
            self._fail(index, "stopped")

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
            try:
                self.processes[index].stdin.close()
            except (BrokenPipeError, OSError):
                self._fail(index, "stopped")
        total = {"created": 0, "updated": 0, "unchanged": 0, "seen": []}
        for index, process in enumerate(self.processes):
            output = process.stdout.read()
            process.stdout.close()
            if process.wait() or not output:
                self._fail(index, f"failed (exit code {process.returncode})")
            result = json.loads(output)
            for key in ("created", "updated", "unchanged"):
                total[key] += result[key]
            total["seen"].extend(result["seen"])
        for log in self.logs:
            log.close()
        return total

    def _fail(self, index, what):
        for process in self.processes:
            if process.poll() is None:
                process.kill()
        log = self.logs[index]
        log.seek(0)
        tail = log.read()[-4000:].decode("utf-8", "replace").strip()
        raise RuntimeError(f"worker {index} {what}" + (f":\n{tail}" if tail else ""))
