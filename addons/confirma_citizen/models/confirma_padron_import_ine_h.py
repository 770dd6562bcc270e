# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Applying an INE variation file (fichero H) to the residents."""

import hashlib
import time

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import email_normalize
from odoo.tools.translate import LazyTranslate

from .. import ine_codes, ine_h
from ..padron_layout import RowError
from .confirma_padron_import import BATCH_SIZE, KNOWN_AT_CREATION, _ImportState

_lt = LazyTranslate(__name__)

#: Event kind of a deregistration -> the resident's deregistration reason.
DEREGISTRATION_REASONS = {
    "death": "death",
    "departure": "moved",
    "departure_abroad": "abroad",
    "wrong_inclusion": "wrong_inclusion",
    "duplicate": "duplicate",
    "expiry": "expiry",
}
# TIPOINF and CDEV, INE's answer: left out of a change's digest, so that a
# file INE sends back is recognised as the changes already applied.
_ANSWER = (
    ine_h.OFFSETS[("ctl", "TIPOINF")][0],
    ine_h.OFFSETS[("ctl", "CDEV")][1],
)
_FVAR = ine_h.OFFSETS[("ctl", "FVAR")]
#: Values written together: who the person is (checked together: a birth
#: date against the registration date), and where they live. Any other
#: field is written on its own, for all the residents given the same value.
WRITTEN_TOGETHER = (
    (
        "nia",
        "document_type",
        "document_number",
        "first_name",
        "surname1",
        "surname2",
        "name",
        "birthdate",
        "padron_registration_date",
    ),
    ("street", "district_code", "section_code", "household_id", "country_id"),
)


#: What a change can write on a resident: read once per batch, so that only
#: the values that differ are written.
COMPARED = [
    *(name for names in WRITTEN_TOGETHER for name in names),
    "sex",
    "nationality_id",
    "education_level",
    "household_relation",
    "is_resident",
    "company_id",
    "type",
    "is_company",
    "padron_state",
    "padron_deregistration_date",
    "padron_deregistration_reason",
    "padron_renewal_date",
    "padron_encsarp",
]


def change_key(line):
    """Digest of one record: the same change has the same key."""
    text = line.rstrip("\r\n").ljust(ine_h.RECORD_LENGTH)
    text = text[: _ANSWER[0]] + text[_ANSWER[1] :]
    return hashlib.sha1(text.rstrip().encode("utf-8")).hexdigest()


class ConfirmaPadronImport(models.Model):
    _inherit = "confirma.padron.import"

    file_format = fields.Selection(
        [("csv", "CSV / XLSX"), ("ine_h", "INE variation file (fichero H)")],
        string="Format",
        default="csv",
        required=True,
        readonly=True,
    )
    events = fields.Integer(readonly=True, help="Padrón events recorded.")
    ine_rejected = fields.Integer(
        string="Rejected by INE",
        readonly=True,
        help="Records INE sent back as rejected (TIPOINF R, with its cause "
        "CDEV): listed in the report, not applied.",
    )
    event_ids = fields.One2many("confirma.padron.event", "import_id")

    @api.private
    def summary_line(self):
        line = super().summary_line()
        if self.file_format == "ine_h":
            line += f" events={self.events}"
            if self.ine_rejected:
                line += f" ine_rejected={self.ine_rejected}"
        return line

    @api.private
    def run(self, binary, today=None, on_batch=None, sink=None):
        if self.file_format != "ine_h":
            return super().run(binary, today=today, on_batch=on_batch, sink=sink)
        return self._run_ine_h(binary, today=today, on_batch=on_batch)

    def action_view_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "confirma_citizen.confirma_padron_event_action"
        )
        action["domain"] = [("import_id", "=", self.id)]
        return action

    def _run_ine_h(self, binary, today=None, on_batch=None):
        """Apply an INE variation file: records in order of their date of
        effect (FVAR, then line), in batches; refused records reported with
        their line and reason while the others apply. Idempotent: a change
        already applied (same digest) is counted as unchanged."""
        self.ensure_one()
        self.env["res.partner"].check_access("create")
        self.env["confirma.padron.event"].check_access("create")
        started = time.perf_counter()
        today = today or fields.Date.context_today(self)
        self.write({"date_start": fields.Datetime.now(), "state": "draft"})
        state = _IneHState(self, today)
        report, writer = self._error_report()
        try:
            records = sorted(
                ine_h.read_records(binary),
                key=lambda item: (item[1][_FVAR[0] : _FVAR[1]], item[0]),
            )
        except UnicodeDecodeError as error:
            report.close()
            self._fail(error)
        batch, taken = [], set()
        for line_no, text in records:
            state.rows += 1
            try:
                variation = ine_h.parse_record(line_no, text)
            except RowError as error:
                state.report(
                    writer, line_no, _raw_identity(text), error.render(state.lang)
                )
                continue
            if variation.rejected:
                state.ine_rejected += 1
                state.report(
                    writer,
                    line_no,
                    _identity(variation),
                    _(
                        "rejected by INE (TIPOINF R), cause %(code)s",
                        code=variation.rejection_code or "-",
                    ),
                    error=False,
                )
                continue
            identities = _identities(variation)
            # A person changed twice in the file: the second change waits
            # for the batch holding the first one to be written.
            if len(batch) >= BATCH_SIZE or identities & taken:
                state.apply(batch, writer)
                batch, taken = [], set()
                if on_batch:
                    on_batch()
            batch.append((variation, change_key(text)))
            taken |= identities
        if batch:
            state.apply(batch, writer)
            if on_batch:
                on_batch()
        vals = state.counts()
        vals.update(events=state.events, ine_rejected=state.ine_rejected)
        self._done(
            vals, report, started, attach=bool(state.errors or state.ine_rejected)
        )
        self.message_post(
            body=_("Padrón changes applied: %(summary)s", summary=self.summary_line())
        )
        return self


def _parts(changed):
    """``changed`` as hashable groups of values (see WRITTEN_TOGETHER): the
    residents of a batch with the same group are written at once (a
    household moving, the renewals of a day, everyone's education level)."""
    rest = dict(changed)
    parts = []
    for names in WRITTEN_TOGETHER:
        part = tuple((name, rest.pop(name)) for name in names if name in rest)
        if part:
            parts.append(part)
    parts.extend(((name, value),) for name, value in sorted(rest.items()))
    return parts


def _identity(variation):
    person = variation.after if variation.code == "A" else variation.before
    return person.nia or person.document_number or ""


def _raw_identity(text):
    values = ine_h.split(text.rstrip("\r\n")[: ine_h.RECORD_LENGTH])
    for key in (("id", "NIA"), ("new", "NIA"), ("id", "NDOCU"), ("new", "NDOCU")):
        if values[key]:
            return values[key]
    return ""


def _identities(variation):
    found = set()
    for person in (variation.before, variation.after):
        if person.nia:
            found.add(("nia", person.nia))
        if person.document_number:
            found.add(("doc", person.document_number))
    return found


class _IneHState(_ImportState):
    """The running state of one INE variation file."""

    def __init__(self, record, today):
        super().__init__(record, today)
        self.events = self.ine_rejected = 0
        self.lang = self.env.lang or "en_US"
        self.kinds = {
            kind.code: kind
            for kind in self.env["confirma.padron.event.kind"]
            .with_context(active_test=False)
            .search([])
        }
        self.Event = self.env["confirma.padron.event"].with_context(
            tracking_disable=True
        )

    def report(self, writer, line, key, reason, error=True):
        if error:
            self.errors += 1
        writer.writerow([line, key, reason])

    # -- one batch ------------------------------------------------------------
    COUNTERS = ("created", "updated", "unchanged", "deregistered", "errors", "events")

    def apply(self, batch, writer):
        """Apply a batch in one go; if the database or a constraint refuses
        it, apply its records one by one, and report those refused."""
        counts = {name: getattr(self, name) for name in self.COUNTERS}
        reports = []
        try:
            with self.env.cr.savepoint():
                self._apply(batch, reports)
        except (ValidationError, UserError, psycopg2.IntegrityError):
            self.env.invalidate_all()
            for name, value in counts.items():
                setattr(self, name, value)
            reports = []
            for item in batch:
                counts = {name: getattr(self, name) for name in self.COUNTERS}
                try:
                    with self.env.cr.savepoint():
                        self._apply([item], reports)
                except (ValidationError, UserError, psycopg2.IntegrityError) as error:
                    self.env.invalidate_all()
                    for name, value in counts.items():
                        setattr(self, name, value)
                    message = (
                        error.args[0] if isinstance(error, UserError) else error.pgerror
                    )
                    reports.append((item[0].line, _identity(item[0]), message))
                    self.errors += 1
        for line, key, reason in sorted(reports):
            writer.writerow([line, key, reason])

    def _apply(self, batch, reports):
        env = self.env
        company = self.company.id
        keys = [key for _variation, key in batch]
        done = set(
            self.Event.search(
                [("company_id", "=", company), ("key", "in", keys)]
            ).mapped("key")
        )
        nias, docs = set(), set()
        for variation, _key in batch:
            for kind, value in _identities(variation):
                (nias if kind == "nia" else docs).add(value)
        existing = self.partners.search_read(
            [
                ("company_id", "=", company),
                "|",
                ("nia", "in", list(nias)),
                ("document_number", "in", list(docs)),
            ],
            COMPARED,
            load=None,
        )
        by_nia = {r["nia"]: r for r in existing if r["nia"]}
        by_doc = {r["document_number"]: r for r in existing if r["document_number"]}
        households = self._households(
            [
                (
                    variation.line,
                    {
                        "household_code": variation.household_code,
                        "street": variation.street,
                        "district": variation.district,
                        "section": variation.section,
                    },
                )
                for variation, _key in batch
                if variation.household_code
            ]
        )
        to_create, create_events, events, deregister = [], [], [], {}
        writes = {}
        for variation, key in batch:
            if key in done:
                self.unchanged += 1
                continue
            try:
                current = self._match(variation, by_nia, by_doc)
                vals = self._change(variation, current, households, by_doc)
            except RowError as error:
                self.errors += 1
                reports.append(
                    (variation.line, _identity(variation), error.render(self.lang))
                )
                continue
            event = self._event_vals(variation, key, households)
            if variation.code == "B":
                reason = DEREGISTRATION_REASONS[variation.event]
                deregister.setdefault((reason, variation.date), []).append(
                    current["id"]
                )
                self.deregistered += 1
            elif current:
                # only what changed, written for all the residents with the
                # same change at once
                changed = {
                    name: value
                    for name, value in vals.items()
                    if name not in current or current[name] != value
                }
                for part in _parts(changed):
                    writes.setdefault(part, []).append(current["id"])
                self.updated += 1
            else:
                vals.update(
                    self.create_defaults,
                    complete_name=vals["name"],
                    email_normalized=email_normalize(vals.get("email") or "") or False,
                )
                to_create.append(vals)
                create_events.append(event)
                continue
            event["partner_id"] = current["id"]
            events.append(event)
        # the residents of the batch share one prefetch: what each write reads
        # (users, children, households) is fetched once for them all
        prefetch = [r["id"] for r in existing]
        for changed, ids in writes.items():
            self.partners.browse(ids).with_prefetch(prefetch).write(dict(changed))
        for (reason, date), ids in deregister.items():
            self.partners.browse(ids).with_prefetch(prefetch).action_deregister(
                reason, date
            )
        if to_create:
            created = self.partners.create(to_create)
            for name in KNOWN_AT_CREATION:
                env.remove_to_compute(self.partners._fields[name], created)
            self.created += len(created)
            for event, partner_id in zip(create_events, created.ids, strict=True):
                event["partner_id"] = partner_id
            events += create_events
        if events:
            recorded = self.Event.create(events)
            self.events += len(recorded)
            self.Event._react(recorded)
        env.flush_all()
        env.invalidate_all()

    def _match(self, variation, by_nia, by_doc):
        """The resident a record is about (NIA first, then document)."""
        if variation.code == "A":
            person = variation.after
            return by_nia.get(person.nia) or by_doc.get(person.document_number)
        person = variation.before
        current = by_nia.get(person.nia) or by_doc.get(person.document_number)
        if not current and variation.code == "M":
            current = by_nia.get(variation.after.nia)
        if not current:
            raise RowError(
                _lt("no resident with NIA %(nia)s or document %(document)s"),
                nia=person.nia or "-",
                document=person.document_number or "-",
            )
        return current

    def _change(self, variation, current, households, by_doc):
        """The values a record writes on the resident."""
        if variation.code == "B":
            return {}
        person = variation.after
        owner = by_doc.get(person.document_number)
        if owner and (not current or owner["id"] != current["id"]):
            raise RowError(
                _lt("document %(document)s belongs to another resident (NIA %(nia)s)"),
                document=person.document_number,
                nia=owner["nia"] or "-",
            )
        if person.birthdate and person.birthdate > self.today:
            raise RowError(_lt("the birth date is in the future"))
        if (
            variation.code == "A"
            and person.birthdate
            and person.birthdate > variation.date
        ):
            raise RowError(_lt("registered (FVAR) before the birth date (FNAC)"))
        nationality = self.countries.get(person.nationality, False)
        vals = {
            "is_resident": True,
            "company_id": self.company.id,
            "type": "contact",
            "is_company": False,
            "nia": person.nia,
            "first_name": person.first_name or False,
            "surname1": person.surname1 or False,
            "surname2": person.surname2 or False,
            "birthdate": person.birthdate or False,
            "sex": person.sex or False,
            "nationality_id": nationality,
            "education_level": person.education or False,
            "district_code": variation.district or False,
            "section_code": variation.section or False,
            "street": variation.street or False,
            "country_id": self.spain,
            "household_id": households.get(variation.household_code, False),
        }
        if not current or current["document_number"] != person.document_number:
            vals["document_type"] = person.document_type or False
            vals["document_number"] = person.document_number or False
        vals["name"] = " ".join(
            p for p in (person.first_name, person.surname1, person.surname2) if p
        ) or _lt("(no name)")._translate(self.lang)
        if ine_codes.renews_registration(person.nationality, person.document_type):
            vals["padron_encsarp"] = True
        elif person.nationality in ine_codes.EEA or person.document_type == "dni":
            vals["padron_encsarp"] = False
        if variation.code == "A":
            vals.update(
                padron_state="active",
                padron_registration_date=variation.date,
                padron_deregistration_date=False,
                padron_deregistration_reason=False,
                padron_renewal_date=False,
            )
            if variation.event == "birth":
                vals["household_relation"] = "child"
        elif variation.event == "renewal":
            vals.update(padron_renewal_date=variation.date, padron_encsarp=True)
        elif variation.event == "residence_confirmation":
            vals["padron_renewal_date"] = variation.date
        return vals

    def _event_vals(self, variation, key, households):
        return {
            "company_id": self.company.id,
            "date": variation.date,
            "kind_id": self.kinds[variation.event].id,
            "place": variation.place_from_to or False,
            "household_id": households.get(variation.household_code, False),
            "description": variation.street
            if variation.event == "address_change"
            else False,
            "import_id": self.record.id,
            "line": variation.line,
            "key": key,
        }
