# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError

from .. import case_states as states


class ConfirmaCounterAnswer(models.TransientModel):
    """At the counter, the resident answers an offer in person: the officer
    sees who they are and why they qualify, checks their identity document,
    records the answer (and an objection to data consultation, Ley 39/2015
    art. 28.2) and gives them the receipt."""

    _name = "confirma.counter.answer"
    _description = "Answer at the counter"

    case_id = fields.Many2one(
        "confirma.case", required=True, readonly=True, ondelete="cascade"
    )
    answer = fields.Selection(
        [("confirm", "Confirms"), ("decline", "Not interested")],
        required=True,
        default="confirm",
    )
    partner_id = fields.Many2one(related="case_id.partner_id", string="Resident")
    procedure_id = fields.Many2one(related="case_id.procedure_id")
    explanation = fields.Text(related="case_id.explanation", string="Why they qualify")
    document_type = fields.Selection(related="partner_id.document_type")
    document_number = fields.Char(related="partner_id.document_number")
    birthdate = fields.Date(related="partner_id.birthdate")
    age = fields.Integer(related="partner_id.age")
    address = fields.Char(compute="_compute_address")
    identity_checked = fields.Boolean(
        string="Identity document checked",
        help="I have seen the resident's identity document (DNI, NIE or "
        "passport), and it is the one on record.",
    )
    data_objection = fields.Boolean(
        string="Objects to data consultation",
        help="The resident does not want the town hall to consult other "
        "administrations' data (Ley 39/2015, art. 28.2): the documents are "
        "requested from them instead.",
    )
    decline_reason = fields.Text(string="Reason (optional)")
    receipt = fields.Selection(
        [
            ("print", "Print it"),
            ("email", "Email it"),
            ("none", "No receipt"),
        ],
        required=True,
        default="print",
    )

    @api.depends("partner_id")
    def _compute_address(self):
        for wizard in self:
            partner = wizard.partner_id
            wizard.address = ", ".join(
                part for part in (partner.street, partner.zip, partner.city) if part
            )

    @api.depends("case_id")
    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = self.env._(
                "Answer at the counter: %(case)s", case=wizard.case_id.name or ""
            )

    def action_apply(self):
        """Record the answer, note who checked the identity, send or print
        the receipt, and say so."""
        self.ensure_one()
        case = self.case_id
        target = "confirmed" if self.answer == "confirm" else "declined"
        if case.state not in states.TRANSITIONS[target]:
            raise UserError(
                self.env._(
                    "Case %(case)s does not wait for an answer any more.",
                    case=case.name,
                )
            )
        if not self.identity_checked:
            raise UserError(
                self.env._(
                    "Check the resident's identity document before answering "
                    "for them, and tick 'Identity document checked'."
                )
            )
        if self.answer == "confirm":
            case.action_confirm(channel="counter")
            if self.data_objection:
                case._record_objection(source="counter")
        else:
            case.action_decline(channel="counter", reason=self.decline_reason)
        document = dict(
            self.env["res.partner"]
            ._fields["document_type"]
            ._description_selection(self.env)
        ).get(self.document_type, "")
        case.message_post(
            body=Markup("<p>%s</p>")
            % escape(
                self.env._(
                    "Answered at the counter (%(answer)s). %(officer)s checked "
                    "the resident's identity document (%(document)s).",
                    answer=dict(
                        self._fields["answer"]._description_selection(self.env)
                    )[self.answer],
                    officer=self.env.user.name,
                    document=document or self.env._("identity document"),
                )
            ),
            subtype_xmlid="mail.mt_note",
        )
        done = (
            self.env._("%(name)s confirmed %(procedure)s.")
            if self.answer == "confirm"
            else self.env._("%(name)s declined %(procedure)s.")
        ) % {"name": self.partner_id.name, "procedure": self.procedure_id.name}
        follow = {"type": "ir.actions.act_window_close"}
        if self.answer == "confirm" and self.receipt == "email":
            if not self.partner_id.email:
                raise UserError(
                    self.env._(
                        "%(name)s has no email address on record: print the "
                        "receipt instead.",
                        name=self.partner_id.name,
                    )
                )
            case._send_template("confirma_tramites.mail_template_case_receipt")
            done += " " + self.env._("The receipt was emailed.")
        elif self.answer == "confirm" and self.receipt == "print":
            follow = case.action_print_receipt()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Answer recorded"),
                "message": done,
                "type": "success",
                "sticky": False,
                "next": follow,
            },
        }
