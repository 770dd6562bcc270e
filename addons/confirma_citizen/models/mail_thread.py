# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import fields, models
from odoo.tools import SQL, html_sanitize
from odoo.tools.mail import generate_tracking_message_id

# the sanitizer the ORM applies to mail.message.body (fields.Html defaults,
# sanitize_style as the field declares it)
SANITIZE = {
    "silent": True,
    "sanitize_tags": True,
    "sanitize_attributes": True,
    "sanitize_style": True,
    "sanitize_form": True,
    "output_method": "html",
}


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _confirma_log_notes(self, bodies):
        """Log an internal note on each of these records, as
        ``_message_log_batch`` does (the note subtype, the current user as
        author, no notification, no follower), for thousands of records at
        once: one INSERT. ``bodies``: {record id: HTML}.

        Each distinct body is sanitized once, as the ORM would sanitize it
        (Confirm@'s notes are fixed words, so a batch has few distinct
        bodies); the ORM sanitizes every message twice, which made the
        chatter most of the cost of closing a night's data checks. Returns
        the ids of the messages, in the order of ``self``."""
        records = self.filtered(lambda r: r.id in bodies)
        if not records:
            return []
        author_id, email_from = records._message_compute_author(
            None, None, raise_on_email=False
        )
        reply_to = self.env["mail.thread"]._notify_get_reply_to(default=email_from)[
            False
        ]
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        clean = {}
        rows = []
        now = fields.Datetime.now()
        for record in records:
            body = bodies[record.id]
            if body not in clean:
                clean[body] = html_sanitize(body, **SANITIZE) or ""
            rows.append(
                SQL(
                    "(%s, %s, %s, %s, %s, %s, %s, %s, 'notification', true, false, "
                    "%s, %s, %s, %s, %s)",
                    record.id,
                    self._name,
                    clean[body],
                    subtype_id,
                    author_id or None,
                    email_from or None,
                    reply_to or None,
                    generate_tracking_message_id("message-notify"),
                    now,
                    self.env.uid,
                    now,
                    self.env.uid,
                    now,
                )
            )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO mail_message (
                    res_id, model, body, subtype_id, author_id, email_from,
                    reply_to, message_id, message_type, is_internal,
                    email_add_signature, date, create_uid, create_date,
                    write_uid, write_date)
                VALUES %s
                RETURNING id
                """,
                SQL(", ").join(rows),
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        self.env["mail.message"].invalidate_model()
        records.invalidate_recordset(["message_ids"])
        return ids

    def _confirma_log_note_lines(self, lines):
        """``_confirma_log_notes`` with ``lines``: {record id: [texts]}, one
        note per record, its texts (escaped) one under the other."""
        return self._confirma_log_notes(
            {rid: Markup("<br/>").join(texts) for rid, texts in lines.items()}
        )
