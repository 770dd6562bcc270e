# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ConfirmaJobProgressMixin(models.AbstractModel):
    """Long work done by jobs (OCA queue_job), followed on its record's form:
    jobs done of all, failed ones, a retry button and the job list.

    A record's jobs are those whose identity key starts with
    ``_job_key_prefix()`` (every job the record hands out has one). Officers
    do not read the job queue itself: what the form shows is read with sudo
    for the records they may read."""

    _name = "confirma.job.progress.mixin"
    _description = "Work done by jobs"

    job_count = fields.Integer(string="Jobs", compute="_compute_job_progress")
    job_done_count = fields.Integer(string="Jobs done", compute="_compute_job_progress")
    job_failed_count = fields.Integer(
        string="Failed jobs",
        compute="_compute_job_progress",
        help="Jobs that failed (see their error): retry them once the cause "
        "is fixed. A failed job undid what it wrote; nothing is done twice.",
    )
    job_progress = fields.Float(string="Progress", compute="_compute_job_progress")

    def _job_key_prefix(self):
        """The start of the identity keys of this record's jobs."""
        raise NotImplementedError

    def _job_domain(self):
        """More conditions on this record's jobs (e.g. only recent ones)."""
        return []

    def _jobs_search_domain(self):
        self.ensure_one()
        prefix = self._job_key_prefix().replace("%", r"\%").replace("_", r"\_")
        return [("identity_key", "=like", prefix + "%"), *self._job_domain()]

    def _jobs(self):
        """This record's jobs (queue.job, sudo), newest first."""
        self.ensure_one()
        if not self.id:
            return self.env["queue.job"].sudo()
        return (
            self.env["queue.job"]
            .sudo()
            .search(self._jobs_search_domain(), order="id desc")
        )

    @api.depends_context("uid")
    def _compute_job_progress(self):
        Job = self.env["queue.job"].sudo()
        for record in self:
            states = (
                dict(
                    Job._read_group(
                        record._jobs_search_domain(), ["state"], ["__count"]
                    )
                )
                if record.id
                else {}
            )
            total = sum(states.values())
            done = states.get("done", 0)
            record.job_count = total
            record.job_done_count = done
            record.job_failed_count = states.get("failed", 0)
            record.job_progress = done * 100.0 / total if total else 0.0

    def action_retry_jobs(self):
        """Run the failed jobs again, the cause fixed (only for those who
        may change the record)."""
        self.check_access("write")
        for record in self:
            record._jobs().filtered(lambda job: job.state == "failed").requeue()
        return True

    def action_view_jobs(self):
        """The job queue, filtered on this record's jobs (job managers)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "queue_job.action_queue_job"
        )
        action["domain"] = [("id", "in", self._jobs().ids)]
        action["context"] = {}
        return action
