# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The padrón writers: checked rows in, residents (and their padrón events)
out, one batch at a time.

``ResidentWriter`` writes the rows of a CSV/XLSX padrón (full or partial);
``VariationWriter`` applies the records of an INE variation file (fichero H).
Both take batches of at most ``BATCH_SIZE`` rows and write each batch with
a few set-based statements; the import records
(``confirma.padron.import``) read the file, check the rows and report.
"""

import datetime
import hashlib
import json
import logging
import re

import psycopg2

try:
    import phonenumbers
except ImportError:  # Odoo runs without it (phone numbers are not sanitized)
    phonenumbers = None

from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, email_normalize
from odoo.tools.translate import LazyTranslate

from . import bulk, identity, ine_codes, ine_h, layout
from .layout import RowError

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

#: Rows written per batch (and per transaction when the caller commits).
BATCH_SIZE = 1000

#: Stored computed fields of res.partner that the writer works out for a new
#: resident (no parent company, no user, no picture), batch by batch, as
#: the ORM would (``bulk.insert`` writes them with the row; a test compares
#: every stored field with a resident created by ``create()``).
GIVEN_AT_CREATION = (
    "commercial_partner_id",
    "commercial_company_name",
    "company_registry",
    "complete_name",
    "email_normalized",
    "image_1024",
    "image_512",
    "image_256",
    "image_128",
    "padron_renewal_due",
    "partner_share",
    "phone_sanitized",
    "user_id",
)
#: A Spanish number as a padrón has it: nine digits, after +34 or not.
SPANISH_NUMBER = re.compile(r"(?:\+34)?([5-9]\d{8})")

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

#: Where a resident lives: what an INE record writes when they move.
ADDRESS_FIELDS = WRITTEN_TOGETHER[1]
#: The changes (M) about the address: a move, INE re-coding the street.
ADDRESS_EVENTS = ("address_change", "recoding")

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


#: The values of a checked row that are dates (JSON has none).
DATE_VALUES = ("birthdate", "registration_date", "data_opposition_date", "renewal_date")


def dump_rows(batch):
    """A batch of checked rows ``[(line, values), ...]`` as JSON text.

    >>> rows = [(2, {"nia": "1", "birthdate": datetime.date(1980, 5, 4)})]
    >>> dump_rows(rows)
    '[[2, {"nia": "1", "birthdate": "1980-05-04"}]]'
    >>> load_rows(dump_rows(rows)) == rows
    True
    """
    return json.dumps(
        [
            [
                line,
                {
                    key: value.isoformat()
                    if isinstance(value, datetime.date)
                    else value
                    for key, value in values.items()
                },
            ]
            for line, values in batch
        ],
        ensure_ascii=False,
    )


def load_rows(text):
    """The batch ``dump_rows`` wrote."""
    batch = []
    for line, values in json.loads(text):
        for key in DATE_VALUES:
            if values.get(key):
                values[key] = datetime.date.fromisoformat(values[key])
        batch.append((line, values))
    return batch


def change_key(line):
    """Digest of one record: the same change has the same key."""
    text = line.rstrip("\r\n").ljust(ine_h.RECORD_LENGTH)
    text = text[: _ANSWER[0]] + text[_ANSWER[1] :]
    return hashlib.sha1(text.rstrip().encode("utf-8")).hexdigest()


def stored_defaults(model):
    """The default values of ``model``'s stored fields, as ``create()`` asks
    them (every field, so that ``default_get`` overrides see them all)."""
    return {
        name: value
        for name, value in model.default_get(list(model._fields)).items()
        if model._fields[name].store
    }


class ResidentWriter:
    """The running state of one import: lookups, counters, seen residents."""

    def __init__(self, record, today):
        self.record = record
        self.env = record.env
        self.company = record.company_id
        self.today = today
        self.rows = self.created = self.updated = self.unchanged = 0
        self.deregistered = self.errors = 0
        self.keys = {}
        self.protected = []
        self.partners = self.env["res.partner"].with_context(
            # the batch was matched on document numbers already
            confirma_documents_checked=True,
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
            active_test=False,
        )
        # Defaults, asked once per batch (``create()`` asks them per row)
        self.create_defaults = stored_defaults(self.partners)
        self.countries = {
            code: country_id
            for country_id, code in self.env["res.country"]
            .search([])
            .mapped(lambda c: (c.id, c.code))
        }
        self.spain = self.countries.get("ES")
        # a full snapshot remembers the residents it names (every batch)
        self.snapshot = bool(record.full_snapshot)
        # and, reading the file, their documents and NIAs (see snapshot_refusal)
        self.named_documents, self.named_nias = [], []
        # residents of rows found unchanged while reading (``unchanged_rows``)
        self.unchanged_ids = []
        self.fingerprinted = None

    def counts(self):
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deregistered": self.deregistered,
            "errors": self.errors,
        }

    def _mark_seen(self, ids):
        """Remember the residents a full snapshot names (whichever batch)."""
        if not ids or not self.snapshot:
            return
        self.env.cr.execute(
            SQL(
                "INSERT INTO confirma_padron_import_seen (import_id, partner_id) "
                "SELECT %s, unnest(%s::int[]) ON CONFLICT DO NOTHING",
                self.record.id,
                ids,
            )
        )

    def error(self, writer, line, raw, error):
        self.errors += 1
        key = raw.get("document_number") or raw.get("nia") or ""
        writer.writerow([line, key, error.render(self.env.lang or "en_US")])
        if key:
            self.protected.append(key.strip().upper())

    def forget_seen(self):
        """Empty the residents a full snapshot named (the import ended)."""
        self.env.cr.execute(
            SQL(
                "DELETE FROM confirma_padron_import_seen WHERE import_id = %s",
                self.record.id,
            )
        )

    # -- one batch --------------------------------------------------------------
    def apply(self, batch):
        env = self.env
        docs = [v["document_number"] for _line, v in batch if v["document_number"]]
        nias = [v["nia"] for _line, v in batch if v["nia"]]
        existing = self.partners.search_read(
            [
                ("company_id", "=", self.company.id),
                "|",
                ("document_number", "in", docs),
                ("nia", "in", nias),
            ],
            ["document_number", "nia", "padron_hash", "padron_state"],
        )
        by_doc = {r["document_number"]: r for r in existing if r["document_number"]}
        by_nia = {r["nia"]: r for r in existing if r["nia"]}
        households = self._households(batch)
        to_create, seen, read_again = [], [], []
        for _line, values in batch:
            current = by_doc.get(values["document_number"]) or by_nia.get(values["nia"])
            digest = layout.row_hash(values)
            if current:
                seen.append(current["id"])
                if (
                    current["padron_hash"] == digest
                    and current["padron_state"] == "active"
                ):
                    self.unchanged += 1
                    if values.get("row_hash"):
                        # the same values, written otherwise (or kept from
                        # before rows were fingerprinted): next time it is
                        # known unread
                        read_again.append((current["id"], values["row_hash"]))
                    continue
                vals = self._vals(values, digest, households, update=True)
                self.partners.browse(current["id"]).write(vals)
                self.updated += 1
            else:
                to_create.append(self._vals(values, digest, households, update=False))
        if to_create:
            created = self._create(to_create)
            seen.extend(created.ids)
            self.created += len(created)
        self._mark_seen(seen)
        if read_again:
            # a fingerprint of the file, not a value of the resident's: no
            # write date, no tracking
            env.cr.execute(
                SQL(
                    "UPDATE res_partner p SET padron_row_hash = v.digest "
                    "FROM unnest(%s::int[], %s::varchar[]) AS v(id, digest) "
                    "WHERE p.id = v.id",
                    [pid for pid, _digest in read_again],
                    [digest for _pid, digest in read_again],
                )
            )
        env.flush_all()
        env.invalidate_all()

    def unchanged_rows(self, rows):
        """Of ``rows`` just read ([(line, raw), ...], a batch or so), those
        the last import wrote exactly so to a resident still active: they
        are counted unchanged without being checked (``layout.raw_hash``).
        Returns ({line: digest} of every row, {line: (resident id, their
        document_number and nia)} of the unchanged ones). One query."""
        digests, identities = {}, {}
        for line, raw in rows:
            digests[line] = layout.raw_hash(raw)
            identities[line] = layout.raw_identity(raw)
        if self.fingerprinted is None:
            # a town's first import has nobody to look up
            self.env.cr.execute(
                SQL(
                    "SELECT 1 FROM res_partner WHERE company_id = %s "
                    "AND padron_row_hash IS NOT NULL LIMIT 1",
                    self.company.id,
                )
            )
            self.fingerprinted = bool(self.env.cr.fetchone())
        if not self.fingerprinted:
            return digests, {}
        docs = [doc for doc, _nia in identities.values() if doc]
        nias = [nia for _doc, nia in identities.values() if nia]
        self.env.cr.execute(
            SQL(
                "SELECT id, document_number, nia, padron_row_hash FROM res_partner "
                "WHERE company_id = %s AND padron_state = 'active' "
                "AND padron_row_hash IS NOT NULL "
                "AND (document_number = ANY(%s) OR nia = ANY(%s))",
                self.company.id,
                docs,
                nias,
            )
        )
        found = self.env.cr.fetchall()
        by_doc = {row[1]: row for row in found if row[1]}
        by_nia = {row[2]: row for row in found if row[2]}
        unchanged = {}
        for line, (doc, nia) in identities.items():
            current = (doc and by_doc.get(doc)) or (nia and by_nia.get(nia))
            if current and current[3] == digests[line]:
                unchanged[line] = (
                    current[0],
                    {"document_number": current[1] or "", "nia": current[2] or ""},
                )
        return digests, unchanged

    def name_unchanged(self, partner_id, values):
        """Count a row found unchanged, and note the resident it names (see
        ``name``): ``values``, their document_number and nia."""
        self.unchanged += 1
        self.unchanged_ids.append(partner_id)
        self.name(values)

    def _create(self, vals_list):
        """New residents, set-based (``bulk.insert``): the defaults, and the
        stored computed fields worked out here as ``create()`` would."""
        Partner = self.partners
        phone_fields = Partner._phone_get_number_fields()
        spain = self.env["res.country"].browse(self.spain)
        for new_id, vals in zip(
            bulk.reserve_ids(Partner, len(vals_list)), vals_list, strict=True
        ):
            for name, value in self.create_defaults.items():
                vals.setdefault(name, value)
            if vals.get("document_number"):
                # as create() does (the INE file's numbers come as INE has them)
                vals["document_number"] = identity.normalize(vals["document_number"])
            phone = False
            for name in phone_fields:
                if vals.get(name):
                    phone = self._phone_sanitized(vals[name], spain)
                    if phone:
                        break
            vals.update(
                {name: False for name in GIVEN_AT_CREATION},
                id=new_id,
                commercial_partner_id=new_id,
                complete_name=(vals.get("name") or "").strip(),
                email_normalized=email_normalize(vals.get("email") or "", strict=False)
                or False,
                partner_share=True,
                phone_sanitized=phone,
                padron_renewal_due=ine_codes.renewal_due(
                    vals.get("padron_encsarp"),
                    vals.get("padron_renewal_date"),
                    vals.get("padron_registration_date"),
                ),
            )
        created = bulk.insert(Partner, vals_list, given=GIVEN_AT_CREATION)
        created._confirma_residents_created()
        return created

    def _phone_sanitized(self, number, country):
        """``phone_sanitized`` of a new resident, as the ORM computes it
        (``_phone_format_number``, E.164 or False). A plain Spanish number
        skips the library's parsing and formatting (a sixth of the time):
        its E.164 form is +34 and the number, if valid."""
        plain = (
            phonenumbers and country.code == "ES" and SPANISH_NUMBER.fullmatch(number)
        )
        if plain:
            national = plain.group(1)
            parsed = phonenumbers.PhoneNumber(
                country_code=34, national_number=int(national)
            )
            return "+34" + national if phonenumbers.is_valid_number(parsed) else False
        return self.partners._phone_format_number(number, country)

    def _households(self, batch):
        codes = {}
        for _line, values in batch:
            code = values["household_code"]
            if code and code not in codes:
                codes[code] = values
        if not codes:
            return {}
        Household = self.env["confirma.household"].with_context(
            tracking_disable=True, mail_create_nolog=True, active_test=False
        )
        found = {
            h["name"]: h["id"]
            for h in Household.search_read(
                [("company_id", "=", self.company.id), ("name", "in", list(codes))],
                ["name"],
            )
        }
        missing = [code for code in codes if code not in found]
        if missing:
            defaults = stored_defaults(Household)
            created = bulk.insert(
                Household,
                [
                    dict(
                        defaults,
                        name=code,
                        company_id=self.company.id,
                        street=codes[code]["street"] or False,
                        district_code=codes[code]["district"] or False,
                        section_code=codes[code]["section"] or False,
                    )
                    for code in missing
                ],
            )
            found.update(zip(missing, created.ids, strict=True))
        return found

    def _vals(self, values, digest, households, update):
        nationality = values["nationality"]
        vals = {
            "is_resident": True,
            "company_id": self.company.id,
            "type": "contact",
            "is_company": False,
            "document_type": values["document_type"] or False,
            "document_number": values["document_number"] or False,
            "nia": values["nia"] or False,
            "first_name": values["first_name"],
            "surname1": values["surname1"],
            "surname2": values["surname2"] or False,
            "birthdate": values["birthdate"],
            "sex": values["sex"] or False,
            "nationality_id": self.countries.get(nationality, False),
            "padron_registration_date": values["registration_date"],
            "padron_renewal_date": values["renewal_date"] or False,
            "padron_state": "active",
            "padron_deregistration_date": False,
            "padron_deregistration_reason": False,
            "district_code": values["district"] or False,
            "section_code": values["section"] or False,
            "household_id": households.get(values["household_code"], False),
            "household_relation": values["household_relation"] or False,
            "street": values["street"] or False,
            "zip": values["zip"] or False,
            "city": values["city"] or False,
            "country_id": self.spain,
            "email": values["email"] or False,
            "mobile": values["mobile"] or False,
            "phone": values["phone"] or False,
            "preferred_language": values["preferred_language"] or False,
            "preferred_channel": values["preferred_channel"] or False,
            "padron_hash": digest,
            "padron_row_hash": values.get("row_hash") or False,
        }
        if values["data_opposition"]:
            vals.update(
                data_opposition=True,
                data_opposition_date=values["data_opposition_date"] or self.today,
                data_opposition_source="import",
            )
        elif not update:
            vals["data_opposition"] = False
        if not update:
            vals["padron_encsarp"] = ine_codes.renews_registration(
                nationality, values["document_type"]
            )
        # An opposition recorded elsewhere (counter, confirmation page) is
        # never cleared by a file that does not carry it.
        vals["name"] = " ".join(
            p
            for p in (values["first_name"], values["surname1"], values["surname2"])
            if p
        )
        return vals

    # -- full snapshot ------------------------------------------------------------
    def name(self, values):
        """Note who an accepted row of a full snapshot names (reading)."""
        if self.snapshot:
            if values["document_number"]:
                self.named_documents.append(values["document_number"])
            if values["nia"]:
                self.named_nias.append(values["nia"])

    def snapshot_refusal(self):
        """Once a full snapshot is read, before any of it is written: why it
        is refused (it would deregister more active residents than the share
        allowed, see ``_snapshot_refusal``), or None. Residents named by a
        refused row count as named."""
        cr = self.env.cr
        cr.execute(
            "CREATE TEMPORARY TABLE confirma_snapshot_named "
            "(kind char(1), key varchar) ON COMMIT DROP"
        )
        lists = (
            ("d", self.named_documents + self.protected),
            ("n", self.named_nias + self.protected),
        )
        for kind, keys in lists:
            for start in range(0, len(keys), 10 * BATCH_SIZE):
                cr.execute(
                    "INSERT INTO confirma_snapshot_named "
                    "SELECT %s, unnest(%s::varchar[])",
                    (kind, keys[start : start + 10 * BATCH_SIZE]),
                )
        cr.execute("CREATE INDEX ON confirma_snapshot_named (key, kind)")
        cr.execute("ANALYZE confirma_snapshot_named")
        cr.execute(
            SQL(
                """
                SELECT count(*) FILTER (WHERE NOT EXISTS (
                           SELECT 1 FROM confirma_snapshot_named k
                            WHERE k.kind = 'd' AND k.key = p.document_number)
                       AND NOT EXISTS (
                           SELECT 1 FROM confirma_snapshot_named k
                            WHERE k.kind = 'n' AND k.key = p.nia)),
                       count(*)
                  FROM res_partner p
                 WHERE p.is_resident AND p.company_id = %s
                   AND p.padron_state = 'active'
                """,
                self.company.id,
            )
        )
        missing, active = cr.fetchone()
        cr.execute("DROP TABLE confirma_snapshot_named")
        return self.record._snapshot_refusal(missing, active)

    def mark_protected(self):
        """Rows refused for a bad value still name a resident: a full
        snapshot keeps them (the reader calls this once the file is read)."""
        if not self.snapshot:
            return
        for start in range(0, len(self.protected), BATCH_SIZE):
            chunk = self.protected[start : start + BATCH_SIZE]
            self.env.cr.execute(
                SQL(
                    "INSERT INTO confirma_padron_import_seen (import_id, partner_id) "
                    "SELECT %s, id FROM res_partner WHERE company_id = %s "
                    "AND (document_number = ANY(%s) OR nia = ANY(%s)) "
                    "ON CONFLICT DO NOTHING",
                    self.record.id,
                    self.company.id,
                    chunk,
                    chunk,
                )
            )

    def deregister_missing(self):
        """Deregister the active residents the full snapshot did not name
        (set-based), once every batch is written. When they are more than
        the share allowed, nobody is: the reason is returned instead."""
        env = self.env
        env.flush_all()
        env.cr.execute(
            SQL(
                """
                SELECT p.id FROM res_partner p
                 WHERE p.is_resident AND p.company_id = %s
                   AND p.padron_state = 'active'
                   AND NOT EXISTS (
                       SELECT 1 FROM confirma_padron_import_seen s
                        WHERE s.import_id = %s AND s.partner_id = p.id)
                """,
                self.company.id,
                self.record.id,
            )
        )
        ids = [row[0] for row in env.cr.fetchall()]
        if ids:
            env.cr.execute(
                SQL(
                    "SELECT count(*) FROM res_partner WHERE is_resident "
                    "AND company_id = %s AND padron_state = 'active'",
                    self.company.id,
                )
            )
            refusal = self.record._snapshot_refusal(len(ids), env.cr.fetchone()[0])
            if refusal:
                return refusal
        for start in range(0, len(ids), BATCH_SIZE):
            residents = self.partners.browse(ids[start : start + BATCH_SIZE])
            residents.action_deregister("snapshot", self.today)
            env.flush_all()
            env.invalidate_all()
        self.deregistered = len(ids)
        return None


def read_rows(model, domain, fnames):
    """``model.search_read(domain, fnames, load=None)`` for thousands of
    rows, read straight from the table: access rights, field access and
    record rules as ``search_read``, the columns' own values (a many2one's
    id), without building and then formatting every record in the cache
    (most of the cost of reading a batch's residents). Stored columns
    only."""
    model.check_access("read")
    model.check_field_access_rights("read", fnames)
    for name in fnames:
        field = model._fields[name]
        if not field.store or not field.column_type or field.translate:
            raise ValueError(f"{model._name}.{name} is not read as a plain column")
    model.flush_model(fnames)
    query = model._search(domain)
    columns = ["id", *fnames]
    model.env.cr.execute(
        query.select(*(SQL.identifier(model._table, name) for name in columns))
    )
    return [dict(zip(columns, row, strict=False)) for row in model.env.cr.fetchall()]


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


def identity_of(variation):
    person = variation.after if variation.code == "A" else variation.before
    return person.nia or person.document_number or ""


def raw_identity(text):
    values = ine_h.split(text.rstrip("\r\n")[: ine_h.RECORD_LENGTH])
    for key in (("id", "NIA"), ("new", "NIA"), ("id", "NDOCU"), ("new", "NDOCU")):
        if values[key]:
            return values[key]
    return ""


def identities_of(variation):
    found = set()
    for person in (variation.before, variation.after):
        if person.nia:
            found.add(("nia", person.nia))
        if person.document_number:
            found.add(("doc", person.document_number))
    return found


def plan_batches(items, size):
    """Batches of INE changes that can be written side by side.

    ``items``: ``(identities, households, item)`` in the order the changes
    apply: whom a change is about (NIA, document) and the households it
    touches (the one its person goes to, the one they are in). Returns the
    stages, each a list of batches of items: the batches of a stage share
    no person and no household, so that they are written side by side
    without waiting for each other; a person's next change is in a later
    stage. Changes that touch each other (a family moving together) stay in
    one batch, past ``size`` if they must; a batch keeps their order.

    >>> plan_batches([
    ...     ({"nia1"}, {"H1"}, "a"),         # nia1 goes to H1
    ...     ({"nia2"}, {"H1", "H2"}, "b"),   # nia2 from H2 to H1, as nia1
    ...     ({"nia3"}, {"H3"}, "c"),
    ...     ({"nia1"}, {"H1", "H4"}, "d"),   # nia1 again: the next stage
    ...     ({"nia4"}, set(), "e"),
    ... ], size=2)
    [[['a', 'b'], ['c', 'e']], [['d']]]
    >>> plan_batches([], size=2)
    []
    """
    last_stage, stages = {}, []
    for identities, households, item in items:
        stage = 1 + max((last_stage.get(i, 0) for i in identities), default=0)
        for key in identities:
            last_stage[key] = stage
        while len(stages) < stage:
            stages.append([])
        stages[stage - 1].append((identities, households, item))
    return [_pack(_touching(stage), size) for stage in stages]


def _touching(items):
    """The items grouped by what they touch (one person, one household,
    transitively), each group in order, groups in order of their first."""
    parent = {}

    def root(key):
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    keys = []
    for number, (identities, households, _item) in enumerate(items):
        mine = [("item", number)]
        mine += [("person", i) for i in identities]
        mine += [("household", h) for h in households]
        first = root(mine[0])
        for key in mine[1:]:
            parent[root(key)] = first
        keys.append(("item", number))
    groups = {}
    for key, (_identities, _households, item) in zip(keys, items, strict=True):
        groups.setdefault(root(key), []).append(item)
    return list(groups.values())


def _pack(groups, size):
    """Whole ``groups`` into batches of about ``size`` items."""
    batches, batch = [], []
    for group in groups:
        if batch and len(batch) + len(group) > size:
            batches.append(batch)
            batch = []
        batch += group
    if batch:
        batches.append(batch)
    return batches


class VariationWriter(ResidentWriter):
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
        self.kind_codes = {kind.id: kind.code for kind in self.kinds.values()}
        self.Event = self.env["confirma.padron.event"].with_context(
            tracking_disable=True
        )

    def current_households(self, identities):
        """{identity: the code of the household its resident is in}, for the
        town's residents with these identities (``identities_of``'s pairs),
        a query per ten thousand."""
        found = {}
        for kind, column in (("nia", "nia"), ("doc", "document_number")):
            values = sorted(value for k, value in identities if k == kind)
            for start in range(0, len(values), 10 * BATCH_SIZE):
                self.env.cr.execute(
                    SQL(
                        "SELECT p.%s, h.name FROM res_partner p "
                        "JOIN confirma_household h ON h.id = p.household_id "
                        "WHERE p.company_id = %s AND p.%s = ANY(%s)",
                        SQL.identifier(column),
                        self.company.id,
                        SQL.identifier(column),
                        values[start : start + 10 * BATCH_SIZE],
                    )
                )
                found.update(((kind, v), code) for v, code in self.env.cr.fetchall())
        return found

    @staticmethod
    def parse_batch(items):
        """The records of a batch, as the file's reading left them (``[[line,
        key, parsed], ...]``, see ``ine_h.dump``; a batch queued by an
        earlier version holds ``[line, text]``, parsed again):
        ``[(variation, key), ...]``."""
        return [
            (ine_h.load(item[2]), item[1])
            if len(item) == 3
            else (ine_h.parse_record(item[0], item[1]), change_key(item[1]))
            for item in items
        ]

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
                    reports.append((item[0].line, identity_of(item[0]), message))
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
            for kind, value in identities_of(variation):
                (nias if kind == "nia" else docs).add(value)
        existing = read_rows(
            self.partners,
            [
                ("company_id", "=", company),
                "|",
                ("nia", "in", list(nias)),
                ("document_number", "in", list(docs)),
            ],
            COMPARED,
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
                    (variation.line, identity_of(variation), error.render(self.lang))
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
                to_create.append(vals)
                create_events.append(event)
                continue
            event["partner_id"] = current["id"]
            events.append(event)
        # the residents of the batch share one prefetch: what the writes read
        # (households, the constraints' fields) is fetched once for them all
        prefetch = [r["id"] for r in existing]
        self.partners.with_prefetch(prefetch)._write_many(
            [(ids, dict(changed)) for changed, ids in writes.items()]
        )
        if deregister:
            self.partners.with_prefetch(prefetch)._deregister_many(deregister)
        if to_create:
            created = self._create(to_create)
            self.created += len(created)
            for event, partner_id in zip(create_events, created.ids, strict=True):
                event["partner_id"] = partner_id
            events += create_events
        if events:
            # set-based, as new residents are (kind_code: the kind's, given)
            defaults = stored_defaults(self.Event)
            rows = [
                dict(defaults, **event, kind_code=self.kind_codes[event["kind_id"]])
                for event in events
            ]
            recorded = bulk.insert(self.Event, rows, given=("kind_code",))
            self.events += len(recorded)
            recorded._log_on_residents(rows)
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
        if (
            current
            and variation.code == "M"
            and variation.event not in ADDRESS_EVENTS
            and current["household_id"] == vals["household_id"]
        ):
            # a change that is not about the address (personal data, a
            # renewal) carries INE's copy of it: if the resident did not
            # move, the town's own address stays (its street as its padrón
            # writes it, with floor and door)
            for name in ADDRESS_FIELDS:
                del vals[name]
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
