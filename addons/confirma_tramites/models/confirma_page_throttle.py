# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import hmac

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

# kind -> (parameter of its limit, default limit)
LIMITS = {
    "ip": ("confirma_tramites.lookup_max_attempts_ip", 20),
    "code": ("confirma_tramites.lookup_max_attempts", 5),
    "document": ("confirma_tramites.lookup_max_attempts", 5),
}


class ConfirmaPageThrottle(models.Model):
    """Failed lookups of the confirmation page (``/confirma``, code and
    document), counted on the server per client address, per code and per
    document, whatever the session: a key past its limit locks the lookup
    for a while. Keys are keyed hashes, never the address, code or document
    themselves. Rows are written by one atomic upsert per failure and purged
    by a scheduled action once their window is over."""

    _name = "confirma.page.throttle"
    _description = "Confirmation page lookup throttle"
    _order = "id desc"
    _log_access = False

    key = fields.Char(required=True, readonly=True)
    failures = fields.Integer(readonly=True)
    date_start = fields.Datetime(string="Counting since", required=True, readonly=True)
    locked_until = fields.Datetime(readonly=True)

    _sql_constraints = [
        ("key_uniq", "unique(key)", "A throttle key is counted once."),
    ]

    @api.model
    def _settings(self):
        """{kind: limit} and the minutes of a window and of a lock."""
        params = self.env["ir.config_parameter"].sudo()
        limits = {
            kind: max(1, int(params.get_param(param, default)))
            for kind, (param, default) in LIMITS.items()
        }
        minutes = max(
            1, int(params.get_param("confirma_tramites.lookup_lock_minutes", 15))
        )
        return limits, minutes

    @api.model
    def _keys(self, ip, code, document):
        """{hashed key: kind} of a lookup (empty values are not keys)."""
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        keys = {}
        for kind, value in (("ip", ip), ("code", code), ("document", document)):
            if value:
                digest = hmac.new(
                    secret.encode(), f"{kind}:{value}".encode(), hashlib.sha256
                ).hexdigest()
                keys[f"{kind}:{digest}"] = kind
        return keys

    @api.model
    def _is_locked(self, keys, now=None):
        """Whether any of ``keys`` (from ``_keys``) is locked now."""
        if not keys:
            return False
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM confirma_page_throttle "
                "WHERE key = ANY(%s) AND locked_until > %s LIMIT 1",
                list(keys),
                now or fields.Datetime.now(),
            )
        )
        return bool(self.env.cr.fetchone())

    @api.model
    def _register_failure(self, keys, now=None):
        """Count one failed lookup on each of ``keys``, atomically (one
        ``INSERT … ON CONFLICT … DO UPDATE … RETURNING``); a key that reaches
        its limit is locked. Returns whether the lookup is now locked."""
        if not keys:
            return False
        now = now or fields.Datetime.now()
        limits, minutes = self._settings()
        window_start = now - relativedelta(minutes=minutes)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO confirma_page_throttle AS t (key, failures, date_start)
                     SELECT key, 1, %(now)s FROM unnest(%(keys)s::varchar[]) AS key
                ON CONFLICT (key) DO UPDATE
                        SET failures = CASE WHEN t.date_start < %(window)s
                                            THEN 1 ELSE t.failures + 1 END,
                            date_start = CASE WHEN t.date_start < %(window)s
                                              THEN %(now)s ELSE t.date_start END
                  RETURNING key, failures
                """,
                keys=list(keys),
                now=now,
                window=window_start,
            )
        )
        over = [
            key
            for key, failures in self.env.cr.fetchall()
            if failures >= limits[keys[key]]
        ]
        if over:
            self.env.cr.execute(
                SQL(
                    "UPDATE confirma_page_throttle "
                    "SET failures = 0, date_start = %s, locked_until = %s "
                    "WHERE key = ANY(%s)",
                    now,
                    now + relativedelta(minutes=minutes),
                    over,
                )
            )
        return bool(over)

    @api.model
    def _cron_purge(self):
        """Forget the keys whose window and lock are over."""
        now = fields.Datetime.now()
        _limits, minutes = self._settings()
        old = self.search(
            [
                ("date_start", "<", now - relativedelta(minutes=minutes)),
                "|",
                ("locked_until", "=", False),
                ("locked_until", "<", now),
            ]
        )
        old.unlink()
        return len(old)
