# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.http import request
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

RETENTION_PARAM = "confirma_citizen.access_log_retention_days"
RETENTION_DEFAULT = 730
PURGE_BATCH = 50000


class ConfirmaAccessLog(models.Model):
    """Read-access trail (ENS op.exp.8, GDPR art. 32): who opened which
    resident's record, case or data query result, when and from where.

    Rows are written only by :meth:`_log_access` (one SQL insert per call, from
    :class:`confirma.access.log.mixin` when a form is opened) and deleted only
    by the retention purge (:meth:`_cron_purge`). Nobody writes or deletes
    them through the ORM, not even the superuser; auditors read them.
    """

    _name = "confirma.access.log"
    _description = "Record access trail"
    _order = "date desc, id desc"
    _rec_name = "res_name"

    date = fields.Datetime(string="Opened on", required=True, readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Resident",
        readonly=True,
        index=True,
        ondelete="set null",
        help="The resident the opened record concerns.",
    )
    model_id = fields.Many2one(
        "ir.model", string="Record type", readonly=True, ondelete="set null"
    )
    res_model = fields.Char(string="Technical model", required=True, readonly=True)
    res_id = fields.Integer(string="Record ID", required=True, readonly=True)
    res_name = fields.Char(string="Record", readonly=True)
    ip_address = fields.Char(
        string="IP address",
        readonly=True,
        help="The client's address as the server saw it (the proxy's "
        "X-Forwarded-For when Odoo runs in proxy mode); empty for server-side "
        "reads.",
    )
    kind = fields.Selection(
        [
            ("web", "Web client"),
            ("rpc", "External API"),
            ("server", "Server"),
        ],
        string="Channel",
        required=True,
        readonly=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, ondelete="restrict"
    )

    def init(self):
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS confirma_access_log_res_idx "
                "ON confirma_access_log (res_model, res_id)"
            )
        )

    # ---- CRUD: nobody writes the trail through the ORM ---------------------------
    # no super() call: refusing is the point (rows come from _log_access only)
    @api.model_create_multi
    def create(self, vals_list):  # pylint: disable=method-required-super
        raise AccessError(
            self.env._(
                "The access trail is written by the system only, when a record "
                "is opened."
            )
        )

    def write(self, vals):  # pylint: disable=method-required-super
        raise AccessError(self.env._("The access trail cannot be changed."))

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise AccessError(
            self.env._(
                "The access trail cannot be deleted; old entries are purged "
                "automatically after the retention period."
            )
        )

    # ---- writing ----------------------------------------------------------------
    @api.model
    def _log_access(self, records, kind):
        """Record that the current user opened ``records`` (one row each, in a
        single INSERT), those that concern a resident. The caller has just
        read them with the user's rights; the resident, name and company are
        looked up as superuser. Returns the number of rows written."""
        if not records:
            return 0
        ip_address = None
        if request:
            ip_address = request.httprequest.remote_addr
        now = fields.Datetime.now()
        uid = self.env.uid
        model_id = self.env["ir.model"]._get_id(records._name)
        default_company = self.env.company.id
        rows = []
        for record in records.sudo():
            partner = record._access_log_partner()
            if not partner:
                continue
            company = "company_id" in record._fields and record.company_id
            rows.append(
                SQL(
                    "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    uid,
                    now,
                    uid,
                    now,
                    now,
                    uid,
                    partner[:1].id,
                    model_id,
                    records._name,
                    record.id,
                    record.display_name,
                    ip_address,
                    kind,
                    company.id if company else default_company,
                )
            )
        if not rows:
            return 0
        self.env.cr.execute(
            SQL(
                "INSERT INTO confirma_access_log (create_uid, create_date, "
                "write_uid, write_date, date, user_id, partner_id, model_id, "
                "res_model, res_id, res_name, ip_address, kind, company_id) "
                "VALUES %s",
                SQL(", ").join(rows),
            )
        )
        return len(rows)

    # ---- retention ----------------------------------------------------------------
    @api.model
    def _retention_days(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(RETENTION_PARAM, RETENTION_DEFAULT)
        )
        try:
            return int(value)
        except (TypeError, ValueError):
            _logger.warning(
                "Invalid %s=%r: using %s days",
                RETENTION_PARAM,
                value,
                RETENTION_DEFAULT,
            )
            return RETENTION_DEFAULT

    @api.model
    def _cron_purge(self, batch=PURGE_BATCH):
        """Delete the entries older than the retention period (days; 0 or less
        keeps them forever), ``batch`` rows per run; the scheduled action is
        re-run at once while some remain. Returns the number of rows deleted."""
        days = self._retention_days()
        if days <= 0:
            return 0
        limit = fields.Datetime.now() - timedelta(days=days)
        self.env.cr.execute(
            SQL(
                "DELETE FROM confirma_access_log WHERE id IN ("
                " SELECT id FROM confirma_access_log WHERE date < %s"
                " ORDER BY date LIMIT %s)",
                limit,
                batch,
            )
        )
        done = self.env.cr.rowcount
        self.invalidate_model()
        remaining = 0
        if done == batch:
            self.env.cr.execute(
                SQL(
                    "SELECT count(*) FROM confirma_access_log WHERE date < %s",
                    limit,
                )
            )
            remaining = self.env.cr.fetchone()[0]
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        if done:
            _logger.info("Purged %s access trail entries older than %s", done, limit)
        return done
