# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import logging
from datetime import timedelta

from odoo import api, fields, models

from ..scsp import codes, messages
from ..scsp.client import ScspError

_logger = logging.getLogger(__name__)


class ConfirmaInteropRequest(models.Model):
    """One SCSP Peticion: a batch of checks of one service sent together,
    with its raw messages (attachments, kept for the retention period)."""

    _name = "confirma.interop.request"
    _description = "Data query request"
    _order = "id desc"

    name = fields.Char(string="Request id", required=True, readonly=True, index=True)
    platform_id = fields.Many2one(
        "confirma.interop.platform", required=True, readonly=True, index=True
    )
    service_id = fields.Many2one(
        "confirma.interop.service", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one(related="platform_id.company_id", store=True)
    mode = fields.Selection(
        [("sync", "Synchronous"), ("async", "Asynchronous")],
        required=True,
        readonly=True,
    )
    state = fields.Selection(
        [
            ("sending", "Sending"),
            ("waiting", "Waiting for the answer"),
            ("done", "Answered"),
            ("failed", "Failed"),
            ("lost", "Interrupted"),
        ],
        default="sending",
        required=True,
        readonly=True,
        index=True,
    )
    count = fields.Integer(string="Holders", readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Asked by",
        readonly=True,
        help="Who asked for it (Verify with data); empty: the scheduled "
        "verification, sent in the name of the platform's official for automated "
        "queries.",
    )
    date_sent = fields.Datetime(readonly=True, index=True)
    date_done = fields.Datetime(string="Answered on", readonly=True)
    date_next_poll = fields.Datetime(readonly=True, index=True)
    estimated_hours = fields.Integer(
        string="Estimated time (hours)",
        readonly=True,
        help="TiempoEstimadoRespuesta announced by the platform.",
    )
    polls = fields.Integer(readonly=True)
    status_code = fields.Char(readonly=True)
    status_text = fields.Char(string="Status", readonly=True)
    check_ids = fields.One2many("confirma.interop.check", "request_id", readonly=True)
    log_ids = fields.One2many("confirma.interop.log", "request_id", readonly=True)
    raw_purged = fields.Boolean(
        string="Raw messages purged",
        readonly=True,
        help="The raw messages were deleted after the retention period.",
    )
    attachment_count = fields.Integer(compute="_compute_attachment_count")

    def _compute_attachment_count(self):
        groups = (
            self.env["ir.attachment"]
            .sudo()
            ._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)],
                ["res_id"],
                ["__count"],
            )
        )
        counts = dict(groups)
        for request in self:
            request.attachment_count = counts.get(request.id, 0)

    # ---- raw messages ----------------------------------------------------------
    def _attach(self, exchange, label):
        """Keep the raw request and answer of ``exchange`` (audit)."""
        self.ensure_one()
        if exchange is None:
            return
        values = []
        for suffix, content in (
            ("request", exchange.request_xml),
            ("response", exchange.response_xml),
        ):
            if content:
                values.append(
                    {
                        "name": f"{self.name}-{label}-{suffix}.xml",
                        "res_model": self._name,
                        "res_id": self.id,
                        "mimetype": "application/xml",
                        "datas": base64.b64encode(content),
                    }
                )
        if values:
            self.env["ir.attachment"].sudo().create(values)

    @api.model
    def _cron_purge_raw(self, today=None):
        """Delete the raw messages older than the retention period."""
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("confirma_interop.retention_days", 365)
        )
        limit = fields.Datetime.now() - timedelta(days=days)
        requests = self.sudo().search(
            [("raw_purged", "=", False), ("date_sent", "<", limit)]
        )
        if not requests:
            return 0
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", self._name), ("res_id", "in", requests.ids)])
        )
        attachments.unlink()
        requests.write({"raw_purged": True})
        _logger.info(
            "Purged the raw messages of %s data query requests (%s files)",
            len(requests),
            len(attachments),
        )
        return len(requests)

    # ---- sending ---------------------------------------------------------------
    @api.model
    def _new_name(self):
        # IdPeticion: at most 26 characters, unique for the requester
        return self.env["ir.sequence"].next_by_code("confirma.interop.request")

    def _finish(self, answer, exchange):
        self.write(
            {
                "state": "done",
                "date_done": fields.Datetime.now(),
                "status_code": answer.code or "0003",
                "status_text": codes.describe(
                    answer.code or "0003", answer.literal, lang=self.env.lang
                ),
            }
        )
        self._attach(exchange, "answer")

    def _close(self, error, state, label):
        """``state`` (done or failed) with ``error``'s status; its raw
        messages kept."""
        self.write(
            {
                "state": state,
                "date_done": fields.Datetime.now(),
                "status_code": error.code,
                "status_text": error.text(self.env.lang)[:250],
            }
        )
        self._attach(error.exchange, label)

    def _finish_holder(self, error, label="answer"):
        """Done: the platform answered with a fault about the holder (not a
        failure of the platform: its health is not affected)."""
        self._close(error, "done", label)

    def _wait(self, answer, exchange, label):
        hours = answer.ter or 0
        self.write(
            {
                "state": "waiting",
                "estimated_hours": hours,
                "date_next_poll": fields.Datetime.now() + timedelta(hours=hours),
                "status_code": answer.code or "0002",
                "status_text": codes.describe(
                    answer.code or "0002", answer.literal, lang=self.env.lang
                ),
            }
        )
        self._attach(exchange, label)

    def _fail(self, error, label="request"):
        self._close(error, "failed", label)
        self.platform_id._record_error(
            f"{self.service_id.code}: {error.text(self.env.lang)}"
        )

    # ---- polling (asynchronous) ------------------------------------------------
    @api.model
    def _poll_due(self, clients=None):
        """Ask for the answers of the asynchronous requests that are due
        (here and now: see ``_dispatch_polls`` for the scheduled run)."""
        due = self.search(
            [
                ("state", "=", "waiting"),
                ("date_next_poll", "<=", fields.Datetime.now()),
            ],
            order="date_next_poll, id",
        )
        clients = {} if clients is None else clients
        for request in due:
            request._poll(request.platform_id._client(clients))
        return len(due)

    def _dispatch_polls(self):
        """One job per poll of these asynchronous requests (all those
        waiting, when called on none), due when the platform said the
        answer would be ready. Each poll has its own job: the same poll is
        handed out once however often the schedule asks."""
        requests = self or self.search([("state", "=", "waiting")])
        for request in requests.filtered(lambda r: r.state == "waiting"):
            request.with_delay(
                eta=request.date_next_poll,
                description=self.env._(
                    "%(service)s: answer of %(request)s",
                    service=request.service_id.code,
                    request=request.name,
                ),
                identity_key=f"confirma-interop-poll-{request.id}-{request.polls}",
            )._poll_job()
        return requests

    def _poll_job(self):
        """Job: ask for this request's answer if it still waits (run again
        after a restart, nothing is asked twice), then hand the next poll to
        a job when the platform says to wait more."""
        self.ensure_one()
        if self.state != "waiting":
            return False
        client = self.platform_id._client_or_error()
        if not client:
            return False
        self._poll(client)
        self._dispatch_polls()
        return True

    def _poll(self, client):
        self.ensure_one()
        service = self.service_id
        element = messages.solicitud_respuesta(service.code, self.name, self.count)
        checks = self.env["confirma.interop.check"].search(
            [("request_id", "=", self.id), ("state", "=", "pending")]
        )
        self.polls += 1
        try:
            exchange = client.call(
                service._url(True),
                "solicitudRespuesta",
                element,
                profile=service.security_profile,
            )
        except ScspError as error:
            if error.kind == codes.HOLDER:
                self._finish_holder(error, f"poll{self.polls}")
                checks._finalise_holder(self, error)
                return
            if error.code == "0244":  # the platform lost it: ask again
                self._fail(error, f"poll{self.polls}")
                checks._retry(error)
                return
            # keep waiting, later
            self.date_next_poll = fields.Datetime.now() + timedelta(
                minutes=self.platform_id._backoff_minutes(self.polls)
            )
            self.status_text = error.text(self.env.lang)[:250]
            if self.polls >= self.platform_id.max_attempts * 3:
                self._fail(error, f"poll{self.polls}")
                checks._retry(error)
            return
        answer = messages.read(exchange.root)
        mismatch = checks._answer_mismatch(self, answer)
        if mismatch:
            checks._fail_request(
                self, ScspError(codes.MISMATCH, mismatch, exchange), f"poll{self.polls}"
            )
            return
        kind = codes.kind(answer.code)
        if kind == codes.PENDING:
            self._wait(answer, exchange, f"poll{self.polls}")
            if not answer.ter:  # no estimate: back off instead of hammering
                self.date_next_poll = fields.Datetime.now() + timedelta(
                    minutes=self.platform_id._backoff_minutes(self.polls)
                )
            return
        checks._apply_answer(self, answer, exchange)

    @api.model
    def _recover_interrupted(self):
        """Requests left "sending" by a restart: their checks go back to the
        queue (nothing is lost; the query is asked again)."""
        stale = self.search([("state", "=", "sending")])
        stale = stale.filtered(
            lambda r: r.date_sent
            and r.date_sent
            < fields.Datetime.now() - timedelta(seconds=r.platform_id.timeout * 2 + 60)
        )
        for request in stale:
            request.write(
                {
                    "state": "lost",
                    "status_text": self.env._("Interrupted before its answer"),
                }
            )
            request.check_ids.filtered(lambda c: c.state == "sent").write(
                {"state": "queued", "request_id": False}
            )
        return len(stale)

    def action_view_attachments(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Raw messages"),
            "res_model": "ir.attachment",
            "view_mode": "list,form",
            "domain": [("res_model", "=", self._name), ("res_id", "=", self.id)],
        }
