# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Confirmation campaigns: targeting, channels, messages, timing, letters."""

import datetime
import io
import zipfile

from freezegun import freeze_time
from markupsafe import Markup

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader

from odoo.addons.confirma_citizen.tests.common import run_jobs
from odoo.addons.confirma_tramites.models import mail_template
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import REFERENCE, ConfirmaPopulationCommon, stored_values

D = datetime.date


@tagged("post_install", "-at_install")
@freeze_time(str(REFERENCE))
class TestCampaign(ConfirmaPopulationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.email = "ajuntament@example.org"
        # Anna: email; Bernat: SMS (prefers it); Driss: a letter; Carla: a minor
        cls.bernat.preferred_channel = "sms"
        cls.driss.write({"street": "Carrer Nou 3", "preferred_channel": "post"})
        cls.rule = cls.make_rule({"kind": "age", "min_value": 18}, name="Adults")
        cls.procedure = cls.make_procedure(cls.rule, code="CAMP", name="Senior card")

    def make_campaign(self, user=None, **vals):
        Campaign = self.env["confirma.campaign"].with_user(
            user or self.officer_tramites
        )
        return Campaign.create(
            dict(name="Senior card 2026", procedure_id=self.procedure.id, **vals)
        )

    def mails(self, template=None):
        domain = [("model", "=", "confirma.case")]
        mails = self.env["mail.mail"].sudo().search(domain)
        if template:
            subject = template
            mails = mails.filtered(lambda m: subject in (m.subject or ""))
        return mails

    def cases(self, campaign):
        return campaign.case_ids.sorted("id")

    # ---- targeting and channels ------------------------------------------------------
    def test_preview_counts_and_channels(self):
        campaign = self.make_campaign()
        preview = campaign.preview()
        self.assertEqual(preview["count"], 3)  # Anna, Bernat, Driss
        self.assertEqual(
            {k: v for k, v in preview["channels"].items() if v},
            {"email": 1, "sms": 1, "post": 1},
        )
        notice = campaign.action_preview()["params"]
        self.assertEqual(notice["title"], "3 residents qualify")
        self.assertIn(
            "By email 1, by SMS 1, by letter 1, unreachable 0", notice["message"]
        )
        names = [name for name, _why in preview["sample"]]
        self.assertIn("Anna Ferrer Puig", names)
        self.assertTrue(all(why for _name, why in preview["sample"]))
        # an extra filter narrows the target
        district = self.make_campaign(extra_domain="[('district_code', '=', '02')]")
        self.assertEqual(district.preview()["count"], 1)  # Bernat

    def test_launch_routes_by_channel_and_is_idempotent(self):
        campaign = self.make_campaign()
        self.assertTrue(campaign.utm_campaign_id)
        sent = campaign.launch()
        self.assertEqual(sent, {"email": 1, "sms": 1, "post": 1, "none": 0})
        offers = self.cases(campaign)
        self.assertEqual(offers.partner_id, self.anna | self.bernat | self.driss)
        self.assertEqual(set(offers.mapped("state")), {"notified"})
        self.assertEqual(set(offers.mapped("origin")), {"campaign"})
        by = {case.partner_id: case.outreach_channel for case in offers}
        self.assertEqual(
            by, {self.anna: "email", self.bernat: "sms", self.driss: "post"}
        )
        # the email: queued, to Anna, with why she qualifies, the link and code
        mail = self.mails()
        self.assertEqual(len(mail), 1)
        anna_case = offers.filtered(lambda c: c.partner_id == self.anna)
        self.assertEqual(mail.recipient_ids, self.anna)
        self.assertEqual(mail.state, "outgoing")
        self.assertIn("Senior card", mail.subject)
        self.assertIn(anna_case.explanation.split(",")[0], mail.body_html)
        self.assertIn(anna_case.page_token, mail.body_html)
        self.assertIn(anna_case.code, mail.body_html)
        # tracked as Email Marketing: a trace per email, opened when read
        trace = mail.mailing_trace_ids
        self.assertEqual(trace.mass_mailing_id, campaign.mailing_id)
        self.assertEqual(trace.res_id, anna_case.id)
        self.assertEqual(campaign.mailing_id.campaign_id, campaign.utm_campaign_id)
        self.assertEqual(campaign.mailing_id.state, "done")  # never sent again
        trace.set_opened()
        campaign.invalidate_recordset()
        self.assertEqual((campaign.opened, campaign.bounced), (1, 0))
        # the SMS: queued, to Bernat's number, with the link and code
        sms = self.env["sms.sms"].sudo().search([("partner_id", "=", self.bernat.id)])
        self.assertEqual(len(sms), 1)
        bernat_case = offers.filtered(lambda c: c.partner_id == self.bernat)
        self.assertIn(bernat_case.code, sms.body)
        self.assertEqual(sms.number, "+34612000001")
        self.assertEqual(campaign.state, "running")
        self.assertEqual(
            (campaign.targeted, campaign.notified_email, campaign.notified_sms,
             campaign.notified_post),
            (3, 1, 1, 1),
        )  # fmt: skip
        # each outreach is noted on the case and on the resident's file
        # (the email itself leaves the chatter once sent: auto-deleted)
        notes = anna_case.message_ids.filtered(
            lambda m: m.message_type == "notification"
        )
        self.assertEqual(
            notes.mapped("body"),
            [Markup("<p>Senior card: offer emailed to anna@example.org.</p>")],
        )
        self.assertIn(
            "offer emailed to anna@example.org", self.anna.message_ids[0].body
        )
        self.assertIn(
            "Senior card: offer sent by SMS to +34612000001.",
            self.bernat.message_ids[0].body,
        )
        self.assertIn("offer sent by SMS", bernat_case.message_ids[0].body)
        self.assertEqual(bernat_case.message_ids[0].message_type, "notification")
        # launching again sends nothing twice and opens nothing new
        again = campaign.launch()
        self.assertEqual(again, {"email": 0, "sms": 0, "post": 0, "none": 0})
        self.assertEqual(len(self.mails()), 1)
        self.assertEqual(self.cases(campaign), offers)

    def test_opt_outs_are_respected(self):
        self.anna.email_opt_out = True  # Odoo's blacklist
        self.bernat.sms_opt_out = True  # Odoo's phone blacklist
        self.anna.street = "Carrer Major 1"
        self.driss.post_opt_out = True  # no paper, and no digital channel
        campaign = self.make_campaign()
        sent = campaign.launch()
        self.assertEqual(sent, {"email": 0, "sms": 0, "post": 2, "none": 1})
        unreachable = self.cases(campaign).filtered(
            lambda c: c.partner_id == self.driss
        )
        self.assertEqual(unreachable.state, "proposed")
        self.assertFalse(unreachable.outreach_channel)
        self.assertEqual(campaign.unreachable, 1)
        self.assertFalse(self.mails())

    # ---- timing ----------------------------------------------------------------------
    def test_workflow_records_as_oca_creates_them(self):
        """The campaign's workflow records are created set-based, a
        thousand at a time: the same records, with the same steps and every
        stored value, as OCA's ``run_automation`` creates one by one."""
        campaign = self.make_campaign(reminder_days=10)
        campaign.launch()
        # (workflows are the administrator's: officers never see them)
        automation = campaign.automation_id.sudo()
        Record = self.env["automation.record"].sudo()
        mine = [("configuration_id", "=", automation.id)]

        def stored(record):
            return stored_values(record, skip=("record_id",))

        def shape(records):
            records.invalidate_model()
            return sorted(
                (
                    record.model,
                    record.res_id,
                    stored(record),
                    sorted(
                        (s.configuration_step_id.name, stored(s))
                        for s in record.automation_step_ids
                    ),
                )
                for record in records
            )

        batched = shape(Record.search(mine))
        self.assertEqual(len(batched), 2)
        self.assertEqual([name for name, _s in batched[0][3]], ["Expiry", "Reminder"])
        self.assertIn(("state", "run"), batched[0][2])
        Record.search(mine).unlink()
        automation.run_automation()
        self.assertEqual(shape(Record.search(mine)), batched)
        # a batch of offers enters its own (once), the end the others
        Record.search(mine).unlink()
        first, second = sorted(shape[1] for shape in batched)
        # (Driss's offer went by post: not in the workflow)
        other = self.cases(campaign).filtered(lambda c: c.partner_id == self.driss)
        self.assertEqual(
            automation._confirma_run_automation([first, other.id]).mapped("res_id"),
            [first],
        )
        self.assertFalse(automation._confirma_run_automation([first]))
        self.assertEqual(
            automation._confirma_run_automation().mapped("res_id"), [second]
        )
        self.assertEqual(shape(Record.search(mine)), batched)

    def test_mailing_traces_as_odoo_creates_them(self):
        """Each campaign email's trace is inserted set-based: the same
        stored values as ``mailing.trace``'s ``create()`` gives them."""
        campaign = self.make_campaign()
        campaign.launch()
        mails = self.mails()
        self.assertTrue(mails)
        Trace = self.env["mailing.trace"].sudo()

        def stored(traces):
            traces.invalidate_model()
            return sorted(stored_values(trace) for trace in traces)

        batched = mails.mailing_trace_ids
        self.assertEqual(len(batched), len(mails))
        self.assertEqual(batched.campaign_id, campaign.utm_campaign_id)
        self.assertEqual(set(batched.mapped("mail_mail_id_int")), set(mails.ids))
        expected = stored(batched)
        batched.unlink()
        by_odoo = Trace.create(
            [
                {
                    "trace_type": "mail",
                    "mass_mailing_id": campaign.mailing_id.id,
                    "mail_mail_id": mail.id,
                    "message_id": mail.message_id,
                    "model": mail.model,
                    "res_id": mail.res_id,
                    "email": mail.recipient_ids[:1].email_normalized or mail.email_to,
                    "trace_status": "outgoing",
                }
                for mail in mails
            ]
        )
        self.assertEqual(stored(by_odoo), expected)

    def test_reminder_then_expiry(self):
        """The reminder is a step of the campaign's OCA Automation workflow."""
        campaign = self.make_campaign(reminder_days=10)
        campaign.launch()
        offers = self.cases(campaign)
        anna_case = offers.filtered(lambda c: c.partner_id == self.anna)
        bernat_case = offers.filtered(lambda c: c.partner_id == self.bernat)
        automation = campaign.automation_id
        self.assertEqual(automation.state, "ondemand")
        records = self.env["automation.record"].search(
            [("configuration_id", "=", automation.id)]
        )
        # the offers sent by email and SMS enter the workflow; letters do not
        self.assertEqual(
            set(records.mapped("res_id")), set((anna_case | bernat_case).ids)
        )
        Steps = self.env["automation.record.step"]
        bernat_case._page_answer("confirm")  # he answers before the reminder
        with freeze_time("2026-06-24"):  # 9 days: too early
            Steps._cron_automation_steps()
        self.assertFalse(anna_case.date_reminded)
        with freeze_time("2026-06-25"):
            Steps._cron_automation_steps()
        self.assertTrue(anna_case.date_reminded)
        self.assertFalse(bernat_case.date_reminded)
        self.assertEqual(len(self.mails("Reminder")), 1)
        reminders = records.automation_step_ids.filtered(
            lambda s: s.configuration_step_id.name == "Reminder"
        )
        self.assertEqual(set(reminders.mapped("state")), {"done", "rejected"})
        with freeze_time("2026-06-26"):  # once only
            Steps._cron_automation_steps()
        self.assertEqual(len(self.mails("Reminder")), 1)
        # launching again adds nothing to the workflow
        campaign.launch()
        self.assertEqual(
            self.env["automation.record"].search_count(
                [("configuration_id", "=", automation.id)]
            ),
            2,
        )
        # 30 days to confirm: the workflow's second step expires the offer,
        # with a notice
        driss_case = offers.filtered(lambda c: c.partner_id == self.driss)
        with freeze_time("2026-07-15"):
            Steps._cron_automation_steps()
        self.assertEqual(anna_case.state, "expired")
        self.assertEqual(len(self.mails("time to confirm has passed")), 1)
        self.assertEqual(bernat_case.state, "confirmed")
        # letters are not in the workflow: their deadline expires them
        self.assertEqual(driss_case.state, "notified")
        self.env["confirma.case"]._cron_expire(today=D(2026, 7, 16))
        self.assertEqual(driss_case.state, "expired")
        self.assertEqual(len(self.mails("time to confirm has passed")), 1)
        self.assertEqual(campaign.expired, 2)

    def test_scheduled_campaign_starts_on_its_day(self):
        campaign = self.make_campaign(date_start=D(2026, 6, 20))
        Campaign = self.env["confirma.campaign"]
        _due, jobs = run_jobs(lambda: Campaign._cron_run(today=D(2026, 6, 19)))
        self.assertFalse(jobs)
        self.assertEqual(campaign.state, "draft")
        with trap_jobs() as trap:
            Campaign._cron_run(today=D(2026, 6, 20))
            Campaign._cron_run(today=D(2026, 6, 20))  # before the job ran
            (job,) = trap.enqueued_jobs
            self.assertEqual(job.channel, "root.confirma.outreach")
            self.assertEqual(
                job.identity_key, f"confirma-campaign-{campaign.id}-launch"
            )
            ran = []
            while trap.enqueued_jobs:
                ran += trap.enqueued_jobs
                trap.perform_enqueued_jobs()
        # the launch, the sweep's job (opening the 3 cases), the sending
        # (one batch), then the end; each on its channel (today is the
        # 15th: the cron was asked as if on the 20th)
        prefix = f"confirma-campaign-{campaign.id}-"
        first_case = min(campaign.case_ids.ids)
        self.assertEqual(
            # the campaign's own jobs (an addon may add its own, as the
            # register's numbering of the offers sent)
            sorted(
                (job.identity_key.removeprefix(prefix), job.channel)
                for job in ran
                if job.identity_key.startswith(prefix)
            ),
            [
                ("end-2026-06-15", "root.confirma.outreach"),
                ("launch", "root.confirma.outreach"),
                ("send-2026-06-15", "root.confirma.outreach"),
                (f"send-2026-06-15-{first_case}-3", "root.confirma.outreach"),
                (f"sweep-2026-06-15-{self.anna.id}-3", "root.confirma.sweep"),
            ],
        )
        self.assertEqual(campaign.state, "running")
        self.assertEqual(campaign.targeted, 3)
        self.assertEqual(
            campaign._sent_counts(), {"email": 1, "sms": 1, "post": 1, "none": 0}
        )
        self.assertIn(
            "Sent: 1 by email, 1 by SMS, 1 by letter", campaign.message_ids[0].body
        )
        self.assertFalse(campaign._launch_job())  # run again: nothing twice

    # ---- answers and statistics ------------------------------------------------------
    def test_statistics_and_receipt_email(self):
        campaign = self.make_campaign()
        campaign.launch()
        offers = self.cases(campaign)
        anna_case = offers.filtered(lambda c: c.partner_id == self.anna)
        with freeze_time("2026-06-17 10:00:00"):
            anna_case._page_answer("confirm", ip="10.0.0.7")
        # the receipt email is rendered in the background, once
        self.assertTrue(anna_case.receipt_pending)
        self.assertFalse(self.mails("Receipt"))
        self.assertEqual(self.env["confirma.case"]._cron_page_answers(), (1, 1))
        self.assertEqual(self.env["confirma.case"]._cron_page_answers(), (0, 0))
        self.assertEqual(len(self.mails("Receipt")), 1)
        self.assertFalse(anna_case.receipt_pending)
        offers.filtered(lambda c: c.partner_id == self.bernat)._page_answer("decline")
        self.assertEqual(
            (campaign.confirmed, campaign.declined, campaign.expired), (1, 1, 0)
        )
        self.assertAlmostEqual(campaign.confirmation_rate, 33.3, places=1)
        self.assertGreater(campaign.median_hours_to_confirm, 0)

    def test_answers_in_a_burst_share_one_trigger(self):
        """Each answer on the page has the cron follow it up moments later,
        and a burst of answers shares one trigger: no row, no wake-up per
        answer."""
        campaign = self.make_campaign()
        campaign.launch()
        offers = self.cases(campaign)
        cron = self.env.ref("confirma_tramites.ir_cron_page_answers")
        Trigger = self.env["ir.cron.trigger"]
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        with freeze_time("2026-06-17 10:00:00"):
            offers[0]._page_answer("confirm", ip="10.0.0.7")
        with freeze_time("2026-06-17 10:00:05"):
            offers[1]._page_answer("decline", ip="10.0.0.8")
        triggers = Trigger.search([("cron_id", "=", cron.id)])
        self.assertEqual(len(triggers), 1)
        self.assertEqual(str(triggers.call_at), "2026-06-17 10:00:30")
        # too close to run after a new answer commits: a trigger of its own
        with freeze_time("2026-06-17 10:00:25"):
            offers[2]._page_answer("confirm")
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), 2)
        self.assertEqual(
            set(offers[:3].mapped("answer_log_pending")), {"confirmed", "declined"}
        )
        self.assertEqual(self.env["confirma.case"]._cron_page_answers()[0], 3)
        self.assertFalse(any(offers.mapped("answer_log_pending")))

    # ---- letters ---------------------------------------------------------------------
    def test_letters_in_one_printable_file(self):
        campaign = self.make_campaign()
        campaign.launch()
        letter = self.cases(campaign).filtered(lambda c: c.partner_id == self.driss)
        action = campaign.action_print_letters()
        self.assertIn(str(campaign.letter_attachment_id.id), action["url"])
        content = campaign.letter_attachment_id.raw.decode()
        self.assertIn(letter.code, content)
        self.assertIn("data:image/png;base64,", content)  # the QR code
        self.assertIn("Driss", content)
        self.assertNotIn("Anna", content)  # she got an email
        self.assertIn("Senior card: offer letter printed.", letter.message_ids[0].body)
        self.assertIn("offer letter printed", self.driss.message_ids[0].body)

    def _two_letters(self):
        """The offers of a launched campaign that go by post: Anna's (who
        asked for letters) and Driss's (no digital channel)."""
        self.anna.preferred_channel = "post"
        campaign = self.make_campaign()
        campaign.launch()
        letters = self.cases(campaign).filtered(lambda c: c.outreach_channel == "post")
        self.assertEqual(len(letters), 2)
        return letters

    def test_letters_printed_together_are_one_pdf(self):
        """A part of letters is the PDF wkhtmltopdf wrote, a page a letter:
        not split into a PDF per letter and joined again, as Odoo does for
        reports kept as attachments."""
        letters = self._two_letters()
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        streams = Report._render_qweb_pdf_prepare_streams(
            "confirma_tramites.action_report_case_letter", {}, res_ids=letters.ids
        )
        self.assertEqual(list(streams), [False])
        pdf = streams[False]["stream"].getvalue()
        self.assertEqual(len(PdfFileReader(io.BytesIO(pdf)).pages), 2)
        # one letter (a case's Print menu) is Odoo's own path
        streams = Report._render_qweb_pdf_prepare_streams(
            "confirma_tramites.action_report_case_letter", {}, res_ids=letters[:1].ids
        )
        self.assertEqual(list(streams), letters[:1].ids)

    def test_letters_carry_only_their_own_style_sheet(self):
        """The page wkhtmltopdf gets for the letters holds the letter's own
        style sheet, inline, and not the reports' Bootstrap (a third of
        wkhtmltopdf's time for a campaign); other reports keep Odoo's."""
        letters = self._two_letters()
        Report = self.env["ir.actions.report"].with_context(debug=False)

        def page(xmlid, cases):
            report = Report._get_report(xmlid)
            html = Report._render_qweb_html(xmlid, cases.ids, data={"debug": False})
            bodies, *_rest = report._prepare_html(html[0], report_model=report.model)
            return "".join(bodies)

        letter = page("confirma_tramites.action_report_case_letter", letters)
        self.assertIn("-webkit-box", letter)  # the letter's columns
        self.assertIn(".col-8", letter)
        self.assertNotIn("/web/assets/", letter)  # nothing fetched from the server
        self.assertNotIn(".row-cols-", letter)  # no Bootstrap
        self.assertIn(letters[0].sudo().code, letter)
        self.assertIn(letters[1].sudo().code, letter)
        receipt = page("confirma_tramites.action_report_case_receipt", letters[:1])
        self.assertIn(".row-cols-", receipt)

    def test_many_letters_rendered_by_jobs(self):
        """More letters than a job renders: parts rendered by jobs of the
        reports channel, one wkhtmltopdf run each, then gathered in a ZIP."""
        self.anna.preferred_channel = "post"
        campaign = self.make_campaign()
        campaign.launch()
        self.assertEqual(campaign.notified_post, 2)  # Anna and Driss
        self.env["ir.config_parameter"].set_param(
            "confirma_tramites.letters_per_job", "1"
        )
        with trap_jobs() as trap:
            action = campaign.action_print_letters()
            self.assertIn("2 letters are being rendered", action["params"]["message"])
            jobs = list(trap.enqueued_jobs)
            # (a graph: queue_job stores its jobs in no fixed order)
            self.assertEqual(
                sorted(job.method_name for job in jobs),
                ["_letters_end_job", "_letters_job", "_letters_job"],
            )
            self.assertEqual({job.channel for job in jobs}, {"root.confirma.reports"})
            for job in jobs:
                # real PDFs (tests otherwise get the HTML of a report)
                job.recordset = job.recordset.with_context(force_report_rendering=True)
            trap.perform_enqueued_jobs()
            part = next(job for job in jobs if job.method_name == "_letters_job")
            self.assertFalse(part.perform())  # a part rendered is kept
        # one PDF per part, in a ZIP
        archive = zipfile.ZipFile(io.BytesIO(campaign.letter_attachment_id.raw))
        parts = archive.namelist()
        self.assertEqual(len(parts), 2)
        self.assertTrue(campaign.letter_attachment_id.name.endswith(".zip"))
        for part in parts:
            pdf = archive.read(part)
            self.assertTrue(pdf.startswith(b"%PDF"))
            self.assertEqual(len(PdfFileReader(io.BytesIO(pdf)).pages), 1)
        self.assertIn("The letters are ready to print", campaign.message_ids[0].body)
        # the parts are gone once joined
        self.assertEqual(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "confirma.campaign"), ("res_id", "=", campaign.id)]
            ),
            1,
        )

    # ---- access ----------------------------------------------------------------------
    def test_users_read_officers_launch(self):
        campaign = self.make_campaign()
        as_user = campaign.with_user(self.user_tramites)
        self.assertEqual(as_user.name, "Senior card 2026")
        with self.assertRaises(AccessError):
            as_user.launch()
        with self.assertRaises(AccessError):
            self.make_campaign(user=self.user_tramites)
        campaign.with_user(self.officer_tramites).launch()
        self.assertEqual(campaign.targeted, 3)


@tagged("post_install", "-at_install")
@freeze_time(str(REFERENCE))
class TestCampaignLanguages(ConfirmaPopulationCommon):
    """Each offer in its resident's language: Anna writes in Catalan, Bernat
    in Spanish."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in ("es_ES", "ca_ES"):
            cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"].search(
            [("name", "in", ("confirma_tramites", "confirma_citizen"))]
        )._update_translations(["es_ES", "ca_ES"])
        cls.env.company.email = "ajuntament@example.org"
        cls.bernat.write({"email": "bernat@example.org", "preferred_channel": "email"})

    def test_offers_in_spanish_and_catalan(self):
        rule = self.make_rule({"kind": "age", "min_value": 60}, name="Seniors")
        procedure = self.make_procedure(rule, code="LANG", name="Senior card")
        campaign = self.env["confirma.campaign"].create(
            {"name": "Seniors", "procedure_id": procedure.id}
        )
        self.assertEqual(campaign.launch()["email"], 2)
        mails = self.env["mail.mail"].sudo().search([("model", "=", "confirma.case")])
        anna = mails.filtered(lambda m: m.recipient_ids == self.anna)
        bernat = mails.filtered(lambda m: m.recipient_ids == self.bernat)
        anna_case = campaign.case_ids.filtered(lambda c: c.partner_id == self.anna)
        self.assertIn("teniu dret a", anna.subject)
        self.assertIn("Per què hi teniu dret", anna.body_html)
        self.assertIn(anna_case.explanation, anna.body_html)
        self.assertIn("67 anys", anna_case.explanation)  # the reasons, in Catalan
        self.assertIn("tiene derecho a", bernat.subject)
        self.assertIn("Por qué tiene derecho", bernat.body_html)

    def test_offer_emails_rendered_as_odoo_renders_them(self):
        """A campaign's batch compiles the offer email once (context
        ``confirma_compile_once``): each body equals Odoo's own rendering,
        in each resident's language; a template that cannot be rendered
        fails the same way."""
        rule = self.make_rule({"kind": "age", "min_value": 18}, name="Adults")
        procedure = self.make_procedure(rule, code="ONCE", name="Senior card")
        campaign = self.env["confirma.campaign"].create(
            {"name": "Adults", "procedure_id": procedure.id}
        )
        campaign.launch()
        cases = campaign.case_ids
        self.assertGreaterEqual(len(cases), 3)
        template = self.env.ref("confirma_tramites.mail_template_case_proposal")
        for lang in ("es_ES", "ca_ES", "en_US"):
            odoo = template.with_context(lang=lang)._render_field(
                "body_html", cases.ids, compute_lang=False
            )
            once = template.with_context(
                lang=lang, confirma_compile_once=True
            )._render_field("body_html", cases.ids, compute_lang=False)
            self.assertEqual(once, odoo, lang)
            self.assertTrue(all(cases.mapped(lambda c, o=once: c.code in o[c.id])))
            # the inline fields too (each expression compiled once)
            for name in ("subject", "email_from", "partner_to", "reply_to"):
                if not template[name] or "{{" not in template[name]:
                    continue
                odoo = template.with_context(lang=lang)._render_field(
                    name, cases.ids, compute_lang=False
                )
                once = template.with_context(
                    lang=lang, confirma_compile_once=True
                )._render_field(name, cases.ids, compute_lang=False)
                self.assertEqual(once, odoo, (lang, name))
                self.assertTrue(all(once.values()), name)
                # rendered by the compiled expressions, not Odoo's fallback
                render = self.env["mail.render.mixin"].with_context(lang=lang)
                text = template.with_context(lang=lang)[name]
                self.assertEqual(
                    render._confirma_render_inline(text, "confirma.case", cases.ids),
                    render._render_template_inline_template(
                        text, "confirma.case", cases.ids
                    ),
                )
        inline = template.copy(
            {"subject": "{{ object.name }} / {{ object.partner_id.name }} {{ 1/0 }}"}
        )
        with self.assertRaisesRegex(UserError, "inline_template"):
            inline.with_context(confirma_compile_once=True)._render_field(
                "subject", cases.ids
            )
        # a default for what renders empty, and a value that is not text
        inline.subject = "{{ object.name }} {{ False ||| none }} {{ object.id }}"
        odoo = inline._render_field("subject", cases.ids)
        self.assertEqual(
            inline.with_context(confirma_compile_once=True)._render_field(
                "subject", cases.ids
            ),
            odoo,
        )
        self.assertTrue(all(" none " in subject for subject in odoo.values()))
        self.assertEqual(
            self.env["mail.render.mixin"]._confirma_render_inline(
                inline.subject, "confirma.case", cases.ids
            ),
            odoo,
        )
        # the sandbox refuses what it refuses at every call
        inline.subject = "{{ __import__('os').getcwd() }}"
        for context in ({}, {"confirma_compile_once": True}):
            with self.assertRaises(UserError):
                inline.with_context(**context)._render_field("subject", cases.ids)
        with self.assertRaisesRegex(NameError, "__import__"):
            self.env["mail.render.mixin"]._confirma_render_inline(
                inline.subject, "confirma.case", cases.ids
            )
        # a template that cannot be rendered fails as Odoo makes it fail
        broken = template.copy({"body_html": "<p t-out='object.no_such_field'/>"})
        for context in ({}, {"confirma_compile_once": True}):
            with self.assertRaisesRegex(UserError, "no_such_field"):
                broken.with_context(**context)._render_field("body_html", cases.ids)

    def test_offer_emails_queued_as_odoo_queues_them(self):
        """A campaign's emails are written set-based: each email and its
        message hold what Odoo's ``send_mail_batch`` writes (recipients,
        subject, sender, layout, mailing), except that the message keeps the
        body the template rendered rather than a copy of the layout; the
        traces carry the Message-ID bounces are matched by. A template with
        a report attached goes Odoo's way."""
        rule = self.make_rule({"kind": "age", "min_value": 18}, name="Adults")
        procedure = self.make_procedure(
            rule, code="SET", name='Senior & "youth" card <2026>'
        )
        procedure.sweep()
        cases = procedure.case_ids.sorted("id")
        self.assertGreaterEqual(len(cases), 3)
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "Adults",
                "mailing_model_id": self.env["ir.model"]._get_id("confirma.case"),
                "body_html": "<p>Adults</p>",
            }
        )
        template = (
            self.env.ref("confirma_tramites.mail_template_case_proposal")
            .sudo()
            .with_context(lang="ca_ES", confirma_compile_once=True)
        )
        layout = "mail.mail_notification_light"
        extra = {"mailing_id": mailing.id}
        odoo = template.send_mail_batch(
            cases.ids, email_layout_xmlid=layout, email_values=extra
        )
        ours = template._confirma_queue_batch(cases.ids, layout, email_values=extra)
        self.assertEqual(len(ours), len(cases))
        self.assertFalse(odoo & ours)
        self.assertEqual(ours.mapped("res_id"), cases.ids)
        message_fields = self.env["mail.message"]._fields
        same = [
            name
            for name, field in self.env["mail.mail"]._fields.items()
            if (field.store or (field.inherited and message_fields[name].store))
            and name not in ("id", "mail_message_id", "message_id", "body", "date")
            and not name.endswith(("_date", "_uid"))
            and field.type != "one2many"
        ]
        self.assertIn("recipient_ids", same)
        self.assertIn("partner_ids", same)
        # the message holds the rendered body as a message's create() stores
        # it (its field sanitizes it): read from the table, as written
        rendered = template._generate_template(cases.ids, ("body_html",))
        Message = self.env["mail.message"]

        def stored_body(message):
            self.env.cr.execute(
                "SELECT body FROM mail_message WHERE id = %s", [message.id]
            )
            return self.env.cr.fetchone()[0]

        for mine in ours:
            made = Message.create({"body": rendered[mine.res_id]["body_html"]})
            self.assertEqual(stored_body(mine.mail_message_id), stored_body(made))
        # what an email may carry but a message may not (the template's body
        # is kept as emails need it) is taken out of the message
        overlay = template.copy(
            {
                "body_html": '<p style="position: fixed; color: red" xyz="1">'
                'Hola <t t-out="object.name"/></p>'
            }
        )
        self.assertIn("position: fixed", overlay.body_html)
        mail = overlay.with_context(
            lang="ca_ES", confirma_compile_once=True
        )._confirma_queue_batch(cases[:1].ids, layout)
        self.assertIn("position: fixed", mail.body_html)  # the email, as Odoo's
        body = stored_body(mail.mail_message_id)
        self.assertNotIn("position", body)
        self.assertNotIn("xyz", body)
        self.assertIn("color:red", body)
        self.assertIn(cases[0].name, body)
        for mine, theirs in zip(ours, odoo, strict=True):
            for name in same:
                self.assertEqual(mine[name], theirs[name], name)
            self.assertEqual(mine.message_type, "email_outgoing")
            self.assertIn(cases.browse(mine.res_id).code, mine.body)
            self.assertNotIn("<html", mine.body)
            self.assertTrue(mine.body_html.lstrip().startswith("<html"))
            self.assertIn(cases.browse(mine.res_id).partner_id.first_name, mine.body)
            self.assertNotEqual(mine.message_id, theirs.message_id)
        self.assertEqual(ours.recipient_ids, cases.partner_id)
        # the light layout is rendered once and filled in for each email
        case = cases[0]
        skeleton = template._confirma_skeleton(case, "ca_ES", self.env.company)
        self.assertEqual(len(skeleton), 3)
        message = self.env["mail.message"].new(
            {"body": Markup("<p>Hola &amp; adéu</p>"), "record_name": case.display_name}
        )
        filled = mail_template._fill(skeleton, message, self.env["mail.render.mixin"])
        self.assertEqual(
            filled, template._confirma_layout(case, "ca_ES", self.env.company, message)
        )
        self.assertIn("Senior &amp; &#34;youth&#34; card &lt;2026&gt;", filled)
        # traced: the trace carries the email's Message-ID
        campaign = self.env["confirma.campaign"].create(
            {"name": "Adults", "procedure_id": procedure.id}
        )
        campaign.launch()
        traces = campaign.mailing_id.mailing_trace_ids
        self.assertTrue(traces)
        for trace in traces:
            self.assertEqual(trace.message_id, trace.mail_mail_id.message_id)
        # a report attached: Odoo's own path (the message holds the layout)
        report = self.env.ref("confirma_tramites.action_report_case_letter")
        attached = template.copy({"report_template_ids": [(6, 0, report.ids)]})
        mails = attached.with_context(
            lang="ca_ES", confirma_compile_once=True
        )._confirma_queue_batch(cases[:1].ids, layout)
        self.assertTrue(mails.attachment_ids)
        self.assertIn("<table", mails.body)
