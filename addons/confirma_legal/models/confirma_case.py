# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.tools.misc import format_datetime

from odoo.addons.confirma_tramites import case_states as states

#: confirma.case.channel (and where an objection was said) -> register channel
CHANNELS = {
    "page": "page",
    "confirmation_page": "page",
    "portal": "portal",
    "counter": "counter",
    "letter": "letter",
    "post": "letter",
    "phone": "phone",
    "email": "email",
}
RECEIPT_TEMPLATE = "confirma_tramites.mail_template_case_receipt"
#: confirma.case.outreach_channel of a sent offer -> register channel
OUTREACH_CHANNELS = {"email": "email", "sms": "sms", "post": "post"}


class ConfirmaCase(models.Model):
    _inherit = "confirma.case"

    register_entry_ids = fields.One2many(
        "confirma.register.entry", "case_id", string="Register entries"
    )
    document_ids = fields.One2many("confirma.document", "case_id", string="Documents")
    resolution_ids = fields.One2many(
        "confirma.resolution", "case_id", string="Resolutions"
    )

    # ---- register entries of the resident's actions ----------------------------------
    def _move(self, state, allowed=None, **vals):
        answering = resolving = self.browse()
        if state in ("confirmed", "declined"):
            answering = self.filtered(lambda c: c.state in states.OFFERED)
        elif state in ("granted", "denied"):
            resolving = self.filtered(lambda c: c.state != state)
        result = super()._move(state, allowed=allowed, **vals)
        if answering:
            answering._register_entries(
                "confirm" if state == "confirmed" else "decline"
            )
        if resolving:
            self.env["confirma.resolution"]._open_for(resolving, state)
        return result

    def _record_objection(self, source="confirmation_page"):
        result = super()._record_objection(source=source)
        self._register_entries("objection", channel=CHANNELS.get(source, "page"))
        return result

    def _send_offers(self, campaign):
        """Each offer sent (email, SMS, letter) is an exit of the register."""
        sent = super()._send_offers(campaign)
        for channel, register_channel in OUTREACH_CHANNELS.items():
            cases = self.filtered(
                lambda c, channel=channel: c.state == "notified"
                and c.outreach_channel == channel
            )
            if cases:
                cases._register_entries(
                    "offer", channel=register_channel, direction="out"
                )
        return sent

    def _entry_summaries(self, lang):
        """{kind: summary template} in ``lang``, the municipality's (the
        register is the town hall's book, whoever answers)."""
        own = self.with_context(lang=lang).env
        return {
            "confirm": own._("Confirmation of %(procedure)s, case %(case)s"),
            "decline": own._("%(procedure)s declined, case %(case)s"),
            "objection": own._(
                "Objection to data consultation (art. 28.2 Ley 39/2015), "
                "%(procedure)s, case %(case)s"
            ),
            "offer": own._("Offer of %(procedure)s, case %(case)s"),
            "resolution": own._("Resolution of %(procedure)s, case %(case)s"),
        }

    def _register_entries(self, kind, channel=None, direction="in"):
        """One register entry per case for what the resident just did
        (``kind``: confirm, decline, objection), or for what the town hall
        sent (``direction`` out: offer), numbered now, in one batch."""
        towns = {}  # company: (its language, the summaries in it)
        vals_list = []
        for case in self.sudo():
            company = case.company_id
            if company not in towns:
                lang = company._confirma_lang()
                towns[company] = lang, self._entry_summaries(lang)
            lang, summaries = towns[company]
            partner = case.partner_id
            procedure = case.procedure_id
            vals_list.append(
                {
                    "direction": direction,
                    "company_id": company.id,
                    "kind": kind,
                    "channel": channel or CHANNELS.get(case.channel, "page"),
                    "summary": summaries[kind]
                    % {
                        "procedure": procedure.with_context(lang=lang).name,
                        "case": case.name,
                    },
                    "partner_id": partner.id,
                    "partner_document": partner.document_number or False,
                    "case_id": case.id,
                    "procedure_id": procedure.id,
                    "sia_code": procedure.sia_code or False,
                    "unit_code": procedure.unit_id.dir3_code or False,
                }
            )
        return self.env["confirma.register.entry"]._add_entries(vals_list)

    def _answer_entry(self):
        """The register entry of the resident's answer (the last one)."""
        self.ensure_one()
        return (
            self.env["confirma.register.entry"]
            .sudo()
            .search(
                [("case_id", "=", self.id), ("kind", "in", ("confirm", "decline"))],
                order="id desc",
                limit=1,
            )
        )

    # ---- resolutions on the resident's page ---------------------------------------
    def _page_resolution(self, resolution_id):
        """This case's issued resolution ``resolution_id``, or nothing."""
        self.ensure_one()
        return self.resolution_ids.filtered(
            lambda r: r.id == resolution_id and r.state == "issued"
        )

    def _page_notifications(self):
        """The notifications at the sede of this case's resolutions."""
        self.ensure_one()
        return self.sudo().resolution_ids.notification_ids.filtered(
            lambda n: n.channel == "sede"
        )

    # ---- certificates of the case's state -----------------------------------------
    def action_issue_certificate(self):
        """Officers: a certificate of this case's state now, sealed with its
        CSV (a new document each time: it certifies a moment)."""
        self.ensure_one()
        if not self.env.user.has_group("confirma_tramites.group_officer"):
            raise AccessError(
                self.env._("Only Confirm@ officers issue certificates of a case.")
            )
        self.check_access("read")
        document = self.env["confirma.document"]._issue(
            "certificate",
            self.env._("Certificate of %(case)s", case=self.name),
            "confirma_legal.action_report_case_certificate",
            self.sudo(),
            case=self.sudo(),
            reference=self.name,
        )
        return document.action_download()

    def _town_now(self):
        """Now, in the municipality's time zone and the context's language."""
        self.ensure_one()
        return format_datetime(
            self.env,
            fields.Datetime.now(),
            tz=self.company_id.partner_id.tz or "Europe/Madrid",
            dt_format="short",
        )

    # ---- the receipt: a sealed document --------------------------------------------
    def _receipt_document(self):
        """The receipt of the resident's answer, issued once: sealed, with its
        register number and CSV (Ley 39/2015 art. 16.3). None for an answer
        given before answers were registered."""
        self.ensure_one()
        entry = self._answer_entry()
        if not entry:
            return None
        Document = self.env["confirma.document"].sudo()
        document = Document.search(
            [("register_entry_id", "=", entry.id), ("kind", "=", "receipt")], limit=1
        )
        if not document:
            document = Document._issue(
                "receipt",
                self.env._("Receipt %(entry)s", entry=entry.name),
                "confirma_tramites.action_report_case_receipt",
                self.sudo(),
                case=self.sudo(),
                entry=entry,
            )
        return document

    def _send_template(self, xmlid, mailing=None):
        """The receipt email carries the sealed receipt."""
        mails = super()._send_template(xmlid, mailing=mailing)
        if xmlid == RECEIPT_TEMPLATE:
            for mail in mails:
                document = self.browse(mail.res_id)._receipt_document()
                if document is not None:
                    mail.attachment_ids = [(4, document.attachment_id.id)]
        return mails
