# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Padrón imports as jobs (OCA queue_job): one job per batch, a last job
that ends the import; run again, they write nothing twice; a failed batch
is retried from the import's form."""

import base64
import csv
import datetime
import io
import json

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import ConfirmaImportCommon, last_job_id, run_stored_jobs
from .test_ine_h import BIRTH, record


@tagged("post_install", "-at_install")
@freeze_time("2026-02-01")
class TestPadronImportJobs(ConfirmaImportCommon):
    def _read(self, content, **kwargs):
        """Read ``content`` as the wizard does: (import, the jobs queued)."""
        Import = self.env["confirma.padron.import"].with_user(self.officer_citizen)
        with trap_jobs() as trap:
            imported = Import.import_file(io.BytesIO(content), "padron.csv", **kwargs)
            jobs = list(trap.enqueued_jobs)
        return imported, jobs

    def test_one_job_per_batch_then_the_end(self):
        content = self.synthetic_csv(2500, seed=11)
        imported, jobs = self._read(content)
        batches = imported.batch_ids
        # read and checked: three batches waiting, nobody written yet
        self.assertEqual(
            (imported.state, imported.rows, imported.created), ("running", 2500, 0)
        )
        self.assertEqual(batches.mapped("state"), ["pending"] * 3)
        self.assertEqual(sum(batches.mapped("rows")), 2500)
        self.assertEqual(
            self.env["res.partner"].search_count([("is_resident", "=", True)]), 0
        )
        self.assertEqual(
            [job.identity_key for job in jobs],
            [f"confirma-padron-{imported.id}-batch-{n}" for n in (1, 2, 3)]
            + [f"confirma-padron-{imported.id}-end"],
        )
        self.assertEqual({job.channel for job in jobs}, {"root.confirma.import"})
        self.assertEqual([job.recordset for job in jobs[:3]], list(batches))
        # a household is never split between two batches
        households = {}
        for batch in batches:
            for _line, values in json.loads(batch.payload):
                households.setdefault(values["household_code"], set()).add(batch.id)
        self.assertEqual({len(ids) for ids in households.values()}, {1})
        # the end waits while batches are left (it looks again later)
        with self.assertRaises(RetryableJobError) as waiting:
            jobs[-1].perform()
        self.assertTrue(waiting.exception.ignore_retry)
        self.assertEqual(imported.state, "running")
        self.assertEqual((imported.batch_done_count, imported.batch_count), (0, 3))
        jobs[0].perform()
        self.assertEqual((imported.batch_done_count, imported.progress), (1, 100 / 3))
        for job in jobs[1:]:
            job.perform()
        self.assertEqual((imported.state, imported.created), ("done", 2500))
        self.assertEqual(imported.progress, 100)
        self.assertFalse(any(batches.mapped("payload")))  # emptied once written
        self.assertIn("created=2500", imported.message_ids[0].body)

    def test_run_again_writes_nothing_twice(self):
        """A job run again (the runner restarted after it ended) does
        nothing; a batch written again finds its rows unchanged; the same
        file imported while the first import runs shares the work."""
        content = self.synthetic_csv(1200, seed=3)
        imported, jobs = self._read(content)
        batch = imported.batch_ids[0]
        payload = batch.payload
        jobs[0].perform()
        self.assertFalse(jobs[0].perform())  # written: nothing again
        Partner = self.env["res.partner"]
        self.assertEqual(Partner.search_count([("is_resident", "=", True)]), batch.rows)
        # as if the batch had been written but not marked: written again
        batch.write({"state": "pending", "payload": payload})
        self.assertEqual(batch._write_job()["unchanged"], batch.rows)
        again, more = self._read(content)
        for job in more:
            job.perform()
        self.assertEqual(
            (again.created, again.unchanged), (1200 - batch.rows, batch.rows)
        )
        for job in jobs[1:]:
            job.perform()
        self.assertEqual((imported.created, imported.unchanged), (0, 1200))
        self.assertEqual(Partner.search_count([("is_resident", "=", True)]), 1200)

    def test_unchanged_rows_never_reach_a_job(self):
        """Rows their residents were imported from are counted unchanged as
        the file is read: no batch, no job writes them. A changed row goes
        to a batch alone; a repeated line is still refused."""
        content = self.synthetic_csv(1500, seed=5)
        first = self.run_import(content)
        self.assertEqual(first.created, 1500)
        Partner = self.env["res.partner"]
        residents = Partner.search([("is_resident", "=", True)])
        self.assertEqual(len(set(residents.mapped("padron_row_hash"))), 1500)
        again, jobs = self._read(content)
        self.assertFalse(again.batch_ids)
        self.assertEqual(
            [job.identity_key for job in jobs], [f"confirma-padron-{again.id}-end"]
        )
        jobs[0].perform()
        self.assertEqual(
            (again.state, again.unchanged, again.updated, again.created),
            ("done", 1500, 0, 0),
        )
        self.assertIn("unchanged=1500", again.message_ids[0].body)
        rows = list(csv.DictReader(io.StringIO(content.decode())))
        moved = Partner.search([("nia", "=", rows[10]["nia"])])
        rows[10]["street"] = "Carrer Nou 5"
        rows.append(dict(rows[20]))
        third, jobs = self._read(self.csv_of(rows))
        self.assertEqual(third.batch_ids.mapped("rows"), [1])
        for job in jobs:
            job.perform()
        self.assertEqual(
            (third.unchanged, third.updated, third.errors, third.rows),
            (1499, 1, 1, 1501),
        )
        self.assertEqual(moved.street, "Carrer Nou 5")
        self.assertIn(b"duplicate of line", base64.b64decode(third.error_report))

    def test_rows_imported_before_fingerprints(self):
        """Residents imported before rows were fingerprinted: their rows are
        checked and found unchanged once (nothing written but the
        fingerprint, no write date), then known unchanged unread."""
        content = self.synthetic_csv(300, seed=6)
        self.run_import(content)
        Partner = self.env["res.partner"]
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET padron_row_hash = NULL, "
            "write_date = '2020-01-01' WHERE is_resident"
        )
        self.env.invalidate_all()
        once = self.run_import(content)
        self.assertEqual((once.unchanged, once.updated), (300, 0))
        self.assertEqual(len(once.batch_ids), 1)
        residents = Partner.search([("is_resident", "=", True)])
        self.assertTrue(all(residents.mapped("padron_row_hash")))
        self.assertEqual(
            set(residents.mapped("write_date")), {datetime.datetime(2020, 1, 1)}
        )
        then = self.run_import(content)
        self.assertEqual((then.unchanged, len(then.batch_ids)), (300, 0))

    def test_unchanged_rows_of_a_full_snapshot(self):
        """A full snapshot's unchanged rows name their residents: only the
        residents it leaves out are deregistered."""
        rows = list(
            csv.DictReader(io.StringIO(self.synthetic_csv(400, seed=8).decode()))
        )
        self.run_import(self.csv_of(rows))
        left_out = rows.pop(7)
        snapshot = self.run_import(self.csv_of(rows), full_snapshot=True)
        self.assertEqual(
            (snapshot.state, snapshot.unchanged, snapshot.deregistered),
            ("done", 399, 1),
        )
        Partner = self.env["res.partner"]
        gone = Partner.search([("padron_state", "=", "deregistered")])
        self.assertEqual(gone.nia, left_out["nia"])
        self.assertFalse(
            self.env["confirma.padron.import.seen"].search_count(
                [("import_id", "=", snapshot.id)]
            )
        )

    def test_failed_batch_retried_from_the_form(self):
        """A batch whose job failed (here: its rows lost) blocks the end;
        the officer's retry runs it again once the cause is fixed."""
        queued_after = last_job_id(self.env)
        Import = self.env["confirma.padron.import"].with_user(self.officer_citizen)
        imported = Import.import_file(
            io.BytesIO(self.synthetic_csv(1500, seed=4)), "padron.csv"
        )
        batch = imported.batch_ids[1]
        payload, batch.payload = batch.payload, "not json"
        stored = imported._jobs()
        self.assertEqual(len(stored), 3)  # two batches and the end, queued
        self.assertEqual((imported.job_count, imported.job_done_count), (3, 0))
        key = f"confirma-padron-{imported.id}-batch-2"
        job = Job.load(self.env, stored.filtered(lambda j: j.identity_key == key).uuid)
        with self.assertRaises(ValueError):
            job.perform()
        job.set_failed(exc_info="ValueError", exc_name="ValueError")
        job.store()
        self.assertEqual((imported.job_failed_count, imported.state), (1, "running"))
        batch.payload = payload  # the cause fixed
        imported.with_user(self.officer_citizen).action_retry_jobs()
        self.assertEqual(
            self.env["queue.job"].search([("uuid", "=", job.uuid)]).state, "pending"
        )
        run_stored_jobs(self.env, queued_after)
        self.assertEqual((imported.state, imported.created), ("done", 1500))
        self.assertEqual((imported.job_failed_count, imported.job_done_count), (0, 3))

    def test_variation_batches_side_by_side_by_stage(self):
        """INE changes go in batches that share no person and no household,
        written side by side: 1,200 births in as many households make two
        batches of one stage; a baby's move (her second change) waits for
        both in the next stage, and the end for it."""
        day = datetime.date
        births = [
            record(
                **dict(
                    BIRTH,
                    new__NIA=f"{n:012d}",
                    new__NHOP=f"01004A{n:04d}",
                    new__FNAC=day(2026, 1, 5),
                    ctl__FVAR=day(2026, 1, 10),
                )
            )
            for n in range(100, 1300)
        ]
        moved = record(
            **dict(
                BIRTH,
                ctl__CVAR="M",
                ctl__CAUV="CD",
                ctl__FVAR=day(2026, 1, 20),
                id__NIA="000000000100",
                id__NOMB="LUCIA",
                new__NIA="000000000100",
                new__NHOP="03002C0001",
                new__FNAC=day(2026, 1, 5),
            )
        )
        content = ("\r\n".join([moved, *births]) + "\r\n").encode("latin-1")
        Import = self.env["confirma.padron.import"]
        with trap_jobs() as trap:
            imported = Import.import_file(
                io.BytesIO(content), "H.txt", file_format="ine_h"
            )
            batches = imported.batch_ids.sorted("sequence")
            self.assertEqual(batches.mapped("stage"), [1, 1, 2])
            self.assertEqual(batches.mapped("rows"), [1000, 200, 1])
            jobs = {job.recordset: job for job in trap.enqueued_jobs}
            self.assertEqual(len(jobs), 4)
            first, second, third = (jobs[batch] for batch in batches)
            end = jobs[imported]
            self.assertFalse(first.depends_on | second.depends_on)
            self.assertEqual(third.depends_on, {first, second})
            self.assertEqual(end.depends_on, {third})
            for job in (first, second, third, end):
                job.perform()
        self.assertEqual(
            (imported.state, imported.created, imported.updated, imported.events),
            ("done", 1200, 1, 1201),
        )
        lucia = self.env["res.partner"].search([("nia", "=", "000000000100")])
        self.assertEqual(lucia.household_id.name, "03002C0001")
        self.assertEqual(lucia.household_id.member_count, 1)
        left = self.env["confirma.household"].search([("name", "=", "01004A0100")])
        self.assertEqual(left.member_count, 0)
