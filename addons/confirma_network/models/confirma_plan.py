# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

#: the homogeneous steps of an action's progress, as residents read them
PROGRESS = [
    ("0", "Not started"),
    ("25", "25 %"),
    ("50", "50 %"),
    ("75", "75 %"),
    ("100", "Done"),
]


def mean_progress(actions):
    """The mean progress of ``actions`` (0-100), 0 when there are none."""
    values = [int(action.progress) for action in actions]
    return round(sum(values) / len(values), 1) if values else 0.0


class ConfirmaPlan(models.Model):
    """The municipal action plan (PAM) of a term of office: the mission and
    vision, strategic objectives, specific objectives and the actions that
    carry them out, with their progress, public when published."""

    _name = "confirma.plan"
    _description = "Municipal action plan"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        string="Municipality",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    date_start = fields.Date(string="From", required=True)
    date_end = fields.Date(string="To", required=True)
    mission = fields.Text(translate=True)
    vision = fields.Text(translate=True)
    published = fields.Boolean(
        string="On the public page",
        tracking=True,
        help="Residents follow the plan's progress at /confirma/plan.",
    )
    objective_ids = fields.One2many(
        "confirma.plan.objective",
        "plan_id",
        string="Strategic objectives",
        domain=[("parent_id", "=", False)],
    )
    action_ids = fields.One2many("confirma.plan.action", "plan_id", string="Actions")
    action_count = fields.Integer(compute="_compute_progress")
    progress = fields.Float(
        compute="_compute_progress", help="Mean progress of its actions (%)."
    )

    _sql_constraints = [
        (
            "dates_check",
            "CHECK(date_start <= date_end)",
            "A plan ends after it starts.",
        ),
    ]

    @api.depends("action_ids.progress")
    def _compute_progress(self):
        for plan in self:
            plan.action_count = len(plan.action_ids)
            plan.progress = mean_progress(plan.action_ids)


class ConfirmaPlanObjective(models.Model):
    """A strategic objective (no parent) or a specific objective of one:
    concrete, measurable milestones towards it."""

    _name = "confirma.plan.objective"
    _description = "Objective of the action plan"
    _order = "plan_id, sequence, id"
    _parent_store = True

    plan_id = fields.Many2one(
        "confirma.plan", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    parent_id = fields.Many2one(
        "confirma.plan.objective",
        string="Strategic objective",
        index=True,
        ondelete="cascade",
        domain="[('plan_id', '=', plan_id), ('parent_id', '=', False)]",
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many(
        "confirma.plan.objective", "parent_id", string="Specific objectives"
    )
    sequence = fields.Integer(default=10)
    code = fields.Char(help="e.g. 1, 1.2")
    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    kind = fields.Selection(
        [("strategic", "Strategic"), ("specific", "Specific")],
        compute="_compute_kind",
        store=True,
    )
    action_ids = fields.One2many("confirma.plan.action", "objective_id")
    progress = fields.Float(
        compute="_compute_progress",
        help="Mean progress of its actions, and of its specific objectives' (%).",
    )

    @api.depends("parent_id")
    def _compute_kind(self):
        for objective in self:
            objective.kind = "specific" if objective.parent_id else "strategic"

    @api.depends("action_ids.progress", "child_ids.action_ids.progress")
    def _compute_progress(self):
        for objective in self:
            objective.progress = mean_progress(
                objective.action_ids | objective.child_ids.action_ids
            )

    @api.depends("code", "name")
    def _compute_display_name(self):
        for objective in self:
            objective.display_name = " ".join(
                filter(None, [objective.code, objective.name])
            )


class ConfirmaPlanAction(models.Model):
    """What the town hall does for a specific objective: budget programme,
    responsible and involved units, dates, and progress in the homogeneous
    steps 0 / 25 / 50 / 75 / 100 %, each change kept."""

    _name = "confirma.plan.action"
    _description = "Action of the action plan"
    _inherit = ["mail.thread"]
    _order = "plan_id, objective_id, sequence, id"
    _check_company_auto = True

    objective_id = fields.Many2one(
        "confirma.plan.objective",
        string="Specific objective",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('kind', '=', 'specific')]",
    )
    plan_id = fields.Many2one(
        related="objective_id.plan_id", store=True, index=True, readonly=True
    )
    strategic_id = fields.Many2one(
        related="objective_id.parent_id",
        string="Strategic objective",
        store=True,
        index=True,
    )
    company_id = fields.Many2one(
        related="objective_id.company_id", store=True, index=True
    )
    sequence = fields.Integer(default=10)
    code = fields.Char()
    name = fields.Char(required=True, translate=True, tracking=True)
    description = fields.Text(translate=True)
    budget_programme = fields.Char(
        help="The budget programme it is paid from (e.g. 231 Social care)."
    )
    unit_id = fields.Many2one(
        "confirma.unit", string="Responsible unit", check_company=True, tracking=True
    )
    involved_unit_ids = fields.Many2many(
        "confirma.unit", string="Units involved", check_company=True
    )
    date_start = fields.Date(string="From")
    date_end = fields.Date(string="To")
    progress = fields.Selection(
        PROGRESS, required=True, default="0", tracking=True, group_expand=True
    )
    progress_value = fields.Integer(
        string="Progress (%)", compute="_compute_progress_value", store=True
    )
    theme_ids = fields.Many2many("confirma.plan.theme", string="Themes")
    district_codes = fields.Char(
        string="Districts",
        help="District codes it concerns, separated by commas (empty: the whole "
        "town).",
    )
    procedure_id = fields.Many2one(
        "confirma.procedure",
        check_company=True,
        help="A new procedure this action brings.",
    )
    improvement_action_id = fields.Many2one(
        "confirma.improvement.action",
        string="Improvement action",
        check_company=True,
        help="The improvement action (from surveys and participation) it carries "
        "out.",
    )
    update_ids = fields.One2many(
        "confirma.plan.action.update", "action_id", string="Progress history"
    )

    @api.depends("progress")
    def _compute_progress_value(self):
        for action in self:
            action.progress_value = int(action.progress or 0)

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        actions._record_progress()
        return actions

    def write(self, vals):
        result = super().write(vals)
        if "progress" in vals:
            self._record_progress()
        return result

    def _record_progress(self):
        """Keep each change of progress (who, when, to what)."""
        self.env["confirma.plan.action.update"].create(
            [{"action_id": action.id, "progress": action.progress} for action in self]
        )

    def _districts(self):
        self.ensure_one()
        return [
            code.strip()
            for code in (self.district_codes or "").split(",")
            if code.strip()
        ]


class ConfirmaPlanActionUpdate(models.Model):
    """One change of an action's progress: when, by whom, to what."""

    _name = "confirma.plan.action.update"
    _description = "Progress update of an action"
    _order = "date desc, id desc"

    action_id = fields.Many2one(
        "confirma.plan.action", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="action_id.company_id", store=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True
    )
    progress = fields.Selection(PROGRESS, required=True, readonly=True)
    note = fields.Char()
