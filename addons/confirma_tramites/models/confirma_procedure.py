# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .. import periods
from ..eligibility import (
    GUARDIAN_RELATIONS,
    adult_birthdate,
    adult_domain,
    answered_by_guardian_domain,
)

_logger = logging.getLogger(__name__)

SWEEP_BATCH = 1000
#: More residents changed in one transaction than this are evaluated by the
#: event sensors in jobs (a batch each), not before the transaction ends.
EVENT_BURST = 1000
EVENT_QUEUE_KEY = "confirma.event_queue"


class ConfirmaProcedure(models.Model):
    """A procedure (trámite) the town hall offers ex officio."""

    _name = "confirma.procedure"
    _description = "Procedure"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, name"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(
        required=True,
        tracking=True,
        help="Internal code, short and stable: it prefixes case numbers.",
    )
    sia_code = fields.Char(
        string="SIA code",
        tracking=True,
        help="Code of the procedure in the State's administrative information "
        "system (SIA); sent in every interoperability query.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    description = fields.Html(
        string="For residents",
        translate=True,
        help="What the procedure gives, in plain language, as residents read it.",
    )
    legal_basis = fields.Text(translate=True)
    unit_id = fields.Many2one(
        "confirma.unit", string="Responsible unit", check_company=True, tracking=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        domain=[("share", "=", False)],
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("review", "Under review"),
            ("approved", "Protocol approved"),
            ("active", "Active"),
            ("retired", "Retired"),
        ],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    approved_by_id = fields.Many2one(
        "res.users", string="Protocol approved by", readonly=True, copy=False
    )
    approved_date = fields.Datetime(
        string="Protocol approved on", readonly=True, copy=False
    )
    periodicity = fields.Selection(
        [
            ("once", "Once in a lifetime"),
            ("yearly", "Yearly"),
            ("half_yearly", "Half-yearly"),
            ("quarterly", "Quarterly"),
            ("monthly", "Monthly"),
        ],
        default="yearly",
        required=True,
        help="How often a resident can benefit: a yearly benefit opens a new case "
        "each year.",
    )
    applicant = fields.Selection(
        [
            ("beneficiary", "The beneficiary"),
            ("guardian", "The beneficiary, or a parent for a minor"),
        ],
        string="Who confirms",
        default="beneficiary",
        required=True,
        help="The rule finds the beneficiaries (the child of a birth grant, the "
        "pupil of a canteen aid). Each one gets one case, confirmed by the "
        "beneficiary, or for a minor by the adult holder (else the holder's "
        "partner) of the minor's household sheet in the padrón.",
    )
    date_start = fields.Date(string="Valid from")
    date_end = fields.Date(string="Valid until")
    phase_ids = fields.One2many("confirma.procedure.phase", "procedure_id", copy=True)
    requirement_ids = fields.One2many(
        "confirma.procedure.requirement", "procedure_id", copy=True
    )
    technique_ids = fields.Many2many(
        "confirma.burden.technique", string="Burden-reduction techniques"
    )
    relation_ids = fields.One2many(
        "confirma.procedure.relation", "procedure_id", string="Related procedures"
    )
    rule_id = fields.Many2one(
        "confirma.rule",
        string="Eligibility rule",
        copy=False,
        ondelete="restrict",
        help="Who qualifies: the sensor that finds the residents.",
    )
    rule_summary = fields.Text(related="rule_id.summary", string="Conditions")
    trigger_event = fields.Boolean(
        string="Event-driven",
        help="Re-evaluate residents when their data change (new resident, "
        "household change, new fact) and open their case at once.",
    )
    trigger_daily = fields.Boolean(
        string="Daily",
        help="Every day, open the cases of residents whose dates crossed a "
        "threshold of the rule (turned 65 today, registered for N years).",
    )
    event_kind_ids = fields.Many2many(
        "confirma.padron.event.kind",
        string="Padrón events",
        help="React to these changes of the padrón (INE variation file): the "
        "residents concerned and their households are evaluated as soon as the "
        "change is applied (a birth: birth grant; an arrival: welcome pack).",
    )
    last_daily_date = fields.Date(
        readonly=True, copy=False, help="The last day the daily sweep covered."
    )
    needs_data_query = fields.Boolean(
        compute="_compute_needs_data_query",
        store=True,
        help="Some requirement is checked with another administration's data: "
        "residents who object to data consultation are left out of sweeps.",
    )
    incoming_relation_ids = fields.One2many(
        "confirma.procedure.relation", "related_id", string="Referred by"
    )
    process_map = fields.Html(
        compute="_compute_process_map",
        sanitize=False,
        help="The procedures before and after this one, and the similar ones.",
    )
    case_ids = fields.One2many("confirma.case", "procedure_id")
    case_count = fields.Integer(compute="_compute_case_count")
    document_before_count = fields.Integer(
        string="Documents before", compute="_compute_document_counts", store=True
    )
    document_now_count = fields.Integer(
        string="Documents now", compute="_compute_document_counts", store=True
    )
    active = fields.Boolean(default=True)
    color = fields.Integer()

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(company_id, code)",
            "The code of a procedure is unique within a municipality.",
        ),
        (
            "dates_check",
            "CHECK(date_end IS NULL OR date_start IS NULL OR date_end >= date_start)",
            "A procedure cannot end before it starts.",
        ),
    ]

    # ---- computes ---------------------------------------------------------------
    @api.depends("requirement_ids.method")
    def _compute_needs_data_query(self):
        for procedure in self:
            procedure.needs_data_query = any(
                r.method == "interop" for r in procedure.requirement_ids
            )

    @api.depends("requirement_ids.document_before", "requirement_ids.document_now")
    def _compute_document_counts(self):
        for procedure in self:
            procedure.document_before_count = len(
                procedure.requirement_ids.filtered("document_before")
            )
            procedure.document_now_count = len(
                procedure.requirement_ids.filtered("document_now")
            )

    @api.depends(
        "name",
        "relation_ids.relation_type",
        "relation_ids.related_id",
        "incoming_relation_ids.relation_type",
        "incoming_relation_ids.procedure_id",
    )
    def _compute_process_map(self):
        """Three columns: what comes before, this procedure, what follows;
        similar procedures underneath."""
        for procedure in self:
            before, after, similar = (self.env["confirma.procedure"],) * 3
            for relation in procedure.relation_ids:
                if relation.relation_type == "similar":
                    similar |= relation.related_id
                else:  # this one follows / depends on the related one
                    before |= relation.related_id
            for relation in procedure.incoming_relation_ids:
                if relation.relation_type == "similar":
                    similar |= relation.procedure_id
                else:
                    after |= relation.procedure_id
            if not (before or after or similar):
                procedure.process_map = False
                continue
            procedure.process_map = self.env["ir.qweb"]._render(
                "confirma_tramites.procedure_process_map",
                {
                    "procedure": procedure,
                    "before": before,
                    "after": after,
                    "similar": similar,
                },
            )

    def _compute_case_count(self):
        counts = dict(
            self.env["confirma.case"]._read_group(
                [("procedure_id", "in", self.ids)], ["procedure_id"], ["__count"]
            )
        )
        for procedure in self:
            procedure.case_count = counts.get(procedure, 0)

    @api.depends("code", "name")
    def _compute_display_name(self):
        for procedure in self:
            procedure.display_name = (
                f"[{procedure.code}] {procedure.name}"
                if procedure.code
                else procedure.name
            )

    # ---- workflow ---------------------------------------------------------------
    def _check_state(self, allowed, action):
        wrong = self.filtered(lambda p: p.state not in allowed)
        if wrong:
            raise UserError(
                self.env._(
                    "%(action)s is not possible for %(names)s in its current state.",
                    action=action,
                    names=", ".join(wrong.mapped("display_name")),
                )
            )

    def action_submit(self):
        self._check_state(("draft",), self.env._("Sending to review"))
        self.write({"state": "review"})

    def action_approve_protocol(self):
        """The secretary approves the internal protocol: who and when."""
        self._check_state(("review",), self.env._("Approving the protocol"))
        self.write(
            {
                "state": "approved",
                "approved_by_id": self.env.user.id,
                "approved_date": fields.Datetime.now(),
            }
        )

    def action_activate(self):
        self._check_state(("approved", "retired"), self.env._("Activating"))
        missing = self.filtered(lambda p: not p.rule_id)
        if missing:
            raise UserError(
                self.env._(
                    "%(names)s has no eligibility rule: define who qualifies first.",
                    names=", ".join(missing.mapped("display_name")),
                )
            )
        self.write({"state": "active"})

    def action_retire(self):
        self._check_state(("active", "approved"), self.env._("Retiring"))
        self.write({"state": "retired"})

    def action_back_to_draft(self):
        self._check_state(("review", "approved", "retired"), self.env._("Reopening"))
        self.write({"state": "draft", "approved_by_id": False, "approved_date": False})

    # ---- periods ----------------------------------------------------------------
    def _period(self, date):
        """The benefit period containing ``date``: (key, start, end)."""
        self.ensure_one()
        return periods.bounds(self.periodicity, date)

    # ---- eligibility ------------------------------------------------------------
    def _base_domain(self):
        """Residents any procedure can target: active in this municipality."""
        self.ensure_one()
        domain = [
            ("is_resident", "=", True),
            ("padron_state", "=", "active"),
            ("company_id", "=", self.company_id.id),
        ]
        if self.needs_data_query:
            domain.append(("data_opposition", "=", False))
        return domain

    def _eligible_domain(self, reference=None):
        """ONE domain for the residents who qualify at ``reference``."""
        self.ensure_one()
        if not self.rule_id:
            raise UserError(
                self.env._("%(name)s has no eligibility rule.", name=self.display_name)
            )
        reference = reference or fields.Date.context_today(self)
        domain = self._base_domain() + self.rule_id._domain(reference, procedure=self)
        if self.applicant == "guardian":
            domain += answered_by_guardian_domain(reference)
        return domain

    def _confirmers(self, beneficiaries, reference, prefer=None):
        """Who confirms each beneficiary's case: {beneficiary_id: partner_id}.

        The beneficiary, or for a minor of a ``guardian`` procedure, the
        adult holder of the minor's household sheet, else the holder's
        partner (one query); ``prefer`` (residents), the parent at the
        counter, when they are one of these. A minor without one is left out.
        """
        self.ensure_one()
        if self.applicant != "guardian" or not beneficiaries:
            return {partner_id: partner_id for partner_id in beneficiaries.ids}
        adults = set(beneficiaries.filtered_domain(adult_domain(reference)).ids)
        minors = [pid for pid in beneficiaries.ids if pid not in adults]
        confirmers = {pid: pid for pid in adults}
        if minors:
            self.env["res.partner"].flush_model(
                ["household_id", "household_relation", "padron_state", "birthdate"]
            )
            self.env.cr.execute(
                SQL(
                    """
                    SELECT DISTINCT ON (minor.id) minor.id, guardian.id
                      FROM res_partner minor
                      JOIN res_partner guardian
                        ON guardian.household_id = minor.household_id
                     WHERE minor.id = ANY(%(minors)s)
                       AND guardian.active
                       AND guardian.household_relation IN %(relations)s
                       AND guardian.padron_state = 'active'
                       AND guardian.birthdate <= %(adult)s
                     ORDER BY minor.id,
                              guardian.id != ALL(%(prefer)s),
                              guardian.household_relation != 'holder',
                              guardian.id
                    """,
                    minors=minors,
                    prefer=prefer.ids if prefer else [],
                    relations=GUARDIAN_RELATIONS,
                    adult=adult_birthdate(reference),
                )
            )
            confirmers.update(self.env.cr.fetchall())
        return confirmers

    def _explain(self, beneficiaries, reference, confirmers=None):
        """Why each beneficiary qualifies, in the words of the letter to
        whom confirms ({beneficiary_id: text}); ``confirmers`` as
        ``_confirmers`` returns them, when already known."""
        self.ensure_one()
        if confirmers is None:
            confirmers = self._confirmers(beneficiaries, reference)
        return self.rule_id.explain(
            beneficiaries, reference, self, addressees=confirmers
        )

    def _without_case_domain(self, reference):
        """Beneficiaries who have no case of this procedure in the period."""
        period = self._period(reference)[0]
        return [
            (
                "confirma_beneficiary_case_ids",
                "not any",
                [
                    ("procedure_id", "=", self.id),
                    ("period", "=", period),
                    ("state", "!=", "cancelled"),
                ],
            )
        ]

    @api.private
    def evaluate(self, reference=None):
        """Count the residents who qualify: (count, seconds)."""
        self.ensure_one()
        started = time.perf_counter()
        count = self.env["res.partner"].search_count(self._eligible_domain(reference))
        return count, time.perf_counter() - started

    # ---- sweeps -----------------------------------------------------------------
    @api.model
    def _open_domain(self, today=None):
        """Procedures that can open cases on ``today``."""
        today = today or fields.Date.context_today(self)
        return [
            ("state", "=", "active"),
            ("rule_id", "!=", False),
            "|",
            ("date_start", "=", False),
            ("date_start", "<=", today),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", today),
        ]

    def _check_can_open_cases(self):
        inactive = self.filtered(lambda p: p.state != "active")
        if inactive:
            raise UserError(
                self.env._(
                    "Only active procedures can open cases: %(names)s is not active.",
                    names=", ".join(inactive.mapped("display_name")),
                )
            )
        today = fields.Date.context_today(self)
        expired = self.filtered(
            lambda p: (p.date_start and p.date_start > today)
            or (p.date_end and p.date_end < today)
        )
        if expired:
            raise UserError(
                self.env._(
                    "%(names)s is outside its validity dates.",
                    names=", ".join(expired.mapped("display_name")),
                )
            )

    @api.private
    def sweep(self, origin="sweep", reference=None, extra_domain=None):
        """Open the missing cases of the residents who qualify, here, in
        this transaction (see ``_delay_sweep`` for a town's worth).

        Set-based: one query finds the residents without a case in the
        period, cases are created in batches. Safe to re-run: the database
        refuses a second open case per resident, procedure and period, and
        a batch that races with another trigger is retried without the
        residents that got their case meanwhile. Returns (created, skipped).
        """
        self.ensure_one()
        self._check_can_open_cases()
        self.env["confirma.case"].check_access("create")
        reference = reference or fields.Date.context_today(self)
        Partner = self.env["res.partner"]
        domain = self._eligible_domain(reference) + (extra_domain or [])
        eligible = Partner.search_count(domain)
        ids = Partner.search(
            domain + self._without_case_domain(reference), order="id"
        ).ids
        created = 0
        for start in range(0, len(ids), SWEEP_BATCH):
            batch = ids[start : start + SWEEP_BATCH]
            created += len(
                self.env["confirma.case"]._open_cases(
                    self, Partner.browse(batch), origin, reference
                )
            )
        return created, eligible - created

    @api.private
    def _delay_sweep(self, origin="sweep", reference=None, extra_domain=None):
        """Hand the sweep to jobs (channel root.confirma.sweep): the
        residents who qualify and have no case are found now, in one query,
        and each job opens the cases of ``SWEEP_BATCH`` of them, on whichever
        node runs it. Returns (residents found, the jobs' identity keys)."""
        found, sweeps = self._sweep_delayables(origin, reference, extra_domain)
        for delayable in sweeps:
            delayable.delay()
        return found, [delayable.identity_key for delayable in sweeps]

    def _sweep_delayables(self, origin, reference=None, extra_domain=None, key=None):
        """The sweep's jobs, not yet handed out (queue_job delayables, to
        chain with what follows them): (residents found, delayables).
        ``key`` starts their identity keys (the procedure's by default)."""
        self.ensure_one()
        self._check_can_open_cases()
        self.env["confirma.case"].check_access("create")
        reference = reference or fields.Date.context_today(self)
        ids = (
            self.env["res.partner"]
            .search(
                self._eligible_domain(reference)
                + (extra_domain or [])
                + self._without_case_domain(reference),
                order="id",
            )
            .ids
        )
        key = key or f"confirma-sweep-{self.id}-{reference}"
        delayables = []
        for start in range(0, len(ids), SWEEP_BATCH):
            batch = ids[start : start + SWEEP_BATCH]
            delayables.append(
                self.delayable(
                    description=self.env._(
                        "Sweep of %(procedure)s: %(count)s residents",
                        procedure=self.display_name,
                        count=len(batch),
                    ),
                    identity_key=f"{key}-{batch[0]}-{len(batch)}",
                )._sweep_job(batch, origin, fields.Date.to_string(reference))
            )
        return len(ids), delayables

    def _sweep_job(self, partner_ids, origin, reference):
        """Job: open the cases of these residents that still qualify and
        still have none (run again, it opens nothing twice)."""
        self.ensure_one()
        if self.state != "active":
            return 0
        reference = fields.Date.to_date(reference)
        partners = self.env["res.partner"].search(
            [("id", "in", partner_ids)]
            + self._eligible_domain(reference)
            + self._without_case_domain(reference)
        )
        return len(
            self.env["confirma.case"]._open_cases(self, partners, origin, reference)
        )

    def action_sweep(self):
        """The manager's sweep: handed to jobs, the cases open in the
        background (a notification says how many residents are looked at)."""
        self.ensure_one()
        found, keys = self._delay_sweep()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s residents qualify and have no case yet: their "
                    "cases open in the background (%(jobs)s jobs).",
                    count=found,
                    jobs=len(keys),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def _queue_event(self, partners, households=None):
        """Remember residents (and the members of ``households``) whose data
        changed, and evaluate them all together just before the transaction
        commits. Cheap: ids only, households are resolved at commit."""
        if not partners and not households:
            return
        cr = self.env.cr
        queued = cr.precommit.data.get(EVENT_QUEUE_KEY)
        if queued is None:
            queued = cr.precommit.data[EVENT_QUEUE_KEY] = {
                "partners": set(),
                "households": set(),
            }
            cr.precommit.add(self._flush_event_queue)
        queued["partners"].update(partners.ids)
        if households:
            queued["households"].update(households.ids)

    @api.model
    def _flush_event_queue(self):
        queued = self.env.cr.precommit.data.pop(EVENT_QUEUE_KEY, None)
        if not queued or not self._event_sensors_on():
            # no procedure listens to events (a town that opens its cases
            # by sweeps and campaigns): nothing to evaluate, no job
            return
        ids = set(queued["partners"])
        if queued["households"]:
            ids.update(
                self.env["res.partner"]
                .sudo()
                .search([("household_id", "in", list(queued["households"]))])
                .ids
            )
        if len(ids) > EVENT_BURST:
            # a burst (a month of INE changes, a large import): jobs of the
            # sweep channel evaluate it, a batch each
            ids = sorted(ids)
            for start in range(0, len(ids), SWEEP_BATCH):
                batch = ids[start : start + SWEEP_BATCH]
                self.with_delay(
                    description=self.env._(
                        "Event sensors: %(count)s residents", count=len(batch)
                    ),
                )._trigger_residents_job(batch)
            self.env.flush_all()
        elif ids:
            self._trigger_residents(self.env["res.partner"].browse(sorted(ids)))
            self.env.flush_all()

    @api.model
    def _event_domain(self):
        """Open procedures triggered by events."""
        return [("trigger_event", "=", True)] + self._open_domain()

    @api.model
    def _event_sensors_on(self):
        """Whether an open procedure is triggered by events (any company)."""
        return bool(self.sudo().search_count(self._event_domain(), limit=1))

    @api.model
    def _trigger_residents_job(self, partner_ids):
        """Job: the event sensors on these residents (a burst's batch)."""
        return self._trigger_residents(self.env["res.partner"].browse(partner_ids))

    @api.model
    def _trigger_residents(self, partners, origin="event"):
        """Event trigger: evaluate only ``partners`` against event-driven
        procedures and open their cases."""
        procedures = self.sudo().search(self._event_domain())
        return procedures._sweep_residents(partners, origin)

    def _sweep_residents(self, partners, origin="event"):
        """Evaluate only ``partners`` against these procedures and open their
        cases; returns the number opened.

        It runs as a system task (superuser): the residents' data were
        changed by someone entitled to, and the case it opens is the town
        hall's own, ex officio."""
        partners = partners.sudo().exists().filtered("is_resident")
        created = 0
        for procedure in self.sudo():
            company_partners = partners.filtered(
                lambda p, c=procedure.company_id: p.company_id == c
            )
            if not company_partners:
                continue
            # A procedure whose rule cannot be evaluated must not block the
            # change that triggered it (a padrón import, a new fact): it is
            # logged on the procedure for its managers, the others go on.
            try:
                with self.env.cr.savepoint():
                    created += procedure.sweep(
                        origin=origin,
                        extra_domain=[("id", "in", company_partners.ids)],
                    )[0]
            except Exception as error:  # noqa: BLE001 - reported, see above
                _logger.exception("Event sensor of %s failed", procedure.code)
                procedure.message_post(
                    body=self.env._(
                        "The event sensor could not evaluate %(count)s resident(s): "
                        "%(error)s",
                        count=len(company_partners),
                        error=str(error),
                    )
                )
        return created

    @api.model
    def _cron_daily_sweep(self, today=None):
        """Daily trigger: residents whose dates crossed a rule threshold, one
        job per procedure (channel root.confirma.sweep), handed out once a
        day however often the schedule asks. Returns the procedures."""
        today = today or fields.Date.context_today(self)
        procedures = self.search(
            [("trigger_daily", "=", True)] + self._open_domain(today)
        )
        for procedure in procedures:
            procedure.with_delay(
                description=self.env._(
                    "Daily sweep of %(procedure)s", procedure=procedure.display_name
                ),
                identity_key=f"confirma-daily-sweep-{procedure.id}-{today}",
            )._daily_sweep_job(fields.Date.to_string(today))
        return procedures

    def _daily_sweep_job(self, today):
        """Job: open the cases of the residents who crossed this procedure's
        thresholds since its last daily run (days missed included), up to
        ``today``. Run again the same day, it does nothing."""
        self.ensure_one()
        today = fields.Date.to_date(today)
        since = self.last_daily_date or today - relativedelta(days=1)
        if since >= today:
            return 0
        created = 0
        crossing = self.rule_id._crossing_domain(since, today)
        if crossing and self.state == "active":
            # a town's worth of birthdays: the cases open in jobs, a batch each
            created = self._delay_sweep(
                origin="daily", reference=today, extra_domain=crossing
            )[0]
        self.last_daily_date = today
        return created

    # ---- suggestions -------------------------------------------------------------
    def _offerable_to(self, partner):
        """Those of these procedures the resident qualifies for today and has
        no case of this period (one query per procedure)."""
        today = fields.Date.context_today(self)
        Partner = self.env["res.partner"]
        return self.filtered(
            lambda p: Partner.search_count(
                [("id", "=", partner.id)]
                + p._eligible_domain(today)
                + p._without_case_domain(today),
                limit=1,
            )
        )

    def _related_for(self, partner):
        """Active related procedures the resident also qualifies for."""
        related = self.relation_ids.related_id.filtered(
            lambda p: p.state == "active" and p.rule_id
        )
        return related._offerable_to(partner)

    # ---- counter ----------------------------------------------------------------
    @api.private
    def counter_open_case(self, partner, confirmer=None):
        """Open this procedure's case for ``partner`` (an offer: the
        counter's answer dialog records the answer). ``confirmer``: who is
        at the counter, the beneficiary or, for a minor, their parent or
        guardian on the household sheet."""
        self.ensure_one()
        self._check_can_open_cases()
        partner.ensure_one()
        confirmer = confirmer or partner
        if self not in partner._confirma_suggestions():
            raise UserError(
                self.env._(
                    "%(name)s does not qualify for %(procedure)s now, or already "
                    "has a case this period.",
                    name=partner.display_name,
                    procedure=self.display_name,
                )
            )
        today = fields.Date.context_today(self)
        if self._confirmers(partner, today, prefer=confirmer).get(partner.id) != (
            confirmer.id
        ):
            raise UserError(
                self.env._(
                    "%(confirmer)s cannot confirm %(procedure)s for %(name)s: only "
                    "a parent or guardian on the household sheet can.",
                    confirmer=confirmer.display_name,
                    name=partner.display_name,
                    procedure=self.display_name,
                )
            )
        return self.env["confirma.case"]._open_cases(
            self, partner, "counter", today, prefer=confirmer
        )

    # ---- demo -------------------------------------------------------------------
    @api.model
    def _load_demo_activation(self, ids, sweep=True):
        """Demo data: take the procedures through their workflow, sweep them
        and move some cases forward, so every view has something to show."""
        # the town's language: the notes the workflow writes are read there
        procedures = self.browse(ids).with_context(
            lang=self.env.company._confirma_lang()
        )
        procedures.action_submit()
        # approved by the town's administrator (a person), not OdooBot
        admin = self.env.ref("base.user_admin", raise_if_not_found=False)
        procedures.with_user(admin or self.env.user).action_approve_protocol()
        procedures.action_activate()
        if not sweep:
            return True
        # Odoo loads a module's translations after its demo data: the demo
        # records get theirs now, so that the letters written by the sweep
        # name the procedures in the residents' languages
        self.env["ir.module.module"].search(
            [("name", "=", "confirma_tramites")]
        )._update_translations()
        Case = procedures.env["confirma.case"].with_context(tracking_disable=True)
        for procedure in procedures:
            procedure.sweep()
            cases = Case.search([("procedure_id", "=", procedure.id)], order="id")
            cases.filtered(lambda c: c.id % 2 == 0).action_notify()
            answered = cases.filtered(lambda c: c.id % 3 == 0)
            answered.filtered(lambda c: c.id % 7 != 0).action_confirm()
            answered.filtered(lambda c: c.id % 7 == 0).action_decline(
                reason="No lo necesito"
            )
            confirmed = answered.filtered(lambda c: c.state == "confirmed")
            confirmed.filtered(lambda c: c.id % 2 == 0).action_instruct()
            confirmed.filtered(lambda c: c.id % 4 == 0).action_grant()
        return True

    # ---- actions ----------------------------------------------------------------
    def action_view_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "confirma_tramites.confirma_case_action"
        )
        action["domain"] = [("procedure_id", "=", self.id)]
        action["context"] = {"default_procedure_id": self.id}
        return action

    def action_preview(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "confirma.rule.preview",
            "view_mode": "form",
            "target": "new",
            "context": {"default_procedure_id": self.id},
        }
