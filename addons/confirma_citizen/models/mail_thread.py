# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import html

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


def plain_note_html(texts):
    """What the sanitizer makes of plain ``texts`` one under the other
    (escaped, joined by line breaks), without parsing them; None when a text
    is not one it leaves as it is: markup, a lazy translation, empty, with
    white space around it, or a character that is not printable (controls,
    non-breaking or line-separator spaces).

    >>> print(plain_note_html(["Ajut: oferta a l'adreça a&b<c>@example.org", "2"]))
    <p>Ajut: oferta a l'adreça a&amp;b&lt;c&gt;@example.org<br>2</p>
    >>> [plain_note_html(t) for t in (["x "], ["a\\xa0b"], [Markup("<b>x</b>")], [])]
    [None, None, None, None]
    """
    if not texts:
        return None
    for text in texts:
        if (
            type(text) is not str
            or not text
            or text != text.strip()
            or not text.isprintable()
        ):
            return None
    return "<p>%s</p>" % "<br>".join(html.escape(text, quote=False) for text in texts)


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _confirma_log_notes(self, bodies, clean=None):
        """Log an internal note on each of these records, as
        ``_message_log_batch`` does (the note subtype, the current user as
        author, no notification, no follower), for thousands of records at
        once: one INSERT. ``bodies``: {record id: HTML}.

        Each distinct body is sanitized once, as the ORM would sanitize it
        (Confirm@'s notes are fixed words, so a batch has few distinct
        bodies); the ORM sanitizes every message twice, which made the
        chatter most of the cost of closing a night's data checks. Returns
        the ids of the messages, in the order of ``self``. ``clean``: {record
        id: the sanitized HTML of its body}, for those already known (see
        ``plain_note_html``)."""
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
        sanitized = {}
        clean = clean or {}
        rows = []
        now = fields.Datetime.now()
        for record in records:
            body = clean.get(record.id)
            if body is None:
                body = bodies[record.id]
                if body not in sanitized:
                    sanitized[body] = html_sanitize(body, **SANITIZE) or ""
                body = sanitized[body]
            rows.append(
                SQL(
                    "(%s, %s, %s, %s, %s, %s, %s, %s, 'notification', true, false, "
                    "%s, %s, %s, %s, %s)",
                    record.id,
                    self._name,
                    body,
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
        note per record, its texts (escaped) one under the other. Plain
        texts (an outreach note names each resident's address: every body
        differs) are not parsed by the sanitizer: their HTML is built as it
        would make it (``plain_note_html``)."""
        clean = {}
        for rid, texts in lines.items():
            body = plain_note_html(texts)
            if body is not None:
                clean[rid] = body
        return self._confirma_log_notes(
            {rid: Markup("<br/>").join(texts) for rid, texts in lines.items()},
            clean=clean,
        )
