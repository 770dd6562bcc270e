# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

#: Ley 39/2015 art. 43.2: ten calendar days without access is a rejection.
REJECTION_DAYS = 10

IDENTIFICATION = [
    ("link_birthdate", "Personal link and birth date"),
    ("portal", "Resident portal (login)"),
    ("counter", "At the counter, identity document checked"),
]


class ConfirmaNotification(models.Model):
    """The notification of a resolution. By appearance at the sede (art. 43
    Ley 39/2015): the resolution is made available on the resident's page
    and portal, a notice without its content goes out by email or SMS, and
    opening it is recorded (when, and how the resident was identified). Ten
    calendar days without access count as a rejection; the procedure goes
    on. On paper, for residents who chose paper: a printed notice with an
    acknowledgement of receipt, whose date the officer registers.

    Each outcome is an evidence document with its CSV. The states are those
    a DEHú/Notific@ connector would report too (available, accessed,
    rejected; delivered or failed on paper)."""

    _name = "confirma.notification"
    _description = "Notification of a resolution"
    _order = "id desc"
    _check_company_auto = True

    resolution_id = fields.Many2one(
        "confirma.resolution", required=True, readonly=True, index=True
    )
    case_id = fields.Many2one(related="resolution_id.case_id", store=True, index=True)
    partner_id = fields.Many2one(
        related="resolution_id.partner_id", string="Resident", store=True
    )
    company_id = fields.Many2one(
        related="resolution_id.company_id", string="Municipality", store=True
    )
    channel = fields.Selection(
        [("sede", "Appearance at the sede"), ("paper", "Paper")],
        required=True,
        readonly=True,
    )
    state = fields.Selection(
        [
            ("pending", "Available"),
            ("accessed", "Accessed"),
            ("rejected", "Rejected (10 days without access)"),
            ("delivered", "Delivered on paper"),
            ("failed", "Not delivered"),
        ],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    date_available = fields.Datetime(string="Available since", readonly=True)
    date_deadline = fields.Datetime(string="Rejected unless opened by", readonly=True)
    date_notice = fields.Datetime(string="Notice sent on", readonly=True)
    notice_channel = fields.Selection(
        [("email", "Email"), ("sms", "SMS"), ("none", "None")], readonly=True
    )
    date_accessed = fields.Datetime(string="Opened on", readonly=True)
    identification = fields.Selection(
        IDENTIFICATION, string="Identified by", readonly=True
    )
    access_ip = fields.Char(string="Opened from", readonly=True)
    date_delivered = fields.Date(string="Delivered on", readonly=True)
    registered_by_id = fields.Many2one(
        "res.users", string="Delivery registered by", readonly=True
    )
    evidence_id = fields.Many2one("confirma.document", readonly=True)

    # ---- opened when a resolution is issued ---------------------------------------
    @api.model
    def _open_for(self, resolutions):
        now = fields.Datetime.now()
        vals_list = []
        for resolution in resolutions:
            partner = resolution.partner_id
            paper = partner.preferred_channel == "post"
            vals_list.append(
                {
                    "resolution_id": resolution.id,
                    "channel": "paper" if paper else "sede",
                    "date_available": now,
                    "date_deadline": False
                    if paper
                    else now + relativedelta(days=REJECTION_DAYS),
                }
            )
        notifications = self.sudo().create(vals_list)
        notifications.filtered(lambda n: n.channel == "sede")._send_notice()
        return notifications

    def _send_notice(self):
        """The notice without content (art. 41.6 Ley 39/2015): by email, else
        by SMS, to the residents who have either."""
        channels = {"email": self.browse(), "sms": self.browse(), "none": self.browse()}
        for notification in self:
            partner = notification.partner_id
            if partner.email and not partner.email_opt_out:
                channels["email"] |= notification
            elif partner.phone_sanitized:
                channels["sms"] |= notification
            else:
                channels["none"] |= notification
        if channels["email"]:
            # one batch, each in its resident's language
            channels["email"].case_id._send_template(
                "confirma_legal.mail_template_notification_notice"
            )
        for notification in channels["sms"]:
            notification._send_notice_sms()
        now = fields.Datetime.now()
        for channel, notifications in channels.items():
            if notifications:
                notifications.write({"notice_channel": channel, "date_notice": now})

    def _send_notice_sms(self):
        case = self.case_id.sudo()
        lang = case.resident_lang or case.company_id._confirma_lang()
        text = self.with_context(lang=lang).env._(
            "%(town)s: you have a notification from the town hall. Open it "
            "here: %(link)s (code %(code)s)"
        )
        self.env["sms.sms"].sudo().create(
            {
                "number": case.partner_id.phone_sanitized,
                "partner_id": case.partner_id.id,
                "body": text
                % {
                    "town": case.company_id.name,
                    "link": case._page_link(),
                    "code": case.code,
                },
            }
        )

    # ---- outcomes --------------------------------------------------------------------
    def _record_access(self, identification, ip=None):
        """The resident opened the notification (the first time counts)."""
        self.ensure_one()
        if self.state != "pending" or self.channel != "sede":
            return False
        self.sudo().write(
            {
                "state": "accessed",
                "date_accessed": fields.Datetime.now(),
                "identification": identification,
                "access_ip": ip or False,
            }
        )
        self.sudo()._issue_evidence()
        return True

    @api.model
    def _cron_reject_expired(self, batch_size=200):
        """Notifications at the sede not opened within ten calendar days are
        rejected (art. 43.2): recorded, with their evidence."""
        expired = self.sudo().search(
            [
                ("state", "=", "pending"),
                ("channel", "=", "sede"),
                ("date_deadline", "<", fields.Datetime.now()),
            ],
            order="id",
        )
        for start in range(0, len(expired), batch_size):
            batch = expired[start : start + batch_size]
            batch.write({"state": "rejected"})
            batch._issue_evidence()
        return len(expired)

    def action_register_delivery(self, date_delivered=None, delivered=True):
        """An officer registers the acknowledgement of receipt of a paper
        notification (its date), or that it could not be delivered."""
        if not self.env.user.has_group("confirma_tramites.group_officer"):
            raise AccessError(
                self.env._("Only Confirm@ officers register paper deliveries.")
            )
        self.check_access("read")
        for notification in self:
            if notification.channel != "paper" or notification.state != "pending":
                raise UserError(
                    self.env._(
                        "Only paper notifications still waiting take a delivery."
                    )
                )
        self.sudo().write(
            {
                "state": "delivered" if delivered else "failed",
                "date_delivered": date_delivered or fields.Date.context_today(self),
                "registered_by_id": self.env.uid,
            }
        )
        self.sudo()._issue_evidence()
        return True

    def _issue_evidence(self):
        Document = self.env["confirma.document"].sudo()
        outcomes = dict(self._fields["state"]._description_selection(self.env))
        for notification in self:
            document = Document._issue(
                "evidence",
                self.env._(
                    "Notification of %(resolution)s: %(outcome)s",
                    resolution=notification.resolution_id.name,
                    outcome=outcomes[notification.state],
                ),
                "confirma_legal.action_report_notification_evidence",
                notification,
                case=notification.case_id,
                company=notification.company_id,
                reference=notification.resolution_id.name,
            )
            notification.evidence_id = document

    def action_open_delivery(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Register the delivery"),
            "res_model": "confirma.notification.delivery",
            "view_mode": "form",
            "target": "new",
            "context": {"default_notification_id": self.id},
        }

    def action_print_notice(self):
        self.ensure_one()
        return self.env.ref("confirma_legal.action_report_paper_notice").report_action(
            self
        )
