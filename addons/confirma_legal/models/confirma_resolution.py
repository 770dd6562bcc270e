# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .confirma_register_entry import book_number

#: Resolutions issued per job (each is rendered and sealed).
ISSUE_BATCH = 50
PREFIX = "RES"
#: The resolution book is the municipality's, whatever its register office.
BOOK = "RES"


class ConfirmaResolution(models.Model):
    """The resolution that grants or denies a case: numbered in the
    municipality's resolution book (*libro de resoluciones*), rendered from
    the procedure's texts (es/ca), sealed with a CSV and notified to the
    resident by appearance at the sede (art. 43 Ley 39/2015) or on paper.

    A procedure declared as an automated administrative action (art. 41 Ley
    40/2015) issues its resolutions by itself, sealed; any other waits for an
    officer's approval, recorded on the resolution."""

    _name = "confirma.resolution"
    _description = "Resolution"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Resolution number", readonly=True, copy=False)
    number = fields.Integer(readonly=True, copy=False, aggregator=False)
    year = fields.Integer(readonly=True, copy=False, aggregator=False)
    case_id = fields.Many2one(
        "confirma.case", required=True, readonly=True, index=True, check_company=True
    )
    partner_id = fields.Many2one(
        related="case_id.partner_id", string="Resident", store=True
    )
    procedure_id = fields.Many2one(related="case_id.procedure_id", store=True)
    company_id = fields.Many2one(
        related="case_id.company_id", string="Municipality", store=True, index=True
    )
    outcome = fields.Selection(
        [("granted", "Granted"), ("denied", "Denied")], required=True, readonly=True
    )
    state = fields.Selection(
        [("draft", "Awaiting approval"), ("issued", "Issued")],
        default="draft",
        required=True,
        readonly=True,
    )
    automated = fields.Boolean(
        string="Automated action",
        readonly=True,
        help="Issued without a person deciding (art. 41 Ley 40/2015), under "
        "the procedure's approval.",
    )
    automation_approval = fields.Char(
        string="Approved automation", readonly=True, help="As it was when issued."
    )
    approved_by_id = fields.Many2one("res.users", string="Approved by", readonly=True)
    date_approved = fields.Datetime(string="Approved on", readonly=True)
    date_issued = fields.Datetime(string="Issued on", readonly=True)
    document_id = fields.Many2one("confirma.document", readonly=True)
    register_entry_id = fields.Many2one(
        "confirma.register.entry", string="Exit entry", readonly=True
    )
    notification_ids = fields.One2many("confirma.notification", "resolution_id")

    _sql_constraints = [
        (
            "number_uniq",
            "unique(company_id, year, number)",
            "A resolution number is given once.",
        ),
    ]

    # ---- opened when a case is granted or denied -----------------------------------
    @api.model
    def _open_for(self, cases, outcome):
        """Draft resolutions of ``cases`` (just granted or denied); those of
        automated procedures are issued by jobs of the reports channel."""
        resolutions = self.sudo().create(
            [
                {
                    "case_id": case.id,
                    "outcome": outcome,
                    "automated": case.procedure_id.automated_resolution,
                    "automation_approval": case.procedure_id.automation_approval
                    if case.procedure_id.automated_resolution
                    else False,
                }
                for case in cases
            ]
        )
        resolutions.filtered("automated")._queue_issue()
        return resolutions

    def _queue_issue(self):
        ids = self.ids
        for start in range(0, len(ids), ISSUE_BATCH):
            batch = self.browse(ids[start : start + ISSUE_BATCH])
            batch.with_delay(
                description=self.env._("Issue %(count)s resolutions", count=len(batch)),
                identity_key=f"confirma.resolution.issue:{batch.ids}",
            )._issue_job()

    def _issue_job(self):
        """Job: issue these resolutions (those still waiting: a job run twice
        issues nothing twice)."""
        self.filtered(lambda r: r.state == "draft")._issue()

    # ---- approval --------------------------------------------------------------------
    def action_approve(self):
        """An officer approves (and so issues) resolutions awaiting it."""
        if not self.env.user.has_group("confirma_tramites.group_officer"):
            raise AccessError(self.env._("Only Confirm@ officers approve resolutions."))
        self.check_access("read")
        waiting = self.filtered(lambda r: r.state == "draft")
        if not waiting:
            raise UserError(self.env._("These resolutions were issued already."))
        waiting.sudo().write(
            {"approved_by_id": self.env.uid, "date_approved": fields.Datetime.now()}
        )
        waiting.sudo()._issue()
        return True

    # ---- issuing ---------------------------------------------------------------------
    def _issue(self):
        """Number, render, seal and register these resolutions, then notify
        them: by appearance at the sede, or on paper for residents who chose
        paper."""
        Entry = self.env["confirma.register.entry"]
        Document = self.env["confirma.document"]
        now = fields.Datetime.now()
        for company in self.company_id:
            resolutions = self.filtered(lambda r, c=company: r.company_id == c)
            year = Entry._book_year(company, now)
            numbers = Entry._allocate(
                company, BOOK, "resolution", year, len(resolutions)
            )
            for resolution, number in zip(resolutions, numbers, strict=True):
                resolution.sudo().write(
                    {
                        "number": number,
                        "year": year,
                        "name": book_number(PREFIX, year, number),
                        "state": "issued",
                        "date_issued": now,
                    }
                )
            # one exit per resolution (a case may have two in a batch)
            exits = (
                self.env["confirma.case"]
                .browse([resolution.case_id.id for resolution in resolutions])
                ._register_entries("resolution", channel="system", direction="out")
            )
            for resolution, entry in zip(resolutions, exits, strict=True):
                document = Document._issue(
                    "resolution",
                    self.env._("Resolution %(number)s", number=resolution.name),
                    "confirma_legal.action_report_resolution",
                    resolution.sudo(),
                    case=resolution.case_id.sudo(),
                    entry=entry,
                    company=company,
                    reference=resolution.name,
                )
                resolution.sudo().write(
                    {"document_id": document.id, "register_entry_id": entry.id}
                )
        self.env["confirma.notification"]._open_for(self)
        return True

    def _notify_opened(self, identification, ip=None):
        """The resident opened this resolution: the notifications at the sede
        still waiting are accessed now."""
        for notification in self.sudo().notification_ids.filtered(
            lambda n: n.channel == "sede" and n.state == "pending"
        ):
            notification._record_access(identification, ip=ip)

    def _pdf(self):
        self.ensure_one()
        return self.document_id._pdf()
