# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..scsp import codes, messages, services
from ..scsp.client import ScspError
from .confirma_interop_log import RESULTS

_logger = logging.getLogger(__name__)
FINAL_STATES = ("done", "objected")
# the resident objected to data queries, on the case or once for all (who
# confirms, or the person the data is about)
OBJECTED = [
    "|",
    "|",
    ("case_id.data_objection", "=", True),
    ("case_id.partner_id.data_opposition", "=", True),
    ("partner_id.data_opposition", "=", True),
]


class ConfirmaInteropCheck(models.Model):
    """One requirement of one confirmed case to verify with a data service:
    the queue item of the verification flow (queued -> sent -> [pending] ->
    done), which survives restarts and failures."""

    _name = "confirma.interop.check"
    _description = "Requirement check"
    _inherit = ["confirma.access.log.mixin"]
    _order = "id"

    case_id = fields.Many2one(
        "confirma.case", required=True, index=True, ondelete="cascade", readonly=True
    )
    requirement_id = fields.Many2one(
        "confirma.procedure.requirement",
        required=True,
        ondelete="cascade",
        readonly=True,
    )
    service_id = fields.Many2one(
        "confirma.interop.service",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="About",
        compute="_compute_partner_id",
        store=True,
        index=True,
        help="Whose data is checked: who the benefit is for, or who confirms "
        "(a parent or guardian), as the requirement says.",
    )
    procedure_id = fields.Many2one(related="case_id.procedure_id", store=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("sent", "Sent"),
            ("pending", "Waiting for the answer"),
            ("done", "Checked"),
            ("objected", "Resident objected"),
        ],
        default="queued",
        required=True,
        index=True,
        readonly=True,
    )
    result = fields.Selection(RESULTS, readonly=True, index=True)
    # why, in fixed words: the data's values stay in the raw messages only
    result_note = fields.Char(string="Answer", readonly=True)
    status_code = fields.Char(readonly=True)
    attempts = fields.Integer(readonly=True)
    next_attempt = fields.Datetime(
        default=fields.Datetime.now, readonly=True, index=True
    )
    last_error = fields.Char(readonly=True)
    request_id = fields.Many2one("confirma.interop.request", readonly=True, index=True)
    id_solicitud = fields.Char(string="Solicitud id", readonly=True, index=True)
    date_done = fields.Datetime(string="Checked on", readonly=True)

    _sql_constraints = [
        (
            "case_requirement_unique",
            "UNIQUE (case_id, requirement_id)",
            "A requirement is checked once per case.",
        )
    ]

    @api.depends(
        "requirement_id.subject", "case_id.partner_id", "case_id.beneficiary_id"
    )
    def _compute_partner_id(self):
        for check in self:
            case = check.case_id
            check.partner_id = (
                case.partner_id
                if check.requirement_id.subject == "confirmer"
                else case.beneficiary_id or case.partner_id
            )

    def _access_log_partner(self):
        return self.partner_id

    # ---- the scheduled run: jobs ----------------------------------------------------
    @api.model
    def _cron_process(self):
        """The scheduled run: hand the due work to jobs (channel
        root.confirma.interop, whose capacity bounds the requests in flight)."""
        return self._dispatch()

    @api.model
    def _dispatch(self):
        """Requests left half-sent go back to the queue, objections are
        triaged, then one job per due poll and one per Peticion to send
        (a batch of checks of one service). A batch's checks wait for their
        job (``next_attempt`` moves past the lease), so that the next run
        does not hand them out again. Returns the checks handed out."""
        if "confirma_interop_today" not in self.env.context:
            today = fields.Date.to_string(fields.Date.context_today(self))
            return self.with_context(confirma_interop_today=today)._dispatch()
        queued = self._start_run()
        self.env["confirma.interop.request"]._dispatch_polls()
        now = fields.Datetime.now()
        queued.append(("next_attempt", "<=", now))
        total = 0
        for service, ids in self._read_group(queued, ["service_id"], ["id:array_agg"]):
            checks = self.browse(sorted(ids))
            platform = service.platform_id
            for batch in checks._batches(service)[1]:
                batch.with_delay(
                    description=self.env._(
                        "%(service)s: %(count)s data checks",
                        service=service.code,
                        count=len(batch),
                    ),
                    identity_key=f"confirma-interop-send-{batch[0].id}-{len(batch)}",
                )._send_job(service)
            checks.write({"next_attempt": now + timedelta(seconds=platform._lease())})
            total += len(checks)
        return total

    @api.model
    def _start_run(self, domain=None):
        """The start of every run: requests left half-sent give their checks
        back to the queue, and the checks of residents who objected are
        triaged. Returns the domain of the queued checks (``domain`` too)."""
        self.env["confirma.interop.request"]._recover_interrupted()
        queued = [("state", "=", "queued")] + (domain or [])
        self.search(queued + OBJECTED)._triage_objections()
        return queued

    def _batches(self, service):
        """These checks (of ``service``) as the Peticion messages they go
        in: (asynchronous, [checks of each]). Up to the platform's batch
        size when the platform and the service answer asynchronously, else
        one holder each."""
        platform = service.platform_id
        asynchronous = platform.mode == "async" and service.async_supported
        size = platform.batch_size if asynchronous else 1
        return asynchronous, [
            self[start : start + size] for start in range(0, len(self), size)
        ]

    def _send_job(self, service):
        """Job: send those of these checks still queued as one Peticion (run
        again after a restart, it sends nothing twice), and hand the poll of
        an asynchronous answer to a job when it is due."""
        checks = self.filtered(lambda c: c.state == "queued")
        if not checks:
            return 0
        checks = checks.with_context(
            confirma_interop_today=fields.Date.to_string(checks._today())
        )
        client = service.platform_id._client_or_error()
        if not client:
            return 0
        request = checks._send(service, client, checks._batches(service)[0])
        request._dispatch_polls()
        return len(checks)

    @api.model
    def _process(self, domain=None, user=None):
        """The verification run here and now, in this transaction (an
        officer's "verify now", the command line): ``domain`` restricts the
        checks (then sent even if their next attempt is later); ``user`` is
        who asked for it. The scheduled run hands the same work to jobs."""
        if "confirma_interop_today" not in self.env.context:
            today = fields.Date.to_string(fields.Date.context_today(self))
            return self.with_context(confirma_interop_today=today)._process(
                domain, user
            )
        clients = {}
        Request = self.env["confirma.interop.request"]
        queued = self._start_run(domain)
        Request._poll_due(clients)
        if domain is None:
            queued.append(("next_attempt", "<=", fields.Datetime.now()))
        groups = self._read_group(queued, ["service_id"], ["id:array_agg"])
        total = sum(len(ids) for _service, ids in groups)
        done = 0
        for service, ids in groups:
            checks = self.browse(sorted(ids))
            client = service.platform_id._client_or_error(clients)
            if not client:
                continue
            asynchronous, batches = checks._batches(service)
            for batch in batches:
                batch._send(service, client, asynchronous, user)
                done += len(batch)
                self.env["ir.cron"]._notify_progress(done=done, remaining=total - done)
        # answers announced without waiting time come at once
        Request._poll_due(clients)
        return total

    def _today(self):
        """Today in the municipality's time zone: once per run (each batch
        asked it again, through the user's time zone, for nothing)."""
        today = self.env.context.get("confirma_interop_today")
        if today:
            return fields.Date.to_date(today)
        return fields.Date.context_today(self)

    # ---- objections ------------------------------------------------------------
    def _triage_objections(self):
        """Ley 39/2015 art. 28.2: a resident who objected is not queried;
        the case asks for the documents instead (one activity per case)."""
        objected = self.filtered_domain([("state", "=", "queued")] + OBJECTED)
        if not objected:
            return objected
        objected.write(
            {
                "state": "objected",
                "result": "unknown",
                "result_note": self.env._(
                    "The resident objected to data queries: request the document."
                ),
                "date_done": fields.Datetime.now(),
            }
        )
        for case in objected.case_id:
            documents = objected.filtered(lambda c, case=case: c.case_id == case)
            names = [r.document_name or r.name for r in documents.requirement_id]
            case.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Request documents instead of data queries"),
                note=self.env._(
                    "The resident objected to the consultation of their data: "
                    "ask them for %(documents)s.",
                    documents=", ".join(names),
                ),
                user_id=(case.user_id or case.procedure_id.user_id).id or self.env.uid,
            )
        objected.case_id._interop_finish()
        return objected

    # ---- sending ---------------------------------------------------------------
    def _solicitudes(self, request, service):
        """The Peticion's holders; checks the service cannot be asked about
        (a document it does not take, no subject such as a vehicle plate)
        are answered at once (unknown) and left out."""
        definition = services.SERVICES[service.code]
        platform = service.platform_id
        solicitudes, refused = [], []
        today = self._today()
        self._prefetch_batch()
        subjects = self._subjects(definition)
        askers = {}  # who asks and why: the same for a procedure's checks
        ids_solicitud = []
        no_document = self.env._(
            "The service does not accept this resident's document."
        )
        no_subject = definition.subject_fact and self.env._(
            "Nothing to ask about: the resident has no %(fact)s on record.",
            fact=self.env["confirma.fact.type"]
            .search([("code", "=", definition.subject_fact)], limit=1)
            .name
            or definition.subject_fact,
        )
        for number, check in enumerate(self, 1):
            partner = check.partner_id
            document_type = definition.document_type(partner.document_type)
            if not document_type or not partner.document_number:
                refused.append((check, no_document))
                continue
            if definition.subject_fact and not subjects.get(partner.id):
                refused.append((check, no_subject))
                continue
            procedure = check.procedure_id.id
            if procedure not in askers:
                askers[procedure] = check._asker(service, request.user_id)
            asker = askers[procedure]
            id_solicitud = f"{request.name}-{number:04d}"
            ids_solicitud.append((check.id, id_solicitud))
            context = check._context_values(today, subjects)
            context.update(
                document_type=document_type, document=partner.document_number
            )
            solicitudes.append(
                messages.Solicitud(
                    id_solicitud=id_solicitud,
                    issuer_nif=service.issuer_nif,
                    issuer_name=service.issuer_name,
                    requester_nif=platform.requester_nif,
                    requester_name=platform.requester_name,
                    procedure_code=asker["procedure_code"],
                    procedure_name=check.procedure_id.name,
                    purpose=asker["purpose"],
                    consent=service.consent,
                    official_name=asker["official_name"],
                    official_nif=asker["official_nif"],
                    unit=asker["unit_name"] or "",
                    unit_code=asker["unit_code"] if definition.unit_code else "",
                    case=check.case_id.name,
                    document_type=document_type,
                    document=partner.document_number,
                    first_name=partner.first_name or "",
                    surname1=partner.surname1 or "",
                    surname2=partner.surname2 or "",
                    specific=definition.request(context),
                )
            )
        if ids_solicitud:
            self.flush_recordset(["id_solicitud"])
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE confirma_interop_check c SET id_solicitud = v.id_solicitud
                      FROM (VALUES %s) AS v(id, id_solicitud) WHERE c.id = v.id
                    """,
                    SQL(
                        ", ".join(["(%s, %s)"] * len(ids_solicitud)),
                        *(value for row in ids_solicitud for value in row),
                    ),
                )
            )
            self.invalidate_recordset(["id_solicitud"])
        refused_checks = self.browse([check.id for check, _note in refused])
        if refused:
            refused_checks._finalise(
                [(check.id, "unknown", note, "0404") for check, note in refused]
            )
        return solicitudes, self - refused_checks

    # what sending and reading need of the residents: fetched for the whole
    # batch at once, not every column of res.partner per prefetch
    PARTNER_FIELDS = [
        "document_type",
        "document_number",
        "first_name",
        "surname1",
        "surname2",
        "birthdate",
        "sex",
    ]

    def _prefetch_batch(self):
        self.fetch(["partner_id", "case_id", "procedure_id", "requirement_id"])
        self.partner_id.fetch(self.PARTNER_FIELDS)
        self.case_id.fetch(["name"])

    def _subjects(self, definition):
        """What these checks' queries are about besides the holder (e.g. a
        vehicle's plate), by resident: the latest value of the resident's
        fact the service names (one query for the batch)."""
        if not definition.subject_fact:
            return {}
        facts = self.env["confirma.fact"].search_fetch(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("type_id.code", "=", definition.subject_fact),
                ("value_text", "!=", False),
            ],
            ["partner_id", "value_text"],
            order="date desc, id desc",
        )
        subjects = {}
        for fact in facts:
            subjects.setdefault(fact.partner_id.id, fact.value_text)
        return subjects

    def _asker(self, service, user=None):
        """Who asks and why, as sent in the Peticion and kept in the audit.

        The official is ``user``, who asked interactively (*Verify now*),
        when their contact has a NIF; else (no NIF, or ``user`` None: the
        scheduled run) the platform's official for automated queries."""
        self.ensure_one()
        case, platform = self.case_id, service.platform_id
        procedure = case.procedure_id
        user = user or self.env["res.users"]
        nif = user.partner_id.document_number or user.partner_id.vat
        return {
            "official_name": user.name if nif else platform.official_name,
            "official_nif": nif or platform.official_nif,
            "user_id": user.id or self.env.uid,
            "purpose": f"{service.purpose}: {procedure.name}"[:250],
            "procedure_code": procedure.sia_code or procedure.code,
            "unit_name": procedure.unit_id.name or platform.unit_name,
            "unit_code": procedure.unit_id.dir3_code or "",
        }

    def _context_values(self, today, subjects=None):
        """What the service's request and reading need to know (see
        ``scsp.services.base.Service``); ``subjects`` as :meth:`_subjects`."""
        self.ensure_one()
        partner = self.partner_id
        requirement = self.requirement_id
        return {
            "today": today,
            "year": today.year - 1,
            "birthdate": partner.birthdate,
            "sex": {"male": "M", "female": "F"}.get(partner.sex),
            "municipality": requirement.interop_municipality
            or self.company_id.confirma_ine_code
            or "",
            "region": self.service_id.region_code or "",
            "subject": (subjects or {}).get(partner.id) or "",
            "threshold": requirement.interop_threshold,
        }

    def _send(self, service, client, asynchronous, user=None):
        """Send these checks (one service) as one Peticion, asked by ``user``
        (None: the scheduled run)."""
        Request = self.env["confirma.interop.request"]
        platform = service.platform_id
        request = Request.create(
            {
                "name": Request._new_name(),
                "platform_id": platform.id,
                "service_id": service.id,
                "mode": "async" if asynchronous else "sync",
                "date_sent": fields.Datetime.now(),
                "count": len(self),
                "user_id": user.id if user else False,
            }
        )
        solicitudes, checks = self._solicitudes(request, service)
        if not solicitudes:
            request.write({"state": "done", "count": 0})
            return request
        request.count = len(solicitudes)
        checks.write({"state": "sent", "request_id": request.id})
        element = messages.peticion(service.code, request.name, solicitudes)
        operation = "peticionAsincrona" if asynchronous else "peticionSincrona"
        try:
            exchange = client.call(
                service._url(asynchronous),
                operation,
                element,
                profile=service.security_profile,
            )
        except ScspError as error:
            if error.kind == codes.HOLDER:
                # a fault about the holder (0233, 0238...): the platform
                # answered, and asking again would get the same answer
                request._finish_holder(error)
                checks._finalise_holder(request, error)
            else:
                checks._fail_request(request, error, "request")
            return request
        answer = messages.read(exchange.root)
        mismatch = checks._answer_mismatch(request, answer)
        if mismatch:
            checks._fail_request(
                request, ScspError(codes.MISMATCH, mismatch, exchange), "answer"
            )
            return request
        if answer.kind == "confirmacion" and codes.kind(answer.code) == codes.PENDING:
            request._wait(answer, exchange, "request")
            checks.write({"state": "pending"})
        else:
            checks._apply_answer(request, answer, exchange)
        return request

    def _answer_mismatch(self, request, answer):
        """Why ``answer`` is not the answer to ``request`` about these checks
        (a replayed or mixed-up answer, signed all the same), or None: it
        must carry the request's IdPeticion and service, and each
        transmission must be one that was asked, about its holder."""
        service = request.service_id.code
        if answer.id_peticion != request.name:
            return f"IdPeticion {answer.id_peticion or '-'} instead of {request.name}"
        if answer.certificate != service:
            return f"CodigoCertificado {answer.certificate or '-'} instead of {service}"
        self.flush_model(["request_id", "id_solicitud", "partner_id"])
        self.env["res.partner"].flush_model(["document_number"])
        asked = dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT c.id_solicitud, upper(coalesce(p.document_number, ''))
                      FROM confirma_interop_check c
                      JOIN res_partner p ON p.id = c.partner_id
                     WHERE c.request_id = %s AND c.id_solicitud IS NOT NULL
                    """,
                    request.id,
                )
            )
        )
        for transmission in answer.transmissions:
            holder = asked.get(transmission.id_solicitud)
            if holder is None:
                return f"IdSolicitud {transmission.id_solicitud or '-'} was not asked"
            if transmission.document and transmission.document.upper() != holder:
                return f"IdSolicitud {transmission.id_solicitud}: another holder"
        return None

    def _fail_request(self, request, error, label):
        """``request`` got no usable answer (a transport or platform error, or
        a signed answer that is not its own): nothing in it is used, the
        failure is logged for these checks and they are asked again."""
        request._fail(error, label)
        self._log(request, error.code, error.text(self.env.lang))
        self._retry(error)

    def _finalise_holder(self, request, error):
        """The platform knows nothing of these holders (a holder code,
        ``codes.HOLDER_CODES``): unknown at once, with the translated
        reason; its own words stay in the raw answer."""
        note = codes.describe(error.code, lang=self.env.lang)
        self._finalise([(check.id, "unknown", note, error.code) for check in self])
        self._log(request, error.code, note)

    def _retry(self, error):
        """The query failed as a whole: back to the queue with backoff, or,
        after the platform's maximum attempts, unknown for good. A holder
        error is never retried (its callers send it to `_finalise_holder`)."""
        text = error.text(self.env.lang)
        exhausted = self.filtered(
            lambda c: c.attempts + 1 >= c.service_id.platform_id.max_attempts
        )
        for attempts, checks in exhausted.grouped("attempts").items():
            checks.attempts = attempts + 1
        exhausted._finalise(
            [
                (
                    check.id,
                    "unknown",
                    self.env._(
                        "Gave up after %(count)s attempts: %(error)s",
                        count=check.attempts,
                        error=text,
                    ),
                    error.code,
                )
                for check in exhausted
            ]
        )
        now = fields.Datetime.now()
        again = self - exhausted
        for (platform, attempts), checks in again.grouped(
            lambda c: (c.service_id.platform_id, c.attempts + 1)
        ).items():
            checks.write(
                {
                    "state": "queued",
                    "attempts": attempts,
                    "last_error": text[:250],
                    "status_code": error.code,
                    "next_attempt": now
                    + timedelta(minutes=platform._backoff_minutes(attempts)),
                }
            )

    # ---- answers ---------------------------------------------------------------
    def _apply_answer(self, request, answer, exchange):
        """Read a Respuesta into these checks' results."""
        kind = codes.kind(answer.code)
        if kind == codes.HOLDER:
            # synchronous: the platform knows nothing of the holder (its own
            # words stay in the raw answer)
            self._finalise_holder(request, ScspError(answer.code, None, exchange))
            request._finish(answer, exchange)
            return
        if kind != codes.DONE:
            error = ScspError(answer.code or "0502", answer.literal, exchange)
            self._fail_request(request, error, "answer")
            return
        definition = services.SERVICES[request.service_id.code]
        self._prefetch_batch()
        by_id = {t.id_solicitud: t for t in answer.transmissions}
        today = self._today()
        rows, transmissions = [], {}
        notes = {}  # a reading's note is one of the service's fixed texts
        for check in self:
            transmission = by_id.get(check.id_solicitud)
            if transmission is None:
                rows.append(
                    (
                        check.id,
                        "unknown",
                        self.env._("The answer did not include this resident."),
                        "0248",
                    )
                )
                continue
            reading = definition.reading(
                transmission.specific, check._context_values(today)
            )
            # fixed words, never the data's values (see services.Reading)
            note = ""
            if reading.note:
                # translated once per text (a lazy text without arguments)
                key = getattr(reading.note, "_source", None)
                if key is None or getattr(reading.note, "_args", None):
                    note = str(reading.note)
                else:
                    if key not in notes:
                        notes[key] = str(reading.note)
                    note = notes[key]
            if reading.holder_error and reading.code in codes.HOLDER_CODES:
                note = codes.describe(reading.code, lang=self.env.lang)
            rows.append((check.id, reading.result, note, reading.code))
            transmissions[check.id] = transmission.id_transmision
        self._finalise(rows)
        self._log(request, answer.code or "0003", None, rows, transmissions)
        request._finish(answer, exchange)

    def _finalise(self, rows):
        """Write final results: ``rows`` of (check id, result, note, code),
        in one statement, then move the cases that are complete."""
        if not rows:
            return
        self.flush_model()
        now = fields.Datetime.now()
        params = []
        for check_id, result, note, code in rows:
            params.extend((check_id, result, (note or "")[:255], code or ""))
        values = SQL(", ".join(["(%s, %s, %s, %s)"] * len(rows)), *params)
        self.env.cr.execute(
            SQL(
                """
                UPDATE confirma_interop_check c
                   SET state = 'done', result = v.result, result_note = v.note,
                       status_code = v.code, date_done = %s,
                       write_date = %s, write_uid = %s
                  FROM (VALUES %s) AS v(id, result, note, code)
                 WHERE c.id = v.id
                """,
                now,
                now,
                self.env.uid,
                values,
            )
        )
        checks = self.browse([row[0] for row in rows])
        checks.invalidate_recordset(
            ["state", "result", "result_note", "status_code", "date_done"]
        )
        checks.case_id._interop_finish()

    def _log(self, request, code, note, rows=None, transmissions=None):
        """Audit rows, one per holder asked."""
        results = {row[0]: row for row in rows or ()}
        transmissions = transmissions or {}
        service = request.service_id
        platform = request.platform_id
        now = fields.Datetime.now()
        values = []
        askers, texts = {}, {}
        for check in self:
            row = results.get(check.id)
            status = row[3] if row else code
            procedure = check.procedure_id.id
            if procedure not in askers:
                askers[procedure] = check._asker(service, request.user_id)
            if status not in texts:
                texts[status] = (
                    codes.describe(status, lang=self.env.lang) if status else ""
                )[:250]
            values.append(
                {
                    "date": now,
                    "company_id": check.company_id.id,
                    "request_id": request.id,
                    "id_peticion": request.name,
                    "id_solicitud": check.id_solicitud,
                    "id_transmision": transmissions.get(check.id),
                    "mode": request.mode,
                    "service_id": service.id,
                    "service_code": service.code,
                    "issuer_nif": service.issuer_nif,
                    "requester_nif": platform.requester_nif,
                    "holder_document_type": check.partner_id.document_type,
                    "holder_document": check.partner_id.document_number,
                    "consent": service.consent,
                    "procedure_id": check.procedure_id.id,
                    "case_id": check.case_id.id,
                    "expediente": check.case_id.name,
                    "status_code": status,
                    "status_text": texts[status],
                    "result": row[1] if row else False,
                    "result_note": (row[2] if row else note or "")[:250],
                    **askers[procedure],
                }
            )
        self.env["confirma.interop.log"].sudo()._append(values)
