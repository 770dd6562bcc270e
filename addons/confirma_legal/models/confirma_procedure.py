# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

#: Ley 39/2015 art. 21.3: three months when the procedure's rule sets none.
DEFAULT_RESOLUTION_DAYS = 90


class ConfirmaProcedure(models.Model):
    _inherit = "confirma.procedure"

    max_resolution_days = fields.Integer(
        string="Maximum time to resolve (days)",
        help="The time the law or ordinance gives the town hall to resolve and "
        "notify, printed on every receipt (Ley 39/2015 arts. 16.3 and 21.4). "
        "Empty: the sum of the phases' times, else three months (art. 21.3).",
    )
    resolution_days = fields.Integer(
        string="Time to resolve (days)", compute="_compute_resolution_days"
    )

    resolution_grant_text = fields.Html(
        string="Resolution text (granted)",
        translate=True,
        help="What a resolution that grants says, after the facts of the case "
        "(es/ca). Empty: a standard text.",
    )
    resolution_deny_text = fields.Html(
        string="Resolution text (denied)",
        translate=True,
        help="What a resolution that denies says, after the facts of the case "
        "(es/ca). Empty: a standard text.",
    )
    # ---- automated administrative action (art. 41 Ley 40/2015) -------------------
    automated_opening = fields.Boolean(
        string="Opens cases by itself",
        compute="_compute_automated_opening",
        help="The procedure's sensors open cases without a person deciding "
        "(on padrón events, or daily).",
    )
    automated_resolution = fields.Boolean(
        string="Resolves by itself",
        help="Granting or denying issues the resolution without an officer's "
        "approval, sealed with the municipality's seal.",
    )
    automation_definition_body = fields.Char(
        string="Body responsible for the definition",
        help="Art. 41.2 Ley 40/2015: who defines the specifications.",
    )
    automation_audit_body = fields.Char(
        string="Body responsible for programming and auditing",
        help="Who programs, maintains, supervises and audits the rules and "
        "their source code.",
    )
    automation_appeals_body = fields.Char(
        string="Body that hears appeals",
    )
    automation_approval = fields.Char(
        string="Approving resolution",
        help="The resolution that approved this automated action, e.g. "
        "'Decreto 2026/123, de 2 de marzo'.",
    )
    automation_declared = fields.Boolean(
        string="Automation declared", compute="_compute_automation_declared"
    )

    @api.depends("trigger_event", "trigger_daily")
    def _compute_automated_opening(self):
        for procedure in self:
            procedure.automated_opening = (
                procedure.trigger_event or procedure.trigger_daily
            )

    @api.depends(
        "automation_definition_body",
        "automation_audit_body",
        "automation_appeals_body",
        "automation_approval",
    )
    def _compute_automation_declared(self):
        for procedure in self:
            procedure.automation_declared = all(
                (
                    procedure.automation_definition_body,
                    procedure.automation_audit_body,
                    procedure.automation_appeals_body,
                    procedure.automation_approval,
                )
            )

    @api.constrains(
        "automated_resolution",
        "automation_definition_body",
        "automation_audit_body",
        "automation_appeals_body",
        "automation_approval",
    )
    def _check_automation_declared(self):
        for procedure in self:
            if procedure.automated_resolution and not procedure.automation_declared:
                raise ValidationError(
                    self.env._(
                        "%(procedure)s resolves by itself: declare the automated "
                        "action first (art. 41 Ley 40/2015): the bodies responsible "
                        "for the definition, for programming and auditing, and for "
                        "appeals, and the approving resolution.",
                        procedure=procedure.name,
                    )
                )

    @api.depends("max_resolution_days", "phase_ids.duration_days")
    def _compute_resolution_days(self):
        for procedure in self:
            procedure.resolution_days = (
                procedure.max_resolution_days
                or sum(procedure.phase_ids.mapped("duration_days"))
                or DEFAULT_RESOLUTION_DAYS
            )
