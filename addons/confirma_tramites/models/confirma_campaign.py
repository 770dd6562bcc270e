# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io
import statistics
import zipfile

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from odoo.addons.queue_job.delay import chain, group

from .. import case_states as states

CHANNELS = [("email", "Email"), ("sms", "SMS"), ("post", "Letter")]
BATCH = 1000
#: Letters rendered together by one job, one wkhtmltopdf run (the setting
#: confirma_tramites.letters_per_job).
LETTERS_PER_JOB = 500


class ConfirmaCampaign(models.Model):
    """Telling every eligible resident "you qualify for X, here is why, just
    confirm": the offers of one procedure, sent by each resident's channel."""

    _name = "confirma.campaign"
    _description = "Confirmation campaign"
    _inherit = ["mail.thread", "mail.activity.mixin", "confirma.job.progress.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    procedure_id = fields.Many2one(
        "confirma.procedure",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        domain=[("state", "=", "active")],
    )
    company_id = fields.Many2one(
        related="procedure_id.company_id", store=True, index=True, precompute=True
    )
    extra_domain = fields.Char(
        string="Only residents matching",
        default="[]",
        help="An extra filter on the residents the procedure's rule finds "
        "(e.g. one district).",
    )
    date_start = fields.Date(
        string="Send from",
        default=fields.Date.context_today,
        help="The campaign is sent on this day (by the scheduled action, or "
        "at once with Launch).",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "Running"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    utm_campaign_id = fields.Many2one(
        "utm.campaign",
        string="UTM campaign",
        copy=False,
        help="Tracks the campaign's links and messages across Odoo.",
    )
    reminder_days = fields.Integer(
        string="Remind after (days)",
        default=10,
        help="Days after the offer to remind the residents who did not answer "
        "(0: no reminder).",
    )
    mailing_id = fields.Many2one(
        "mailing.mailing",
        string="Email tracking",
        readonly=True,
        copy=False,
        help="The campaign's emails as an Email Marketing mailing: each email "
        "has its trace there (sent, opened, clicked, bounced).",
    )
    automation_id = fields.Many2one(
        "automation.configuration",
        string="Workflow",
        readonly=True,
        copy=False,
        help="The campaign's timing (OCA Automation): the reminder of the "
        "offers still unanswered after the reminder delay.",
    )
    case_ids = fields.One2many("confirma.case", "campaign_id", string="Offers")
    letter_attachment_id = fields.Many2one(
        "ir.attachment", string="Letters", readonly=True, copy=False
    )
    # ---- statistics ------------------------------------------------------------------
    targeted = fields.Integer(compute="_compute_stats")
    notified_email = fields.Integer(string="By email", compute="_compute_stats")
    notified_sms = fields.Integer(string="By SMS", compute="_compute_stats")
    notified_post = fields.Integer(string="By letter", compute="_compute_stats")
    unreachable = fields.Integer(
        compute="_compute_stats",
        help="Residents with no usable channel (no email, mobile or address, "
        "or opted out of all): they can answer at the counter.",
    )
    opened = fields.Integer(
        compute="_compute_stats", help="Emails (offers, reminders) opened."
    )
    clicked = fields.Integer(
        string="Link opened",
        compute="_compute_stats",
        help="Offers whose confirmation link was opened (from an email, an SMS "
        "or a letter's QR code).",
    )
    bounced = fields.Integer(compute="_compute_stats", help="Emails that bounced.")
    confirmed = fields.Integer(compute="_compute_stats")
    declined = fields.Integer(compute="_compute_stats")
    expired = fields.Integer(compute="_compute_stats")
    confirmation_rate = fields.Float(
        string="Confirmation rate (%)", compute="_compute_stats", digits=(5, 1)
    )
    median_hours_to_confirm = fields.Float(
        string="Median time to confirm (h)", compute="_compute_stats", digits=(8, 1)
    )

    # ---- statistics ------------------------------------------------------------------
    def _compute_stats(self):
        Case = self.env["confirma.case"]
        rows = Case._read_group(
            [("campaign_id", "in", self.ids)],
            ["campaign_id", "state", "outreach_channel"],
            ["__count"],
        )
        keys = ("all", "email", "sms", "post", "none", "confirmed", "declined")
        stats = {campaign: dict.fromkeys((*keys, "expired"), 0) for campaign in self}
        opened_links = dict(
            Case._read_group(
                [("campaign_id", "in", self.ids), ("date_page_opened", "!=", False)],
                ["campaign_id"],
                ["__count"],
            )
        )
        for campaign, state, channel, count in rows:
            data = stats[campaign]
            data["all"] += count
            data[channel or "none"] += count
            if state in states.CONFIRMED:
                data["confirmed"] += count
            elif state in ("declined", "expired"):
                data[state] += count
        traces = {}
        for mailing, status, clicked, count in (
            self.env["mailing.trace"]
            .sudo()
            ._read_group(
                [("mass_mailing_id", "in", self.mailing_id.ids)],
                ["mass_mailing_id", "trace_status", "links_click_datetime:day"],
                ["__count"],
            )
        ):
            data = traces.setdefault(
                mailing, dict.fromkeys(("open", "click", "bounce"), 0)
            )
            if status in ("open", "reply") or clicked:
                data["open"] += count
            if status == "bounce":
                data["bounce"] += count
        for campaign in self:
            data = stats[campaign]
            mail = traces.get(campaign.mailing_id, {})
            campaign.opened = mail.get("open", 0)
            campaign.clicked = opened_links.get(campaign, 0)
            campaign.bounced = mail.get("bounce", 0)
            campaign.targeted = data["all"]
            campaign.notified_email = data["email"]
            campaign.notified_sms = data["sms"]
            campaign.notified_post = data["post"]
            campaign.unreachable = data["none"] if campaign.state != "draft" else 0
            campaign.confirmed = data["confirmed"]
            campaign.declined = data["declined"]
            campaign.expired = data["expired"]
            campaign.confirmation_rate = (
                100.0 * data["confirmed"] / data["all"] if data["all"] else 0.0
            )
            campaign.median_hours_to_confirm = campaign._median_hours()

    def _median_hours(self):
        if not self.id:
            return 0.0
        self.env.cr.execute(
            SQL(
                """
                SELECT EXTRACT(EPOCH FROM (date_answered - date_notified)) / 3600
                  FROM confirma_case
                 WHERE campaign_id = %s AND channel IS NOT NULL
                   AND date_answered IS NOT NULL AND date_notified IS NOT NULL
                   AND state NOT IN ('declined', 'expired', 'cancelled')
                """,
                self.id,
            )
        )
        hours = [row[0] for row in self.env.cr.fetchall()]
        return round(float(statistics.median(hours)), 1) if hours else 0.0

    # ---- targeting -------------------------------------------------------------------
    def _extra_domain(self):
        self.ensure_one()
        try:
            domain = safe_eval(self.extra_domain or "[]")
        except Exception as error:
            raise UserError(
                self.env._("The filter of %(name)s is not valid.", name=self.name)
            ) from error
        return list(domain)

    def _target_domain(self):
        """The residents the campaign is for: the procedure's rule today,
        plus the campaign's filter."""
        self.ensure_one()
        return self.procedure_id._eligible_domain() + self._extra_domain()

    def _route(self, partners):
        """{channel: residents} for ``partners``: the preferred channel when
        it can be used, else email, then a letter, then SMS; opt-outs and
        blacklists respected. One query per step, not per resident."""
        reachable = self.env["res.partner"]._reachable_domain
        email, sms, post = reachable("email"), reachable("sms"), reachable("post")
        has_sms = "sms.sms" in self.env
        steps = [
            ("sms", [("preferred_channel", "=", "sms")] + sms if has_sms else None),
            ("email", expression.AND([[("preferred_channel", "!=", "post")], email])),
            ("post", post),
            ("email", email),
            ("sms", sms if has_sms else None),
        ]
        Partner = self.env["res.partner"].with_context(active_test=False)
        routed = {key: Partner for key, _label in CHANNELS}
        remaining = partners
        for channel, domain in steps:
            if not remaining or domain is None:
                continue
            found = Partner.search([("id", "in", remaining.ids)] + domain)
            routed[channel] |= found
            remaining -= found
        routed["none"] = remaining
        return routed

    @api.private
    def preview(self, sample=10):
        """Count, a sample with the reasons, and the split by channel."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        domain = self._target_domain()
        count = Partner.search_count(domain)
        today = fields.Date.context_today(self)
        residents = Partner.search(domain, limit=sample, order="id")
        reasons = self.procedure_id._explain(residents, today)
        # one offer per beneficiary, sent to whom confirms (a parent for a
        # child): by that person's channel
        confirmers = self.procedure_id._confirmers(Partner.search(domain), today)
        routed = self._route(Partner.browse(sorted(set(confirmers.values()))))
        channel_of = {pid: ch for ch, found in routed.items() for pid in found.ids}
        split = dict.fromkeys(routed, 0)
        for confirmer_id in confirmers.values():
            split[channel_of[confirmer_id]] += 1
        return {
            "count": count,
            "sample": [(p.display_name, reasons.get(p.id, "")) for p in residents],
            "channels": split,
        }

    # ---- launch ----------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        campaigns = super().create(vals_list)
        for campaign in campaigns.filtered(lambda c: not c.utm_campaign_id):
            campaign.utm_campaign_id = self.env["utm.campaign"].create(
                {"name": campaign.name}
            )
        return campaigns

    def action_preview(self):
        """Who the campaign would reach now, and by which channel."""
        self.ensure_one()
        preview = self.preview(sample=5)
        channels = preview["channels"]
        sample = "; ".join(name for name, _why in preview["sample"])
        return self._sticky_notification(
            self.env._(
                "By email %(email)s, by SMS %(sms)s, by letter %(post)s, "
                "unreachable %(none)s. For example: %(sample)s.",
                sample=sample or "-",
                **channels,
            ),
            title=self.env._("%(count)s residents qualify", **preview),
        )

    def _sticky_notification(self, message, title=None):
        """An information the officer closes (not a fleeting toast)."""
        params = {"type": "info", "sticky": True, "message": message}
        if title:
            params["title"] = title
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": params,
        }

    def action_launch(self):
        """Send the campaign: handed to jobs (see ``_launch_job``); the form
        follows them."""
        for campaign in self:
            campaign._check_can_launch()
            campaign._delay_launch(relaunch=campaign.state == "running")
        return True

    @api.model
    def _load_demo_launch(self, ids):
        """Demo data: the town's administrator launches the campaigns, in
        the town's language (the notes of the chatters are written in it);
        their jobs run at once (queue_job__no_delay: no runner at install)."""
        admin = self.env.ref("base.user_admin", raise_if_not_found=False)
        campaigns = self.browse(ids).with_context(
            lang=self.env.company._confirma_lang(), queue_job__no_delay=True
        )
        return campaigns.with_user(admin or self.env.user).action_launch()

    @api.private
    def launch(self):
        """Open the missing cases of the target (the sweep, with its
        uniqueness), attach this period's unanswered offers to the campaign,
        and send each offer by its resident's channel, moving it to
        notified: here, in this transaction (``action_launch`` hands the
        same steps to jobs). Safe to run again: an offer already sent is not
        sent twice. Returns {channel: count sent}."""
        self._check_can_launch()
        self._launch_start()
        self.procedure_id.sweep(origin="campaign", extra_domain=self._extra_domain())
        offers = self._offers()
        sent = dict.fromkeys(["email", "sms", "post", "none"], 0)
        for start in range(0, len(offers), BATCH):
            batch = offers[start : start + BATCH]
            for channel, count in batch._send_offers(self).items():
                sent[channel] += count
            self._ensure_automation(batch)
        self._launch_end(sent)
        return sent

    def _check_can_launch(self):
        self.ensure_one()
        if self.state not in ("draft", "running"):
            raise UserError(
                self.env._("%(name)s is not open: it cannot be sent.", name=self.name)
            )
        self.env["confirma.case"].check_access("create")

    def _launch_start(self):
        self.state = "running"
        self._ensure_mailing()
        # before the offers' batches, which enter the workflow side by side
        self._workflow()

    def _offers(self):
        """This period's unanswered offers of the target, not sent by
        another campaign."""
        procedure = self.procedure_id
        period = procedure._period(fields.Date.context_today(self))[0]
        return self.env["confirma.case"].search(
            [
                ("procedure_id", "=", procedure.id),
                ("period", "=", period),
                ("state", "=", "proposed"),
                ("beneficiary_id", "any", self._target_domain()),
                "|",
                ("campaign_id", "=", False),
                ("campaign_id", "=", self.id),
            ],
            order="id",
        )

    def _launch_end(self, sent):
        self._ensure_automation()
        self.message_post(
            body=self.env._(
                "Sent: %(email)s by email, %(sms)s by SMS, %(post)s by letter; "
                "%(none)s residents cannot be reached.",
                **sent,
            )
        )

    # ---- the same, as jobs (channel root.confirma.outreach) ----------------------
    def _job_key_prefix(self):
        return f"confirma-campaign-{self.id}-"

    def _delay_launch(self, relaunch=False):
        """Hand the launch to a job (once, however often it is asked)."""
        self.ensure_one()
        return self.with_delay(
            description=self.env._("Send campaign %(name)s", name=self.name),
            identity_key=f"confirma-campaign-{self.id}-launch",
        )._launch_job(relaunch=relaunch)

    def _launch_job(self, relaunch=False):
        """Job: start sending the campaign if it is still due (or, asked
        again, running): the sweep's jobs open the target's missing cases,
        a batch each, then ``_send_job`` sends the offers. Returns the
        residents whose cases are to open."""
        self.ensure_one()
        if self.state != "draft" and not (relaunch and self.state == "running"):
            return False
        self._launch_start()
        today = fields.Date.context_today(self)
        prefix = self._job_key_prefix()
        found, sweeps = self.procedure_id._sweep_delayables(
            "campaign", today, self._extra_domain(), key=f"{prefix}sweep-{today}"
        )
        send = self.delayable(
            description=self.env._("Send campaign %(name)s: offers", name=self.name),
            identity_key=f"{prefix}send-{today}",
        )._send_job()
        (chain(group(*sweeps), send) if sweeps else send).delay()
        return found

    def _send_job(self):
        """Job: the offers to send, ``BATCH`` per job, then the end."""
        self.ensure_one()
        if self.state != "running":
            return 0
        offers = self._offers()
        prefix = self._job_key_prefix()
        today = fields.Date.context_today(self)
        sends = [
            self.delayable(
                description=self.env._(
                    "Send campaign %(name)s: %(count)s offers",
                    name=self.name,
                    count=len(batch),
                ),
                identity_key=f"{prefix}send-{today}-{batch[0]}-{len(batch)}",
            )._send_batch_job(batch)
            for batch in (
                offers.ids[start : start + BATCH]
                for start in range(0, len(offers), BATCH)
            )
        ]
        end = self.delayable(
            description=self.env._("Send campaign %(name)s: end", name=self.name),
            identity_key=f"{prefix}end-{today}",
        )._launch_end_job()
        (chain(group(*sends), end) if sends else end).delay()
        return len(offers)

    def _send_batch_job(self, case_ids):
        """Job: send these offers, those still unanswered and not sent by
        another campaign (run again, it sends nothing twice)."""
        self.ensure_one()
        offers = self.env["confirma.case"].search(
            [
                ("id", "in", case_ids),
                ("state", "=", "proposed"),
                "|",
                ("campaign_id", "=", False),
                ("campaign_id", "=", self.id),
            ]
        )
        sent = offers._send_offers(self)
        self._ensure_automation(offers)
        return sent

    def _launch_end_job(self):
        """Job: the reminders' workflow, and the chatter says what was sent."""
        self.ensure_one()
        sent = self._sent_counts()
        self._launch_end(sent)
        return sent

    def _launch_ended(self):
        """Whether the last launch's jobs all ended (its end job is done)."""
        end = self._jobs().filtered(lambda job: "-end-" in job.identity_key)[:1]
        return bool(end) and end.state == "done"

    def _sent_counts(self):
        """{channel: offers of the campaign sent by it}, and ``none``: those
        no channel reaches."""
        self.ensure_one()
        sent = dict.fromkeys(["email", "sms", "post", "none"], 0)
        for channel, state, count in self.env["confirma.case"]._read_group(
            [("campaign_id", "=", self.id)],
            ["outreach_channel", "state"],
            ["__count"],
        ):
            if state == "proposed" and not channel:
                sent["none"] += count
            elif channel in sent:
                sent[channel] += count
        return sent

    def _ensure_mailing(self):
        """The Email Marketing mailing that holds the traces of the campaign's
        emails (already sent by Confirm@: never sent again by mass_mailing)."""
        self.ensure_one()
        if not self.mailing_id:
            self.mailing_id = (
                self.env["mailing.mailing"]
                .sudo()
                .create(
                    {
                        "subject": self.name,
                        "mailing_type": "mail",
                        "mailing_model_id": self.env["ir.model"]._get_id(
                            "confirma.case"
                        ),
                        "mailing_domain": repr([("campaign_id", "=", self.id)]),
                        "campaign_id": self.utm_campaign_id.id,
                        "body_html": "<p>%s</p>" % self.name,
                        "state": "done",
                        "sent_date": fields.Datetime.now(),
                    }
                )
            )
        return self.mailing_id

    def _ensure_automation(self, offers=None):
        """The campaign's workflow in OCA Automation: every offer sent by
        email or SMS enters it; after ``reminder_days`` the ones still
        unanswered get their reminder (the step's domain is checked when it
        runs). ``offers``: those of a batch just sent (each batch enters its
        own, side by side with the others); without, every offer not in it
        yet (launching again adds the new offers only)."""
        self.ensure_one()
        automation = self._workflow()
        if offers is None:
            # the workflow finds its records with a raw query: write the offers
            self.env.flush_all()
            automation._confirma_run_automation()
        else:
            automation._confirma_run_automation(offers.ids)
        return automation

    def _workflow(self):
        """The campaign's workflow (created and started the first time)."""
        self.ensure_one()
        if not self.automation_id:
            domain = repr(
                [
                    ("campaign_id", "=", self.id),
                    ("state", "=", "notified"),
                    ("outreach_channel", "in", ("email", "sms")),
                ]
            )
            # sudo: launching was checked (cases can be created); officers
            # do not configure workflows themselves
            self.automation_id = (
                self.env["automation.configuration"]
                .sudo()
                .create(
                    {
                        "name": self.env._("Confirm@: %(name)s", name=self.name),
                        "model_id": self.env["ir.model"]._get_id("confirma.case"),
                        "editable_domain": domain,
                        "company_id": self.company_id.id,
                        "automation_step_ids": [
                            (0, 0, step) for step in self._automation_steps()
                        ],
                    }
                )
            )
            self.automation_id.sudo().start_automation()
        return self.automation_id.sudo()

    def _automation_steps(self):
        """Reminder after ``reminder_days`` (if any), expiry when the
        procedure's time to confirm (its initiation phase) is over."""
        steps = []
        if self.reminder_days > 0:
            steps.append(
                {
                    "name": self.env._("Reminder"),
                    "step_type": "action",
                    "server_action_id": self.env.ref(
                        "confirma_tramites.action_case_send_reminder"
                    ).id,
                    "trigger_type": "start",
                    "trigger_interval": self.reminder_days,
                    "trigger_interval_type": "days",
                }
            )
        confirm_days = sum(
            self.procedure_id.phase_ids.filtered(
                lambda p: p.kind == "initiation"
            ).mapped("duration_days")
        )
        if confirm_days:
            steps.append(
                {
                    "name": self.env._("Expiry"),
                    "step_type": "action",
                    "server_action_id": self.env.ref(
                        "confirma_tramites.action_case_expire"
                    ).id,
                    "trigger_type": "start",
                    "trigger_interval": confirm_days,
                    "trigger_interval_type": "days",
                }
            )
        return steps

    def action_view_automation(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "automation.configuration",
            "res_id": self.automation_id.id,
            "view_mode": "form",
        }

    def action_view_mailing(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "mailing.mailing",
            "res_id": self.mailing_id.id,
            "view_mode": "form",
        }

    def action_print_letters(self):
        """One printable PDF with the letters of the campaign: at once for a
        few hundred, else rendered by jobs in the background (see
        ``_delay_letters``)."""
        self.ensure_one()
        # found by the database (a city's campaign holds 100,000 offers)
        letters = self.env["confirma.case"].search(
            [
                ("campaign_id", "=", self.id),
                ("outreach_channel", "=", "post"),
                ("state", "=", "notified"),
            ],
            order="id",
        )
        if not letters:
            raise UserError(
                self.env._("No letter to print in %(name)s.", name=self.name)
            )
        if len(letters) > self._letters_per_job():
            jobs = self._delay_letters(letters)
            return self._sticky_notification(
                self.env._(
                    "%(count)s letters are being rendered in the background "
                    "(%(jobs)s jobs): a ZIP of their PDFs will be in the "
                    "campaign's Letters field, and its chatter will say so.",
                    count=len(letters),
                    jobs=jobs,
                )
            )
        self._store_letters(self._render_letters(letters.ids))
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.letter_attachment_id.id}?download=true",
            "target": "self",
        }

    def _letters_per_job(self):
        """Letters rendered together, by one wkhtmltopdf run (setting
        ``confirma_tramites.letters_per_job``, 500 by default)."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("confirma_tramites.letters_per_job", LETTERS_PER_JOB)
        )
        try:
            return max(int(value), 1)
        except (TypeError, ValueError):
            return LETTERS_PER_JOB

    def _render_letters(self, case_ids):
        """The PDF of these cases' letters: one wkhtmltopdf run, one layout
        around them all (a layout per letter fails in Debian's wkhtmltopdf
        past a few records)."""
        content, _kind = self.env["ir.actions.report"]._render_qweb_pdf(
            "confirma_tramites.action_report_case_letter", case_ids
        )
        return content

    def _store_letters(self, content, stamp=None, kind="pdf"):
        suffix = f"-{stamp}" if stamp else ""
        self.letter_attachment_id = self.env["ir.attachment"].create(
            {
                "name": f"letters-{self.id}{suffix}.{kind}",
                "datas": base64.b64encode(content),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/pdf" if kind == "pdf" else "application/zip",
            }
        )

    def _delay_letters(self, letters):
        """Hand the letters to jobs of the reports channel, a part of
        ``_letters_per_job`` letters each, then a job that gathers the parts
        in the campaign's ZIP. Returns the number of parts."""
        size = self._letters_per_job()
        stamp = fields.Datetime.now().strftime("%Y%m%d%H%M%S")
        key = f"{self._job_key_prefix()}letters-{stamp}"
        parts = [
            self.delayable(
                description=self.env._(
                    "Letters of %(name)s: part %(number)s", name=self.name, number=n + 1
                ),
                identity_key=f"{key}-{n + 1}",
            )._letters_job(letters.ids[start : start + size], stamp, n + 1)
            for n, start in enumerate(range(0, len(letters), size))
        ]
        end = self.delayable(
            description=self.env._("Letters of %(name)s: the ZIP", name=self.name),
            identity_key=f"{key}-end",
        )._letters_end_job(stamp, len(parts))
        chain(group(*parts), end).delay()
        return len(parts)

    def _letters_part_name(self, stamp, number):
        return f"letters-{self.id}-{stamp}-{number:04d}.pdf"

    def _letters_job(self, case_ids, stamp, number):
        """Job: render one part of the letters (once: a part already
        rendered, or already joined, is kept)."""
        self.ensure_one()
        name = self._letters_part_name(stamp, number)
        Attachment = self.env["ir.attachment"]
        if self.letter_attachment_id.name == f"letters-{self.id}-{stamp}.zip":
            return False
        if Attachment.search_count(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("name", "=", name),
            ]
        ):
            return False
        Attachment.create(
            {
                "name": name,
                "raw": self._render_letters(case_ids),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/pdf",
            }
        )
        return len(case_ids)

    def _letters_end_job(self, stamp, parts):
        """Job: gather the parts, in order, in the campaign's ZIP (one PDF of
        ``_letters_per_job`` letters each, as a print shop takes them;
        joining them into one PDF would hold them all in memory)."""
        self.ensure_one()
        names = [self._letters_part_name(stamp, n) for n in range(1, parts + 1)]
        found = self.env["ir.attachment"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("name", "in", names),
            ]
        )
        by_name = {attachment.name: attachment for attachment in found}
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            for name in names:
                archive.writestr(name, by_name[name].raw)
        self._store_letters(buffer.getvalue(), stamp, kind="zip")
        found.unlink()
        self.message_post(
            body=self.env._(
                "The letters are ready to print: %(name)s.",
                name=self.letter_attachment_id.name,
            )
        )
        return True

    def action_done(self):
        self.write({"state": "done"})

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_view_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "confirma_tramites.confirma_case_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        return action

    # ---- schedule --------------------------------------------------------------------
    @api.model
    def _cron_run(self, today=None):
        """Send the campaigns due today, one job each (channel
        root.confirma.outreach), handed out once however often the schedule
        asks; their reminders are timed by OCA Automation (see
        ``_ensure_automation``). Returns the campaigns."""
        today = today or fields.Date.context_today(self)
        due = self.search([("state", "=", "draft"), ("date_start", "<=", today)])
        for campaign in due:
            campaign._delay_launch()
        return due
