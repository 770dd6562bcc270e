# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import secrets
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from psycopg2 import errors

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, consteq
from odoo.tools.image import image_data_uri

from odoo.addons.confirma_citizen.padron import bulk, identity
from odoo.addons.confirma_citizen.padron.writer import stored_defaults

from .. import case_states as states
from ..qr import qr_svg

# No 0/O, 1/I/L: codes are read aloud at the counter and typed from letters.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


#: a confirmation page unlocked (by an officer, or the resident's portal)
PAGE_UNLOCKED = {
    "page_attempts": 0,
    "page_lock_count": 0,
    "page_locked_until": False,
    "page_blocked": False,
}
#: what the confirmation page reads of a case and of the records around it
#: (see ``_page_prefetch``)
PAGE_FIELDS = {
    "confirma.case": [
        "name",
        "code",
        "state",
        "page_token",
        "partner_id",
        "procedure_id",
        "company_id",
        "explanation",
        "data_objection",
        "date_page_opened",
        "page_attempts",
        "page_lock_count",
        "page_locked_until",
        "page_blocked",
    ],
    "res.partner": [
        "first_name",
        "birthdate",
        "preferred_language",
        "lang",
        "email",
        "email_normalized",
    ],
    "confirma.procedure": ["name", "description", "needs_data_query", "unit_id"],
    "res.company": ["name", "partner_id"],
}
#: the notes and receipts of answers given on the confirmation page are made
#: by the next poll of the cron runner after an answer
RECEIPT_DELAY_SECONDS = 30


class ConfirmaCase(models.Model):
    """An ex-officio case (pre-tramitación): the offer to one resident."""

    _name = "confirma.case"
    _description = "Case"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
        "confirma.access.log.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "code", "partner_id", "beneficiary_id"]

    name = fields.Char(string="Case number", readonly=True, copy=False, index=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Resident",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("is_resident", "=", True)],
        check_company=True,
        tracking=True,
        help="Who is asked to confirm: the beneficiary, or a parent who "
        "answers for a minor. Letters, links and reminders go to them.",
    )
    beneficiary_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("is_resident", "=", True)],
        check_company=True,
        tracking=True,
        help="Whom the benefit is for (the child of a birth grant). One case "
        "per beneficiary, procedure and period.",
    )
    for_someone_else = fields.Boolean(
        compute="_compute_for_someone_else",
        help="The resident confirms for someone else (a parent for a child).",
    )
    procedure_id = fields.Many2one(
        "confirma.procedure",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    user_id = fields.Many2one(
        "res.users", string="Officer", tracking=True, domain=[("share", "=", False)]
    )
    period = fields.Char(
        required=True,
        index=True,
        help="The benefit period (e.g. 2026): one case per resident, procedure "
        "and period.",
    )
    origin = fields.Selection(
        [
            ("sweep", "Sweep"),
            ("campaign", "Campaign"),
            ("event", "Event"),
            ("daily", "Daily sensor"),
            ("counter", "Counter"),
            ("application", "Application"),
        ],
        required=True,
        default="sweep",
        readonly=True,
    )
    state = fields.Selection(
        [
            ("proposed", "Proposed"),
            ("notified", "Notified"),
            ("confirmed", "Confirmed"),
            ("declined", "Declined"),
            ("expired", "Expired"),
            ("verifying", "Verifying"),
            ("instruction", "In instruction"),
            ("granted", "Granted"),
            ("denied", "Denied"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        default="proposed",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand="_group_expand_states",
    )
    resolution = fields.Selection(
        [("granted", "Granted"), ("denied", "Denied")], readonly=True, copy=False
    )
    channel = fields.Selection(
        [
            ("page", "Confirmation page"),
            ("letter", "Letter"),
            ("counter", "Counter"),
            ("phone", "Phone"),
            ("email", "Email"),
        ],
        string="Answered through",
        readonly=True,
        copy=False,
        tracking=True,
    )
    explanation = fields.Text(
        readonly=True,
        help="Why the resident qualifies, as computed when the case was opened "
        "(quoted in letters).",
    )
    code = fields.Char(
        string="Confirmation code",
        readonly=True,
        copy=False,
        index=True,
        groups="confirma_tramites.group_user",
        help="Short code the resident can type or read out at the counter.",
    )
    decline_reason = fields.Text(readonly=True, copy=False)
    campaign_id = fields.Many2one(
        "confirma.campaign", index="btree_not_null", readonly=True, copy=False
    )
    outreach_channel = fields.Selection(
        [("email", "Email"), ("sms", "SMS"), ("post", "Letter")],
        string="Offer sent by",
        readonly=True,
        copy=False,
    )
    date_reminded = fields.Datetime(string="Reminded on", readonly=True, copy=False)
    date_page_opened = fields.Datetime(
        string="Link opened on",
        readonly=True,
        copy=False,
        help="The first time the resident opened the confirmation page with "
        "the offer's link (email, SMS or the letter's QR code).",
    )
    answer_ip = fields.Char(
        string="Answered from",
        readonly=True,
        copy=False,
        help="The network address the resident answered the confirmation page from.",
    )
    answer_log_pending = fields.Selection(
        [("confirmed", "Confirmation"), ("declined", "Refusal")],
        string="Answer to note",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="An answer given on the confirmation page, still to be noted on "
        "the chatters of the case and of the resident (within a minute).",
    )
    receipt_pending = fields.Boolean(
        string="Receipt to send",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The receipt email of an answer on the confirmation page is queued.",
    )
    resident_lang = fields.Char(
        string="Resident language",
        compute="_compute_resident_lang",
        help="The language to write to the resident in (messages, letters).",
    )
    confirmation_url = fields.Char(
        string="Confirmation link",
        compute="_compute_confirmation_url",
        groups="confirma_tramites.group_user",
        help="The resident's link to the confirmation page (letters, emails).",
    )
    data_objection = fields.Boolean(
        string="Objected to data consultation",
        readonly=True,
        copy=False,
        tracking=True,
        help="The resident objected on this case to the town hall consulting "
        "other administrations' data (Ley 39/2015, art. 28.2): the documents "
        "must be requested from them instead.",
    )
    page_token = fields.Char(
        string="Link token",
        readonly=True,
        copy=False,
        groups="confirma_tramites.group_user",
        help="The secret of the offer's link (emails, SMS, the letter's QR "
        "code). Only the confirmation page accepts it, and shows nothing "
        "until the resident gives their birth date.",
    )
    page_attempts = fields.Integer(
        string="Birth dates given",
        readonly=True,
        copy=False,
        groups="confirma_tramites.group_officer",
        help="Birth dates given on the confirmation page since the last lock "
        "or the last right one. Every answer is counted, right ones too, "
        "before it is compared.",
    )
    page_locked_until = fields.Datetime(
        string="Page locked until",
        readonly=True,
        copy=False,
        groups="confirma_tramites.group_officer",
        help="Too many wrong birth dates: the confirmation page refuses this "
        "case until then (the resident can still answer at the counter).",
    )
    page_lock_count = fields.Integer(
        string="Page locks",
        readonly=True,
        copy=False,
        groups="confirma_tramites.group_officer",
        help="Times the confirmation page locked in a row. Each lock lasts "
        "twice as long as the one before; the last one lasts until the page "
        "is unlocked.",
    )
    page_blocked = fields.Boolean(
        string="Page locked until unlocked",
        readonly=True,
        copy=False,
        groups="confirma_tramites.group_officer",
        help="The confirmation page locked too many times in a row: it stays "
        "locked until an officer unlocks it or the resident opens the offer "
        "from their portal account.",
    )
    page_locked = fields.Boolean(
        string="Page locked",
        compute="_compute_page_locked",
        groups="confirma_tramites.group_officer",
    )
    cancel_reason = fields.Text(
        string="Cancellation reason",
        readonly=True,
        copy=False,
        help="Why the town hall cancelled the case (e.g. the resident died or "
        "left the municipality).",
    )
    date_proposed = fields.Datetime(
        string="Proposed on", readonly=True, default=fields.Datetime.now
    )
    date_notified = fields.Datetime(string="Notified on", readonly=True, copy=False)
    date_answered = fields.Datetime(string="Answered on", readonly=True, copy=False)
    date_closed = fields.Datetime(string="Closed on", readonly=True, copy=False)
    date_state = fields.Date(
        string="In this state since", default=fields.Date.context_today, copy=False
    )
    phase_id = fields.Many2one(
        "confirma.procedure.phase",
        string="Current phase",
        compute="_compute_phase",
        store=True,
    )
    date_deadline = fields.Date(
        string="Deadline",
        compute="_compute_phase",
        store=True,
        index=True,
        help="The end of the current phase: its start plus its maximum duration.",
    )
    is_open = fields.Boolean(compute="_compute_is_open", search="_search_is_open")
    color = fields.Integer(compute="_compute_color")

    def init(self):
        res = super().init()
        # The invariant: at most one live case per beneficiary, procedure
        # and period (one birth grant per baby, whoever confirms it). Sweeps
        # and triggers rely on it to be re-runnable.
        self.env.cr.execute(
            """
            DROP INDEX IF EXISTS confirma_case_partner_procedure_period_uniq;
            CREATE UNIQUE INDEX IF NOT EXISTS
                confirma_case_beneficiary_procedure_period_uniq
            ON confirma_case (beneficiary_id, procedure_id, period)
            WHERE state != 'cancelled'
            """
        )
        return res

    # ---- computes --------------------------------------------------------------------
    @api.model
    def _group_expand_states(self, values, domain):
        """Every state as a kanban column, in the order of the flow."""
        return list(states.FLOW)

    @api.model
    def web_read_group(self, domain, fields, groupby, *args, **kwargs):
        """By state: the columns of the cases that went no further folded."""
        result = super().web_read_group(domain, fields, groupby, *args, **kwargs)
        if groupby and (groupby if isinstance(groupby, str) else groupby[0]) == "state":
            for group in result.get("groups", ()):
                group["__fold"] = group.get("state") in states.FOLDED
        return result

    # Not on the phases' durations: a deadline is set when the phase starts,
    # editing the procedure later does not move it.
    @api.depends("state", "date_state")
    def _compute_phase(self):
        phase_of = self._phases()
        for case in self:
            case.phase_id, case.date_deadline = phase_of(
                case.procedure_id, case.state, case.date_state
            )

    @api.model
    def _phases(self):
        """A function (procedure, state, date in that state) -> (phase,
        deadline): the phase of the procedure a case in that state is in,
        and when it ends (its start plus its maximum duration)."""
        confirmation_days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("confirma_tramites.confirmation_days", 30)
        )
        # a campaign's thousand cases share a few procedures and states
        phases = {}

        def phase_of(procedure, state, date_state):
            kind = states.PHASE.get(state)
            key = (procedure.id, kind)
            if key not in phases:
                phase = procedure.phase_ids.filtered(lambda p: p.kind == kind)[:1]
                days = phase.duration_days
                if not days and kind == "initiation":
                    days = confirmation_days
                phases[key] = (phase, timedelta(days=days) if days else None)
            phase, delay = phases[key]
            return phase, date_state + delay if delay and date_state else False

        return phase_of

    @api.depends("partner_id", "beneficiary_id")
    def _compute_for_someone_else(self):
        for case in self:
            case.for_someone_else = case.beneficiary_id != case.partner_id

    def _compute_is_open(self):
        for case in self:
            case.is_open = case.state in states.OPEN

    def _search_is_open(self, operator, value):
        positive = (operator == "=") == bool(value)
        return [("state", "in" if positive else "not in", states.OPEN)]

    def _compute_color(self):
        colors = {"confirmed": 10, "granted": 10, "declined": 1, "denied": 1}
        for case in self:
            case.color = colors.get(case.state, 0)

    def _compute_page_locked(self):
        for case in self:
            case.page_locked = case._page_is_locked()

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for case in self:
            case.access_url = f"/confirma/case/{case.id}"
        return res

    @api.depends("name", "procedure_id", "partner_id")
    def _compute_display_name(self):
        for case in self:
            case.display_name = (
                f"{case.name} – {case.procedure_id.name}" if case.name else ""
            )

    def _access_log_partner(self):
        return self.partner_id

    def _check_company(self, fnames=None):
        """Odoo's check, set-based for a batch: the values of each checked
        field, for all the cases of a company at once, must be allowed for
        that company (Odoo checks each case's values one by one: a tenth of
        a millisecond a value, a third of opening a thousand cases). If any
        is refused, Odoo's own check says which."""
        if len(self) < 2:
            return super()._check_company(fnames)
        if fnames is None or {"company_id", "company_ids"} & set(fnames):
            fnames = self._fields
        checked = []
        for name in fnames:
            field = self._fields[name]
            if field.relational and field.check_company:
                if field.company_dependent:
                    return super()._check_company(fnames)
                checked.append(name)
        if not checked:
            return None
        cases = self.sudo()
        for company in cases.company_id:
            of_company = cases.filtered(lambda c, k=company: c.company_id == k)
            for name in checked:
                values = of_company[name]
                if not values:
                    continue
                domain = values._check_company_domain(company)
                if domain and values != values.with_context(
                    active_test=False
                ).filtered_domain(domain):
                    return super()._check_company(fnames)
        return None

    # ---- creation --------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        return super().create(self._new_case_values(vals_list))

    @api.model
    def _create_many(self, vals_list):
        """``create()`` for a sweep's thousands of new cases, set-based: the
        values ``create()`` gives them (defaults, number, code, link token,
        the procedure's company, period and officer), written with one
        INSERT (``bulk.insert``, which keeps access rights, record rules,
        constraints and indexes); their stored computed fields are then
        computed by the ORM in one batch, as after ``create()``. Callers
        run without tracking (a sweep's cases are not logged one by one).
        When another module extends ``create()``, it goes through it."""
        if type(self).create is not ConfirmaCase.create:
            return self.create(vals_list)
        defaults = stored_defaults(self)
        vals_list = [
            dict(defaults, **vals) for vals in self._new_case_values(vals_list)
        ]
        # the phase and deadline, inserted with the rows (not updated after)
        phase_of = self._phases()
        Procedure = self.env["confirma.procedure"]
        for vals in vals_list:
            phase, vals["date_deadline"] = phase_of(
                Procedure.browse(vals["procedure_id"]),
                vals["state"],
                fields.Date.to_date(vals["date_state"]),
            )
            vals["phase_id"] = phase.id
        return bulk.insert(self, vals_list, given=("phase_id", "date_deadline"))

    @api.model
    def _new_case_values(self, vals_list):
        """``vals_list`` completed as new cases get them (see ``create``)."""
        procedures = self.env["confirma.procedure"].browse(
            {vals["procedure_id"] for vals in vals_list if vals.get("procedure_id")}
        )
        procedures._check_can_open_cases()
        # pending state changes (a cancelled case) must reach the database
        # before the unique index judges the new rows
        self.flush_model(["state"])
        by_id = {p.id: p for p in procedures}
        today = fields.Date.context_today(self)
        names = iter(self._next_names(sum(1 for v in vals_list if not v.get("name"))))
        for vals in vals_list:
            procedure = by_id.get(vals.get("procedure_id"))
            if procedure:
                vals.setdefault("company_id", procedure.company_id.id)
                vals.setdefault("period", procedure._period(today)[0])
                vals.setdefault("user_id", procedure.user_id.id)
            vals.setdefault("beneficiary_id", vals.get("partner_id"))
            if not vals.get("name"):
                vals["name"] = next(names)
            vals.setdefault("code", new_code())
            vals.setdefault("page_token", secrets.token_urlsafe(24))
        return vals_list

    @api.model
    def _next_names(self, count):
        """``count`` case numbers from the case sequence, in one query when
        the sequence is a standard (gapped) one, as it ships."""
        if not count:
            return []
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [
                    ("code", "=", "confirma.case"),
                    ("company_id", "in", [self.env.company.id, False]),
                ],
                order="company_id",
                limit=1,
            )
        )
        if not sequence:
            return ["/"] * count
        if sequence.implementation != "standard" or sequence.use_date_range:
            return [sequence._next() for _i in range(count)]
        self.env.cr.execute(
            SQL(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                f"ir_sequence_{sequence.id:03d}",
                count,
            )
        )
        # get_next_char's prefix and suffix, interpolated once for them all
        prefix, suffix = sequence._get_prefix_suffix()
        pattern = f"%0{sequence.padding}d"
        return [
            prefix + pattern % number + suffix for (number,) in self.env.cr.fetchall()
        ]

    @api.model
    def _open_cases(self, procedure, partners, origin, reference, prefer=None):
        """Open one case per beneficiary in ``partners`` (set-based,
        race-safe), confirmed by them or, for a minor, by a parent (see the
        procedure's ``applicant``; ``prefer``: the parent at the counter).

        If another transaction opened some of these cases meanwhile, the
        database refuses the batch; it is then retried without them.
        """
        period = procedure._period(reference)[0]
        confirmers = procedure._confirmers(partners, reference, prefer=prefer)
        partners = partners.filtered(lambda p: p.id in confirmers)
        explanations = procedure._explain(partners, reference, confirmers)
        Case = self.with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True
        )
        for _attempt in range(3):
            vals_list = [
                {
                    "partner_id": confirmers[partner_id],
                    "beneficiary_id": partner_id,
                    "procedure_id": procedure.id,
                    "period": period,
                    "origin": origin,
                    "explanation": explanations.get(partner_id, ""),
                    "date_state": reference,
                }
                for partner_id in partners.ids
            ]
            try:
                with self.env.cr.savepoint():
                    return Case._create_many(vals_list)
            except errors.UniqueViolation:
                self.env.invalidate_all()
                self.env.cr.execute(
                    SQL(
                        "SELECT beneficiary_id FROM confirma_case "
                        "WHERE procedure_id = %s AND period = %s "
                        "AND state != 'cancelled' AND beneficiary_id = ANY(%s)",
                        procedure.id,
                        period,
                        partners.ids,
                    )
                )
                taken = {row[0] for row in self.env.cr.fetchall()}
                partners = partners.filtered(lambda p, t=taken: p.id not in t)
                if not partners:
                    break
        return self.browse()

    # ---- workflow --------------------------------------------------------------------
    def _move(self, state, allowed=None, **vals):
        """Move to ``state`` from one of the ``allowed`` states (by default
        those of the workflow, ``case_states.TRANSITIONS``)."""
        allowed = allowed or states.TRANSITIONS[state]
        wrong = self.filtered(lambda c: c.state not in allowed)
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "Case %(case)s is %(state)s: it cannot become %(target)s.",
                    case=wrong[0].name,
                    state=labels[wrong[0].state],
                    target=labels[state],
                )
            )
        vals.update(state=state, date_state=fields.Date.context_today(self))
        self.write(vals)
        return True

    def action_notify(self):
        return self._move("notified", date_notified=fields.Datetime.now())

    def action_confirm(self, channel="page"):
        """The resident confirms (on the page, by letter, at the counter)."""
        return self._move(
            "confirmed", channel=channel, date_answered=fields.Datetime.now()
        )

    def action_decline(self, channel="page", reason=None):
        return self._move(
            "declined",
            channel=channel,
            decline_reason=reason or False,
            date_answered=fields.Datetime.now(),
        )

    def action_expire(self):
        return self._move("expired")

    def action_verify(self):
        return self._move("verifying")

    def action_instruct(self):
        return self._move("instruction")

    def action_grant(self):
        """Grant a case in instruction (its requirements checked)."""
        return self._move("granted", resolution="granted")

    def action_grant_override(self):
        """Managers: grant before the checks are done, with a reason."""
        return self._open_dialog(
            "confirma.case.grant.override", {}, self.env._("Grant without the checks")
        )

    def action_deny(self):
        return self._move("denied", resolution="denied")

    def action_close(self):
        return self._move("closed", date_closed=fields.Datetime.now())

    def action_cancel(self):
        return self._move("cancelled", date_closed=fields.Datetime.now())

    def action_counter_confirm(self):
        """At the counter: the answer dialog (identity, why they qualify,
        objection, receipt), set to confirm."""
        return self._counter_answer_dialog("confirm")

    def action_counter_decline(self):
        return self._counter_answer_dialog("decline")

    def _counter_answer_dialog(self, answer):
        self.check_access("write")
        return self._open_dialog("confirma.counter.answer", {"answer": answer})

    def _open_dialog(self, model, values, name=None):
        """A dialog (``model``, a wizard about this case) opened on a new
        record with ``values``; its title is ``name`` or the record's."""
        self.ensure_one()
        wizard = self.env[model].create(dict(values, case_id=self.id))
        return {
            "type": "ir.actions.act_window",
            "name": name or wizard.display_name,
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_print_receipt(self):
        return self.env.ref(
            "confirma_tramites.action_report_case_receipt"
        ).report_action(self)

    def _receipt_pdf(self):
        """(content, "pdf" or "html") of this case's receipt, for the
        resident's page (the caller checked that they may have it)."""
        self.ensure_one()
        return (
            self.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf("confirma_tramites.action_report_case_receipt", self.ids)
        )

    # ---- chatter -----------------------------------------------------------------
    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        """The chatter of a case (messages, activities, attachments,
        followers, posting) follows the record rules only. portal.mixin
        would also open it to whoever holds a token (``token``) or a
        notification's signature (``hash`` and ``pid``): a case's link must
        never skip the confirmation page's second factor."""
        kwargs = {
            key: value
            for key, value in kwargs.items()
            if key not in ("token", "hash", "pid")
        }
        return super()._get_thread_with_access(thread_id, mode, **kwargs)

    # ---- confirmation page (public, see controllers/main.py) -----------------------
    def _page_prefetch(self):
        """Load what the confirmation page reads of the records around its
        case (read with ``search_fetch`` and ``PAGE_FIELDS``), and only that,
        in one query per table: these are wide tables, and reading one field
        of a record would load every column of it (the resident's, the
        case's, the procedure's). A field left out still works: it loads the
        rest."""
        case = self.sudo()
        case.partner_id.fetch(PAGE_FIELDS["res.partner"])
        case.procedure_id.fetch(PAGE_FIELDS["confirma.procedure"])
        case.company_id.fetch(PAGE_FIELDS["res.company"])
        return self

    @api.model
    def _page_load(self, case_id):
        """The case ``case_id`` (sudo), or an empty recordset: one query finds
        it and reads what the page needs of it, then the records around it."""
        return (
            self.sudo()
            .search_fetch([("id", "=", case_id)], PAGE_FIELDS["confirma.case"], limit=1)
            ._page_prefetch()
        )

    @api.model
    def _page_find_verified(self, case_id):
        """The case of a page this session already verified (its token and
        the resident's second factor): system lookup, as for the token."""
        return self._page_load(case_id)

    @api.model
    def _page_find(self, case_id, token):
        """The case a confirmation link points to, or an empty recordset: the
        token is compared in constant time, as bytes, so that any token (even
        a malformed or non-ASCII one) gets the same answer for an existing
        case as for a missing one (system lookup: the caller is an anonymous
        resident holding the link)."""
        case = self._page_load(case_id)
        secret = case.page_token if case else None
        if not (secret and token and isinstance(token, str)):
            return self.browse()
        if not consteq(secret.encode(), token.encode("utf-8", "replace")):
            return self.browse()
        return case

    @api.model
    def _page_lookup(self, code, document):
        """The case of a short code typed with the resident's document."""
        code = (code or "").strip().upper()
        document = identity.normalize(document or "")
        if len(code) != CODE_LENGTH or not document:
            return self.browse()
        return self.sudo().search(
            [("code", "=", code), ("partner_id.document_number", "=", document)],
            limit=1,
        )

    def _page_limits(self):
        """(birth dates per round, minutes of the first lock, locks in a row
        before the page stays locked until unlocked)."""
        params = self.env["ir.config_parameter"].sudo()
        attempts = int(params.get_param("confirma_tramites.page_max_attempts", 5))
        minutes = int(params.get_param("confirma_tramites.page_lock_minutes", 30))
        rounds = int(params.get_param("confirma_tramites.page_max_locks", 3))
        return max(1, attempts), max(1, minutes), max(1, rounds)

    def _page_is_locked(self):
        self.ensure_one()
        case = self.sudo()
        locked = case.page_locked_until
        return case.page_blocked or bool(locked and locked > fields.Datetime.now())

    def _page_check_birthdate(self, birthdate):
        """The second factor: ``"ok"``, ``"wrong"`` (attempts left) or
        ``"locked"`` after too many answers.

        Every answer is counted first, right ones included, by one atomic
        ``UPDATE … RETURNING``: the row stays locked until the request ends,
        so parallel requests are counted one after the other (a concurrent
        one fails to serialize and is retried by Odoo on the new count), and
        only then is the answer compared. An answer past the limit is refused
        even when it is right."""
        self.ensure_one()
        case = self.sudo()
        now = fields.Datetime.now()
        page_fields = ["page_attempts", "page_lock_count", "page_locked_until"]
        case.flush_recordset(page_fields + ["page_blocked"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE confirma_case
                   SET page_attempts = COALESCE(page_attempts, 0) + 1
                 WHERE id = %(id)s
                   AND page_blocked IS NOT TRUE
                   AND (page_locked_until IS NULL OR page_locked_until <= %(now)s)
             RETURNING page_attempts, COALESCE(page_lock_count, 0)
                """,
                id=case.id,
                now=now,
            )
        )
        row = self.env.cr.fetchone()
        case.invalidate_recordset(page_fields)
        if not row:
            return "locked", 0
        attempts, locks = row
        max_attempts, _minutes, _rounds = case._page_limits()
        right = bool(birthdate) and birthdate == case.partner_id.birthdate
        if right and attempts <= max_attempts:
            # the page's own counters: nothing to track on the chatter
            case.with_context(tracking_disable=True).write(
                {"page_attempts": 0, "page_lock_count": 0}
            )
            return "ok", max_attempts
        if attempts >= max_attempts:
            case._page_lock(locks + 1, now)
            return "locked", 0
        return "wrong", max_attempts - attempts

    def _page_lock(self, locks, now):
        """Lock the page after a round of answers: each lock twice as long as
        the one before, the last one until the page is unlocked. The resident
        is told (their offer's channel), then the chatter."""
        self.ensure_one()
        max_attempts, minutes, max_locks = self._page_limits()
        vals = {"page_attempts": 0, "page_lock_count": locks}
        if locks >= max_locks:
            vals.update(page_blocked=True, page_locked_until=False)
            body = self.env._(
                "The confirmation page was locked until it is unlocked, after "
                "%(locks)s locks in a row.",
                locks=locks,
            )
        else:
            minutes *= 2 ** (locks - 1)
            vals["page_locked_until"] = now + relativedelta(minutes=minutes)
            body = self.env._(
                "The confirmation page was locked for %(minutes)s minutes "
                "after %(attempts)s wrong birth dates.",
                minutes=minutes,
                attempts=max_attempts,
            )
        self.write(vals)
        self._page_notify_lock()
        self.message_post(body=body)

    def _page_notify_lock(self):
        """Tell the resident their page locked: by SMS when their channel is
        SMS (and SMS is installed), else by email; nothing personal beyond
        what the offer itself said."""
        self.ensure_one()
        partner = self.partner_id
        channel = self.outreach_channel or partner.preferred_channel
        if channel == "sms" and "sms.sms" in self.env and partner.phone_sanitized:
            lang = partner._confirma_lang_code()
            text = self.with_context(lang=lang).env._(
                "%(town)s: the confirmation page of your offer %(procedure)s was "
                "locked after several wrong birth dates. If it was not you, "
                "contact the town hall."
            )
            self.env["sms.sms"].sudo().create(
                {
                    "number": partner.phone_sanitized,
                    "partner_id": partner.id,
                    "body": text
                    % {
                        "town": self.company_id.name,
                        "procedure": self.procedure_id.with_context(lang=lang).name,
                    },
                }
            )
        elif partner.email:
            self._send_template("confirma_tramites.mail_template_case_page_locked")

    def action_page_unlock(self):
        """An officer unlocks the confirmation page (the resident proved who
        they are at the counter or on the phone); logged in the chatter."""
        locked = self.filtered("page_locked")
        locked.write(dict(PAGE_UNLOCKED))
        for case in locked:
            case.message_post(
                body=self.env._(
                    "The confirmation page was unlocked by %(user)s.",
                    user=self.env.user.name,
                )
            )
        return True

    def _page_unlock_from_portal(self):
        """The resident opened the offer from their portal account (logged
        in, which proves who they are): their page is unlocked."""
        self.ensure_one()
        self.check_access("read")  # the caller's record rules: their own case
        case = self.sudo()
        locked = case._page_is_locked()
        if not (locked or case.page_attempts or case.page_lock_count):
            return False
        case.write(dict(PAGE_UNLOCKED))
        if not locked:
            return False
        case.message_post(
            body=self.env._(
                "The confirmation page was unlocked by the resident, who opened "
                "the offer from their portal account."
            )
        )
        return True

    def _page_answer(self, answer, ip=None, reason=None, objection=False):
        """The resident's answer on the page: ``confirm`` (optionally
        objecting to data consultation) or ``decline``. Only an open offer
        takes an answer: confirming twice has no second effect.

        The request records the answer itself on the case: state, time,
        channel and the address it came from. What follows it runs in a
        batch moments later, not while the resident waits: the notes on the
        case's and the resident's chatters (`_log_page_answers`) and the
        receipt email."""
        self.ensure_one()
        case = self.sudo()
        if case.state not in states.OFFERED:
            return False
        # the batch note says what the tracking would: no tracking message;
        # the day of the answer is the municipality's (else the user's)
        town = case.company_id.partner_id
        town.fetch(["tz"])
        answering = case.with_context(tracking_disable=True, tz=town.tz or None)
        if answer == "confirm":
            answering.action_confirm(channel="page")
            if objection:
                case._record_objection()
        else:
            answering.action_decline(channel="page", reason=reason)
        answering.write(
            {
                "answer_ip": ip or False,
                "answer_log_pending": "confirmed"
                if answer == "confirm"
                else "declined",
                "receipt_pending": answer == "confirm"
                and bool(case.partner_id.email)
                and not case.partner_id.email_opt_out,
            }
        )
        case._page_answers_trigger()
        return True

    def _page_answers_trigger(self):
        """Have the cron note the answers (and send the receipts) moments
        from now. A trigger due now would wake the cron runner through a new
        connection per answer (pg_notify): a trigger a moment ahead is picked
        up by its next poll (the resident already has the receipt page and
        its PDF). Answers in a burst share one trigger: one still far enough
        ahead to run after this transaction commits picks this answer up."""
        cron = self.env.ref("confirma_tramites.ir_cron_page_answers")
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM ir_cron_trigger WHERE cron_id = %s AND call_at > %s "
                "LIMIT 1",
                cron.id,
                now + relativedelta(seconds=RECEIPT_DELAY_SECONDS // 3),
            )
        )
        if not self.env.cr.fetchone():
            cron._trigger(now + relativedelta(seconds=RECEIPT_DELAY_SECONDS))

    def _log_page_answers(self):
        """Note the answers given on the confirmation page on the cases' and
        the residents' chatters: procedure, answer, time (UTC) and address.
        Notes, not messages: nobody is notified."""
        texts = {}
        for case in self.sudo():
            values = {
                "procedure": case.procedure_id.name,
                "when": fields.Datetime.to_string(case.date_answered),
                "ip": case.answer_ip or "-",
            }
            if case.answer_log_pending == "declined":
                text = self.env._(
                    "%(procedure)s: declined by the resident on the confirmation "
                    "page on %(when)s (UTC) from %(ip)s.",
                    **values,
                )
            else:
                text = self.env._(
                    "%(procedure)s: confirmed by the resident on the confirmation "
                    "page on %(when)s (UTC) from %(ip)s.",
                    **values,
                )
            texts[case.id] = text
        self._log_on_case_and_resident(texts)
        self.sudo().write({"answer_log_pending": False})

    def _log_on_case_and_resident(self, texts):
        """Note ``texts`` ({case id: text}) on these cases' chatters and on
        the files of the residents who confirm them (one note per resident,
        their cases' texts one under the other): one insert each."""
        residents = {}
        for case in self.sudo():
            residents.setdefault(case.partner_id.id, []).append(texts[case.id])
        self.sudo()._confirma_log_note_lines(
            {case_id: [text] for case_id, text in texts.items()}
        )
        self.env["res.partner"].sudo().browse(list(residents))._confirma_log_note_lines(
            residents
        )

    @api.model
    def _cron_page_answers(self, batch_size=500):
        """What follows the answers given on the confirmation page, in
        batches: the chatter notes, then the receipt emails. Returns how many
        answers were noted and how many receipts were sent."""
        noted = self.search([("answer_log_pending", "!=", False)], order="id")
        receipts = self.search([("receipt_pending", "=", True)], order="id")
        total = len(noted) + len(receipts)
        Cron = self.env["ir.cron"]
        for start in range(0, len(noted), batch_size):
            noted[start : start + batch_size]._log_page_answers()
            done = min(start + batch_size, len(noted))
            Cron._notify_progress(done=done, remaining=total - done)
        for start in range(0, len(receipts), batch_size):
            batch = receipts[start : start + batch_size]
            batch._send_template("confirma_tramites.mail_template_case_receipt")
            batch.write({"receipt_pending": False})
            done = len(noted) + min(start + batch_size, len(receipts))
            Cron._notify_progress(done=done, remaining=total - done)
        return len(noted), len(receipts)

    def _record_objection(self, source="confirmation_page"):
        """Ley 39/2015 art. 28.2: the resident objects to data consultation.
        The case asks for the documents instead; the resident is marked
        (``source``: where they said so, see ``data_opposition_source``)."""
        for case in self.sudo():
            case.data_objection = True
            partner = case.partner_id
            if not partner.data_opposition:
                partner.write(
                    {
                        "data_opposition": True,
                        "data_opposition_date": fields.Date.context_today(case),
                        "data_opposition_source": source,
                    }
                )
            case.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Request the documents"),
                note=self.env._(
                    "The resident objected to data consultation: ask them for "
                    "the documents of the requirements instead."
                ),
                user_id=(case.user_id or case.procedure_id.user_id).id or self.env.uid,
            )

    # ---- outreach (campaigns) --------------------------------------------------------
    @api.depends("partner_id.preferred_language", "partner_id.lang")
    def _compute_resident_lang(self):
        for case in self:
            case.resident_lang = case.partner_id._confirma_lang_code()

    def _compute_confirmation_url(self):
        for case in self:
            case.confirmation_url = case._page_link() if case.id else False

    def _page_link(self):
        """The link of the offer: letters print it as a QR code."""
        self.ensure_one()
        return f"{self.get_base_url()}{self.access_url}?token={self.page_token}"

    def _letter_qr(self):
        """The QR code of the link, as an SVG data URI (printed letters):
        drawn as vectors, sharp at any size, a few milliseconds each (a PNG
        drawn by reportlab took a tenth of a second per letter)."""
        self.ensure_one()
        return image_data_uri(base64.b64encode(qr_svg(self._page_link()).encode()))

    def _send_offers(self, campaign):
        """Send these offers by each resident's channel and move them to
        notified: emails and SMS are queued (Odoo's mail and SMS queues),
        letters wait in the campaign's printable PDF. Residents no channel
        reaches stay proposed. Returns {channel: count}."""
        Case = self.with_context(tracking_disable=True, mail_notrack=True)
        routed = campaign._route(self.partner_id)
        now = fields.Datetime.now()
        sent = {}
        for channel, partners in routed.items():
            ids = set(partners.ids)
            cases = Case.browse(self.ids).filtered(
                lambda c, ids=ids: c.partner_id.id in ids
            )
            sent[channel] = len(cases)
            if not cases:
                continue
            vals = {"campaign_id": campaign.id}
            if channel == "none":
                cases.write(vals)
                continue
            vals.update(outreach_channel=channel, date_notified=now)
            cases._move("notified", **vals)
            if channel == "email":
                cases._send_campaign_template(
                    "confirma_tramites.mail_template_case_proposal"
                )
            elif channel == "sms":
                cases._send_sms("offer")
        return sent

    def _send_template(self, xmlid, mailing=None):
        """Queue the email ``xmlid`` for these cases, each in its resident's
        language (one batch, sent by Odoo's mail queue). With a ``mailing``
        (a campaign's), each email gets its Email Marketing trace: sent,
        opened, clicked and bounced are then tracked."""
        template = self.env.ref(xmlid).sudo()
        self._log_outreach(xmlid, {case.id: case.partner_id.email for case in self})
        mails = self.env["mail.mail"].sudo()
        extra = {"mailing_id": mailing.id} if mailing else None
        for lang, cases in self._group_by_lang().items():
            mails |= template.with_context(
                lang=lang, confirma_compile_once=True
            )._confirma_queue_batch(
                cases.ids, "mail.mail_notification_light", email_values=extra
            )
        if mailing and mails:
            self._confirma_trace(mails, mailing)
        return mails

    @api.model
    def _confirma_trace(self, mails, mailing):
        """Each email's Email Marketing trace in ``mailing`` (sent, opened,
        clicked and bounced are tracked on it), inserted set-based
        (``bulk.insert``): the values ``mailing.trace``'s ``create()``
        stores (its override copies the email's id into
        ``mail_mail_id_int``; the campaign is the mailing's), tested
        against it. Returns the traces."""
        Trace = self.env["mailing.trace"].sudo()
        defaults = stored_defaults(Trace)
        campaign = mailing.campaign_id.id or False
        return bulk.insert(
            Trace,
            [
                dict(
                    defaults,
                    trace_type="mail",
                    mass_mailing_id=mailing.id,
                    campaign_id=campaign,
                    mail_mail_id=mail.id,
                    mail_mail_id_int=mail.id,
                    # how Odoo matches bounces and replies to the trace
                    message_id=mail.message_id,
                    model=mail.model,
                    res_id=mail.res_id,
                    email=mail.recipient_ids[:1].email_normalized or mail.email_to,
                    trace_status="outgoing",
                )
                for mail in mails
            ],
            given=("campaign_id",),
        )

    def _send_campaign_template(self, xmlid):
        """``_send_template`` for these cases, traced in their campaign's
        mailing (cases outside campaigns are sent untraced)."""
        for campaign in self.campaign_id:
            self.filtered(lambda c, k=campaign: c.campaign_id == k)._send_template(
                xmlid, mailing=campaign.mailing_id
            )
        self.filtered(lambda c: not c.campaign_id)._send_template(xmlid)

    def _sms_text(self, kind, for_other=False):
        """The SMS of an offer or a reminder, in the context's language; to a
        parent (``for_other``), it names the child."""
        _ = self.env._
        if kind == "reminder":
            if for_other:
                return _(
                    "%(town)s: reminder, you have not confirmed %(procedure)s for "
                    "%(name)s yet: %(link)s (code %(code)s)"
                )
            return _(
                "%(town)s: reminder, you have not confirmed %(procedure)s yet: "
                "%(link)s (code %(code)s)"
            )
        if for_other:
            return _(
                "%(town)s: %(name)s qualifies for %(procedure)s. Confirm here: "
                "%(link)s (code %(code)s)"
            )
        return _(
            "%(town)s: you qualify for %(procedure)s. Confirm here: %(link)s "
            "(code %(code)s)"
        )

    def _send_sms(self, kind):
        """Queue an SMS per case, in the resident's language (Odoo's SMS
        queue, which respects the phone blacklist)."""
        values = []
        for lang, cases in self._group_by_lang().items():
            cases = cases.with_context(lang=lang)
            texts = {
                for_other: cases._sms_text(kind, for_other=for_other)
                for for_other in (False, True)
            }
            for case in cases:
                beneficiary = case.beneficiary_id
                values.append(
                    {
                        "number": case.partner_id.phone_sanitized,
                        "partner_id": case.partner_id.id,
                        "body": texts[case.for_someone_else]
                        % {
                            "town": case.company_id.name,
                            "procedure": case.procedure_id.name,
                            "name": beneficiary.first_name or beneficiary.name,
                            "link": case._page_link(),
                            "code": case.sudo().code,
                        },
                    }
                )
        self.env["sms.sms"].sudo().create(values)
        self._log_outreach(
            f"sms_{kind}", {case.id: case.partner_id.phone_sanitized for case in self}
        )

    def _outreach_note(self, what):
        """The chatter's words for an outreach (a mail template's xmlid,
        ``sms_offer``, ``sms_reminder`` or ``letter``)."""
        _ = self.env._
        notes = {
            "confirma_tramites.mail_template_case_proposal": _(
                "%(procedure)s: offer emailed to %(to)s."
            ),
            "confirma_tramites.mail_template_case_reminder": _(
                "%(procedure)s: reminder emailed to %(to)s."
            ),
            "confirma_tramites.mail_template_case_expiry": _(
                "%(procedure)s: expiry notice emailed to %(to)s."
            ),
            "confirma_tramites.mail_template_case_receipt": _(
                "%(procedure)s: receipt emailed to %(to)s."
            ),
            "confirma_tramites.mail_template_case_page_locked": _(
                "%(procedure)s: notice of the locked confirmation page emailed "
                "to %(to)s."
            ),
            "sms_offer": _("%(procedure)s: offer sent by SMS to %(to)s."),
            "sms_reminder": _("%(procedure)s: reminder sent by SMS to %(to)s."),
            "letter": _("%(procedure)s: offer letter printed."),
        }
        return notes.get(what) or _("%(procedure)s: message sent to %(to)s.")

    def _log_outreach(self, what, recipients=None):
        """Note an outreach on each case's chatter and on the file of the
        resident it reached (one insert each, for a campaign's thousands):
        the officer who takes a resident's call sees what was sent, when
        and where. ``recipients``: {case id: address or number}."""
        if not self:
            return
        text = self._outreach_note(what)
        recipients = recipients or {}
        self._log_on_case_and_resident(
            {
                case.id: text
                % {
                    "procedure": case.procedure_id.name,
                    "to": recipients.get(case.id) or "-",
                }
                for case in self.sudo()
            }
        )

    def _group_by_lang(self):
        """{language: cases} for messages written in each resident's language."""
        groups = {}
        for case in self:
            groups.setdefault(case.partner_id._confirma_lang_code(), []).append(case.id)
        return {lang: self.browse(ids) for lang, ids in groups.items()}

    def _send_reminders(self):
        """Remind residents who did not answer, by the channel of the offer."""
        cases = self.filtered(lambda c: c.state == "notified")
        cases.filtered(lambda c: c.outreach_channel == "email")._send_campaign_template(
            "confirma_tramites.mail_template_case_reminder"
        )
        cases.filtered(lambda c: c.outreach_channel == "sms")._send_sms("reminder")
        cases.write({"date_reminded": fields.Datetime.now()})
        return cases

    # ---- residents who leave the padrón ----------------------------------------------
    @api.model
    def _stop_for_departed(self, partners):
        """Residents who left the padrón (death, departure, expiry…): cancel
        the open cases they confirm or benefit from, saying why, and stop
        every pending message to them (no letter, email or SMS reaches a
        deceased resident). A child's case whose parent left is opened
        again for the other parent by the next sweep. Set-based: one
        search, one write per reason. Returns the cases."""
        Case = self.sudo().with_context(tracking_disable=True)
        cases = Case.search(
            [
                "|",
                ("partner_id", "in", partners.ids),
                ("beneficiary_id", "in", partners.ids),
                ("state", "in", states.OPEN),
            ]
        )
        reasons = dict(
            self.env["res.partner"]
            ._fields["padron_deregistration_reason"]
            ._description_selection(self.env)
        )
        groups = {}
        for case in cases:
            partner = (
                case.beneficiary_id
                if case.beneficiary_id in partners
                else case.partner_id
            )
            key = (
                partner.padron_deregistration_reason,
                partner.padron_deregistration_date,
            )
            groups[key] = groups.get(key, Case) | case
        for (reason, date), group in groups.items():
            text = self.env._(
                "Cancelled: the resident left the padrón on %(date)s (%(reason)s). "
                "Pending communications were stopped.",
                date=date or "",
                reason=reasons.get(reason, reason or ""),
            )
            group._move(
                "cancelled", cancel_reason=text, date_closed=fields.Datetime.now()
            )
            group._message_log_batch(bodies=dict.fromkeys(group.ids, text))
        self._stop_outreach(partners, cases)
        return cases

    @api.model
    def _stop_outreach(self, partners, cases):
        """Cancel queued emails (and SMS, when installed) to these residents
        or about these cases."""
        queued = [("state", "in", ("outgoing", "exception"))]
        Mail = self.env["mail.mail"].sudo()
        # two searches, each on its own index (the recipients' table; the
        # messages' model and record): their "or" in one domain reads every
        # queued email and every message of the database
        mails = Mail.search(queued + [("recipient_ids", "in", partners.ids)])
        if cases:
            mails |= Mail.search(
                queued + [("model", "=", self._name), ("res_id", "in", cases.ids)]
            )
        reason = self.env._("Not sent: the resident left the padrón.")
        mails.write({"state": "cancel", "failure_reason": reason})
        if "sms.sms" in self.env:
            self.env["sms.sms"].sudo().search(
                [("state", "=", "outgoing"), ("partner_id", "in", partners.ids)]
            ).action_set_canceled()

    # ---- expiry ----------------------------------------------------------------------
    def _expire_offers(self):
        """Expire the offers still unanswered, with a notice to those who got
        theirs by email (the deadline cron, and a campaign's workflow)."""
        offers = self.filtered(lambda c: c.state in states.OFFERED)
        offers.with_context(tracking_disable=True)._move("expired")
        offers.filtered(
            lambda c: c.outreach_channel == "email"
        )._send_campaign_template("confirma_tramites.mail_template_case_expiry")
        return offers

    @api.model
    def _cron_expire(self, today=None, batch_size=1000):
        """Expire the offers whose confirmation deadline passed, in batches
        (re-runnable: an expired offer is not picked up again)."""
        today = today or fields.Date.context_today(self)
        cases = self.search(
            [
                ("state", "in", states.OFFERED),
                ("date_deadline", "<", today),
            ],
            order="id",
        )
        Cron = self.env["ir.cron"]
        for start in range(0, len(cases), batch_size):
            batch = cases[start : start + batch_size]
            batch._expire_offers()
            Cron._notify_progress(
                done=start + len(batch), remaining=len(cases) - start - len(batch)
            )
        return len(cases)
