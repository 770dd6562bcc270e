# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from odoo.addons.confirma_citizen.models.res_partner import DepartureCollector

from .. import case_states as states
from ..eligibility import adult_birthdate, guardian_member_domain

#: Changes that make event-driven procedures evaluate a resident and their
#: household (old and new): arrivals, departures, moves between households.
EVENT_FIELDS = ("household_id", "padron_state", "is_resident")
#: A resident's register (padrón) data: shown read-only on /my/account, where
#: the resident asks the padrón officers for a correction instead (see
#: controllers/portal_account.py). Contact fields (email, phones) stay free.
REGISTER_FIELDS = (
    "name",
    "first_name",
    "surname1",
    "surname2",
    "document_type",
    "document_number",
    "vat",
    "company_name",
    "nia",
    "birthdate",
    "sex",
    "nationality_id",
    "street",
    "street2",
    "zip",
    "city",
    "state_id",
    "country_id",
    "household_id",
    "household_relation",
    "district_code",
    "section_code",
    "is_resident",
    "padron_state",
    "padron_registration_date",
)
#: A correction request is a short text, not a document.
CORRECTION_MAX_LENGTH = 2000


class ResPartner(models.Model):
    _inherit = "res.partner"

    confirma_case_ids = fields.One2many(
        "confirma.case", "partner_id", string="Cases", groups="base.group_user"
    )
    confirma_beneficiary_case_ids = fields.One2many(
        "confirma.case",
        "beneficiary_id",
        string="Cases as beneficiary",
        groups="base.group_user",
    )
    confirma_case_count = fields.Integer(
        string="Case count",
        compute="_compute_confirma_case_count",
        groups="base.group_user",
    )
    confirma_offer_count = fields.Integer(
        string="Open offers",
        compute="_compute_confirma_case_count",
        groups="base.group_user",
    )

    confirma_suggestion_ids = fields.Many2many(
        "confirma.procedure",
        string="May also qualify for",
        compute="_compute_confirma_suggestion_ids",
        groups="confirma_tramites.group_user",
    )

    # Event sensor. Not an automation rule (base_automation runs its server
    # action once per record): a padrón import changes a thousand residents
    # per write, queued here at once and evaluated when the transaction
    # commits (see confirma.procedure._queue_event).
    def _confirma_residents_created(self):
        result = super()._confirma_residents_created()
        self._queue_resident_event()
        return result

    def write(self, vals):
        leaving = self.browse()
        if vals.get("padron_state") == "deregistered":
            leaving = self._still_registered()
        event = any(name in vals for name in EVENT_FIELDS)
        # who lived with them before the change is concerned too
        before = self.household_id if event else None
        result = super().write(vals)
        leaving._follow_departures()
        if event:
            self._queue_resident_event(before)
        return result

    def _still_registered(self):
        """These residents not deregistered yet (those a deregistration
        makes leave)."""
        return self.filtered(
            lambda p: p.is_resident and p.padron_state != "deregistered"
        )

    def _follow_departures(self):
        """What follows these residents' departure, now, or once for a whole
        ``_deregister_many`` (which gathers them until its last group is
        written)."""
        if not self:
            return
        collector = self.env.context.get("confirma_departures")
        if isinstance(collector, DepartureCollector):
            collector.ids.extend(self.ids)
        else:
            self._confirma_residents_left()

    @api.model
    def _bulk_write_covers(self):
        return super()._bulk_write_covers() | {
            "odoo.addons.confirma_tramites.models.res_partner"
        }

    def _bulk_write(self, groups):
        """``write()``'s event sensor and departures, for many residents at
        once (see ``_write_many``): the departures followed once, the
        residents changed (and the households they left) queued once."""
        leaving = (
            self.browse(
                i
                for ids, vals in groups
                if vals.get("padron_state") == "deregistered"
                for i in ids
            )
            .with_prefetch(self._prefetch_ids)
            ._still_registered()
        )
        changed = self.browse(
            dict.fromkeys(
                i
                for ids, vals in groups
                if any(name in vals for name in EVENT_FIELDS)
                for i in ids
            )
        ).with_prefetch(self._prefetch_ids)
        before = changed.household_id
        result = super()._bulk_write(groups)
        leaving._follow_departures()
        if changed:
            changed._queue_resident_event(before)
        return result

    def _confirma_residents_left(self):
        result = super()._confirma_residents_left()
        self.env["confirma.case"]._stop_for_departed(self)
        return result

    def _queue_resident_event(self, households=None):
        """Queue active residents and their households (and ``households``)
        for the event-driven procedures."""
        residents = self.filtered(
            lambda p: p.is_resident and p.padron_state == "active"
        )
        households = (households or self.env["confirma.household"]) | (
            residents.household_id
        )
        if residents or households:
            self.env["confirma.procedure"]._queue_event(residents, households)

    def _compute_confirma_suggestion_ids(self):
        for partner in self:
            partner.confirma_suggestion_ids = (
                partner._confirma_suggestions()
                if partner.is_resident and partner.id
                else False
            )

    def _compute_confirma_case_count(self):
        """Cases each resident confirms or benefits from (one query)."""
        total, offers = defaultdict(int), defaultdict(int)
        for confirmer, beneficiary, state, count in self.env[
            "confirma.case"
        ]._read_group(
            ["|", ("partner_id", "in", self.ids), ("beneficiary_id", "in", self.ids)],
            ["partner_id", "beneficiary_id", "state"],
            ["__count"],
        ):
            for partner in {confirmer, beneficiary} & set(self):
                total[partner] += count
                if state in states.OFFERED:
                    offers[partner] += count
        for partner in self:
            partner.confirma_case_count = total[partner]
            partner.confirma_offer_count = offers[partner]

    def _confirma_has_register_data(self):
        """Whether this contact's name and address come from the padrón."""
        self.ensure_one()
        return bool(self.is_resident or self.padron_state or self.nia)

    def _confirma_padron_officers(self):
        """The padrón officers of this resident's municipality."""
        self.ensure_one()
        group = self.env.ref("confirma_citizen.group_officer")
        domain = [("groups_id", "in", group.ids), ("share", "=", False)]
        if self.company_id:
            domain.append(("company_ids", "in", self.company_id.ids))
        return self.env["res.users"].search(domain)

    def _confirma_request_correction(self, text):
        """The resident asks the padrón officers to correct their register
        data: a note on the resident, addressed to the officers (their inbox).
        Nothing of the register is changed here; the officers check the
        request against the padrón."""
        self.ensure_one()
        text = (text or "").strip()
        if not text:
            raise UserError(self.env._("Tell us what is wrong in your register data."))
        if len(text) > CORRECTION_MAX_LENGTH:
            raise UserError(
                self.env._(
                    "Please describe the correction in at most %(count)s characters.",
                    count=CORRECTION_MAX_LENGTH,
                )
            )
        body = Markup("<p>%s</p>%s") % (
            self.env._("Correction of the padrón data requested by the resident:"),
            plaintext2html(text),
        )
        return self.message_post(
            body=body,
            author_id=self.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            partner_ids=self._confirma_padron_officers().partner_id.ids,
        )

    def _confirma_suggestions(self):
        """Active procedures this resident qualifies for and has no case of."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        Procedure = self.env["confirma.procedure"]
        procedures = Procedure.search(
            [("company_id", "=", self.company_id.id)] + Procedure._open_domain(today)
        )
        return procedures._offerable_to(self)

    def _confirma_counter_suggestions(self):
        """What this resident can open at the counter: [(procedure,
        beneficiary)], their own suggestions and, for a parent or guardian
        on a household sheet (``guardian_member_domain``), those of the
        sheet's minors that a parent confirms."""
        self.ensure_one()
        pairs = [(procedure, self) for procedure in self._confirma_suggestions()]
        today = fields.Date.context_today(self)
        if self.household_id and self.filtered_domain(guardian_member_domain(today)):
            minors = self.household_id.member_ids.filtered_domain(
                [
                    ("id", "!=", self.id),
                    ("padron_state", "=", "active"),
                    ("birthdate", ">", adult_birthdate(today)),
                ]
            )
            for minor in minors.sorted("birthdate"):
                pairs += [
                    (procedure, minor)
                    for procedure in minor._confirma_suggestions()
                    if procedure.applicant == "guardian"
                ]
        return pairs

    def action_view_confirma_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "confirma_tramites.confirma_case_action"
        )
        action["domain"] = [
            "|",
            ("partner_id", "=", self.id),
            ("beneficiary_id", "=", self.id),
        ]
        action["context"] = {"default_partner_id": self.id, "search_default_open": 1}
        return action

    def action_confirma_counter(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "confirma.counter",
            "view_mode": "form",
            "target": "current",
            "context": {"default_partner_id": self.id},
        }
