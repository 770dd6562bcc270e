# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup, escape

from odoo import fields, models
from odoo.tools import SQL, html_sanitize, is_html_empty
from odoo.tools.mail import generate_tracking_message_id

from odoo.addons.confirma_citizen.models.mail_thread import SANITIZE

# what send_mail_batch renders of a template
RENDERED = (
    "attachment_ids",
    "auto_delete",
    "body_html",
    "email_cc",
    "email_from",
    "email_to",
    "mail_server_id",
    "model",
    "partner_to",
    "reply_to",
    "report_template_ids",
    "res_id",
    "scheduled_date",
    "subject",
)

LIGHT_LAYOUT = "mail.mail_notification_light"
# markers where the light layout holds the body (and its preview) and name
BODY_MARK = "confirma-layout-body-5b1f0c"
NAME_MARK = "confirma-layout-name-5b1f0c"


def _fill(skeleton, message, render):
    """The light layout of ``message`` from its ``skeleton`` (see
    ``_confirma_skeleton``): the preview and the record's name escaped as
    QWeb escapes them, the body as Odoo puts it (local links made absolute)."""
    name = escape((message.record_name or "").replace("/", "-"))
    before, between, after = (part.replace(NAME_MARK, name) for part in skeleton)
    body = render._replace_local_links(message.body)
    return Markup("").join((before, escape(message.preview), between, body, after))


def _text(value):
    """A rendered text as the ORM stores it (False and None: NULL)."""
    return None if value is False else value


class MailTemplate(models.Model):
    _inherit = "mail.template"

    def _confirma_queue_batch(self, res_ids, email_layout_xmlid, email_values=None):
        """Queue this template's email for each of ``res_ids`` (Odoo's mail
        queue sends them), as ``send_mail_batch`` does, for a campaign's
        thousands: the rendered values and the layout are Odoo's, the
        messages and emails are written with one INSERT each.

        What differs from ``send_mail_batch``: the message keeps the body
        the template rendered (its notifications do so too) and the email
        the body in its layout; Odoo copies the layout into the message and
        sanitizes that copy three times, most of the time of sending a
        campaign. A template with attachments or reports, a scheduled date
        or an image inside its body, or email values other than a mailing,
        go Odoo's way. Returns the
        ``mail.mail`` records, in the order of ``res_ids``."""
        self.ensure_one()
        if not res_ids:
            return self.env["mail.mail"].sudo()
        values = self._generate_template(res_ids, RENDERED)
        if (
            set(email_values or ()) - {"mailing_id"}
            or self.attachment_ids
            or self.report_template_ids
            or any(
                vals.get("scheduled_date")
                or vals.get("attachments")
                or "data:image" in (vals.get("body_html") or "")
                for vals in values.values()
            )
        ):
            return self.send_mail_batch(
                res_ids,
                email_layout_xmlid=email_layout_xmlid,
                email_values=email_values,
            )
        layouts = self._confirma_layouts(res_ids, values, email_layout_xmlid)
        return self._confirma_insert_mails(res_ids, values, layouts, email_values)

    def _confirma_layouts(self, res_ids, values, email_layout_xmlid):
        """{res_id: the body in the layout}, as ``send_mail_batch`` renders
        it (the record's language and company). Odoo's light layout, which
        only shows the message and the company, is rendered once per
        language and company, and each email's body, preview and name are
        filled in; the first email of each is also rendered Odoo's way, and
        if the two differ all of them are."""
        records = self.env[self.model].browse(res_ids)
        langs = self._render_lang(res_ids) if self.lang else {}
        companies = records._mail_get_companies(default=self.env.company)
        Message = self.env["mail.message"].sudo()
        Render = self.env["mail.render.mixin"]
        skeletons = {}
        layouts = {}
        for record in records:
            body = values[record.id]["body_html"]
            lang = langs.get(record.id) or False
            company = companies.get(record.id) or self.env.company
            message = Message.new({"body": body, "record_name": record.display_name})
            key = (lang, company)
            if key not in skeletons:
                skeleton = None
                if email_layout_xmlid == LIGHT_LAYOUT:
                    skeleton = self._confirma_skeleton(record, lang, company)
                layout = self._confirma_layout(record, lang, company, message)
                if skeleton and _fill(skeleton, message, Render) != layout:
                    skeleton = None
                skeletons[key] = skeleton
            elif skeletons[key]:
                layout = _fill(skeletons[key], message, Render)
            else:
                layout = self._confirma_layout(record, lang, company, message)
            layouts[record.id] = layout
        return layouts

    def _confirma_layout(self, record, lang, company, message, layout=LIGHT_LAYOUT):
        """The message in ``layout``, as ``send_mail_batch`` renders it."""
        ir_model = self.env["ir.model"]._get(self.model)
        model_lang = ir_model.with_context(lang=lang) if lang else ir_model
        context = {
            "message": message,
            "subtype": self.env["mail.message.subtype"].sudo(),
            "model_description": model_lang.display_name,
            "record": record,
            "record_name": False,
            "subtitles": False,
            "company": company,
            "email_add_signature": False,
            "signature": "",
            "website_url": "",
            "is_html_empty": is_html_empty,
        }
        rendered = model_lang.env["ir.qweb"]._render(
            layout, context, minimal_qcontext=True, raise_if_not_found=False
        )
        return self.env["mail.render.mixin"]._replace_local_links(
            rendered or message.body
        )

    def _confirma_skeleton(self, record, lang, company):
        """The light layout rendered around markers: (the text before the
        preview, between the preview and the body, after the body); None if
        the markers do not come out where expected."""
        message = (
            self.env["mail.message"]
            .sudo()
            .new({"body": Markup(BODY_MARK), "record_name": NAME_MARK})
        )
        parts = self._confirma_layout(record, lang, company, message).split(BODY_MARK)
        return tuple(parts) if len(parts) == 3 else None

    def _confirma_insert_mails(self, res_ids, values, layouts, email_values):
        """Write the messages, the emails and their recipients: an INSERT
        each. Returns the ``mail.mail`` records, in the order of
        ``res_ids``."""
        env = self.env
        email_values = email_values or {}
        now = fields.Datetime.now()
        uid = env.uid
        author = env.user.partner_id.id or None
        default_from = env["mail.thread"]._message_compute_author(
            None, None, raise_on_email=False
        )[1]
        names = {
            record.id: record.display_name
            for record in env[self.model].sudo().browse(res_ids)
        }
        messages = []
        for res_id in res_ids:
            vals = values[res_id]
            messages.append(
                SQL(
                    "(%s, %s, %s, %s, %s, %s, %s, %s, %s, 'email_outgoing', true, "
                    "%s, %s, %s, %s, %s, %s)",
                    res_id,
                    self.model,
                    html_sanitize(vals.get("body_html") or "", **SANITIZE) or "",
                    _text(vals.get("subject")),
                    names[res_id] or None,
                    author,
                    vals.get("email_from") or default_from or None,
                    _text(vals.get("reply_to")),
                    generate_tracking_message_id(f"{res_id}-{self.model}"),
                    vals.get("mail_server_id") or None,
                    now,
                    uid,
                    now,
                    uid,
                    now,
                )
            )
        env.flush_all()
        cr = env.cr
        cr.execute(
            SQL(
                """
                INSERT INTO mail_message (
                    res_id, model, body, subject, record_name, author_id,
                    email_from, reply_to, message_id, message_type,
                    email_add_signature, mail_server_id, date, create_uid,
                    create_date, write_uid, write_date)
                VALUES %s
                RETURNING id
                """,
                SQL(", ").join(messages),
            )
        )
        message_ids = [row[0] for row in cr.fetchall()]
        mailing_id = email_values.get("mailing_id") or None
        mails = [
            SQL(
                "(%s, %s, 'outgoing', %s, %s, %s, %s, %s, %s, %s, %s)",
                message_id,
                layouts[res_id],
                _text(values[res_id].get("email_to")),
                _text(values[res_id].get("email_cc")),
                bool(values[res_id].get("auto_delete")),
                mailing_id,
                uid,
                now,
                uid,
                now,
            )
            for res_id, message_id in zip(res_ids, message_ids, strict=True)
        ]
        cr.execute(
            SQL(
                """
                INSERT INTO mail_mail (
                    mail_message_id, body_html, state, email_to, email_cc,
                    auto_delete, mailing_id, create_uid, create_date,
                    write_uid, write_date)
                VALUES %s
                RETURNING id
                """,
                SQL(", ").join(mails),
            )
        )
        mail_ids = [row[0] for row in cr.fetchall()]
        # the recipients, of the email and of its message (as Odoo links them)
        for table, column, ids in (
            ("mail_mail_res_partner_rel", "mail_mail_id", mail_ids),
            ("mail_message_res_partner_rel", "mail_message_id", message_ids),
        ):
            recipients = [
                SQL("(%s, %s)", record_id, partner_id)
                for res_id, record_id in zip(res_ids, ids, strict=True)
                for partner_id in dict.fromkeys(values[res_id].get("partner_ids") or ())
            ]
            if recipients:
                cr.execute(
                    SQL(
                        "INSERT INTO %s (%s, res_partner_id) VALUES %s",
                        SQL.identifier(table),
                        SQL.identifier(column),
                        SQL(", ").join(recipients),
                    )
                )
        env["mail.message"].invalidate_model()
        env["mail.mail"].invalidate_model()
        env[self.model].browse(res_ids).invalidate_recordset()
        return env["mail.mail"].sudo().browse(mail_ids)
