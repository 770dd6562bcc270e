# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Set-based creation and update: a batch of new records in one INSERT,
a batch of records each with its own changes in one pass, the ORM's
invariants kept.

``create()`` works out each new record in Python (defaults, cache, stored
computed fields, one record at a time): about 2.5 ms per resident, most of a
padrón import's time. The first import of a city creates millions of
residents; ``insert`` writes a batch with one ``INSERT … SELECT`` from a
JSON array instead.

Kept, as ``create()`` keeps them:

- access rights to create, then the record rules on the new records;
- SQL constraints and every index (the rows go into the real table);
- the Python constraints of the fields written, and company consistency;
- stored computed fields: those the caller gives (``given``) as given (it
  works them out set-based, see ``ResidentWriter``), every other one
  computed by the ORM at the next flush, in one batch;
- fields of other records that depend on the new ones (a household's size)
  marked for recomputation, as ``create()`` marks them;
- the one2many fields of the new records' many2one values, where they are in
  the cache (a resident's padrón history, a mailing's traces).

Skipped: ``create()`` overrides (the caller runs what they do, see
``res.partner._confirma_residents_created``), mail tracking and the chatter's
creation message (imports run with ``tracking_disable`` anyway), inverse
methods (no field with one may be given) and audit-log rules on creation.

``write`` does for many records, each group with its own values, what the
core of ``write()`` (``BaseModel.write``) does for one group: access rights
and record rules, field access, the cache and the pending UPDATEs (flushed
as ``write()``'s are, grouped by columns), stored computed fields that
depend on the values (on the old and the new side of a relation) marked
for recomputation, Python constraints and company consistency. It calls no
``write()`` override: the caller runs what they do (see
``res.partner._write_many``, which uses it only when it knows every
override on the model).
"""

import datetime
import json
from collections import defaultdict
from itertools import chain

from psycopg2.extras import Json

from odoo.models import LOG_ACCESS_COLUMNS
from odoo.tools import SQL


def reserve_ids(model, count):
    """``count`` new ids of ``model``'s table, from its own sequence (a
    record may then refer to itself, as ``commercial_partner_id`` does)."""
    if not count:
        return []
    model.env.cr.execute(
        SQL(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
            "FROM generate_series(1, %s)",
            model._table,
            count,
        )
    )
    return [row[0] for row in model.env.cr.fetchall()]


def _column_types(model):
    model.env.cr.execute(
        SQL(
            "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
            model._table,
        )
    )
    return dict(model.env.cr.fetchall())


def _json_default(value):
    """What ``json.dumps`` cannot write itself: dates, JSON columns."""
    if isinstance(value, Json):
        return value.adapted
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    raise ValueError(f"{type(value).__name__} values are not inserted in bulk")


def _empty(value):
    """An x2many value that links nothing (a default such as ``[]``)."""
    return not value or all(
        isinstance(command, list | tuple) and command[0] == 6 and not command[2]
        for command in value
    )


def _columns(model, vals_list, given):
    """The columns ``vals_list`` writes, and the fields it leaves empty that
    have no column (removed from the dicts); ValueError for anything the
    INSERT cannot write as ``create()`` would."""
    columns, skipped = set(), set()
    for vals in vals_list:
        for name in list(vals):
            field = model._fields[name]
            if not field.store or field.inherited:
                raise ValueError(f"{model._name}.{name} is not a stored field")
            if field.inverse and name not in given:
                raise ValueError(f"{model._name}.{name} has an inverse method")
            if field.column_type:
                columns.add(name)
            elif _empty(vals[name]):
                # an empty x2many default, an image left empty
                skipped.add(name)
                del vals[name]
            else:
                raise ValueError(f"{model._name}.{name} is not written in bulk")
    if "id" in columns and not all(vals.get("id") for vals in vals_list):
        raise ValueError("either every record or none is given an id")
    return columns, skipped


def _update_inverses(records, vals_list, columns):
    """The new records join the one2many fields of their many2one values
    (a household's members, a mailing's traces) where those are in the
    cache, as ``create()`` adds them (the others are read afresh anyway)."""
    model = records.browse()
    cache = model.env.cache
    fields = [
        model._fields[name]
        for name in columns
        if name in model._fields
        and model._fields[name].type == "many2one"
        and model.pool.field_inverses[model._fields[name]]
    ]
    inverses = defaultdict(list)
    for record_id, vals in zip(records._ids, vals_list, strict=True):
        for field in fields:
            if vals.get(field.name):
                inverses[(field, vals[field.name])].append(record_id)
    for (field, value), ids in inverses.items():
        corecord = model.env[field.comodel_name].browse(value)
        if any(
            cache.get(corecord, inverse, None) is not None
            for inverse in model.pool.field_inverses[field]
        ):
            # an inverse with a domain reads the new records: all of them at
            # once (one query for the batch, not one per household)
            field._update_inverses(model.browse(ids).with_prefetch(records._ids), value)


def insert(model, vals_list, given=()):
    """Create records of ``model`` from ``vals_list`` with one INSERT.

    Each dict holds every stored value of its record: defaults (see
    ``default_get``), an ``id`` from ``reserve_ids`` if wanted, and the
    stored computed fields named in ``given``. Returns the new records.
    """
    if not vals_list:
        return model.browse()
    env = model.env
    if model._parent_store or model._inherits:
        raise ValueError(f"{model._name}: parent_store and _inherits not supported")
    model.check_access("create")
    given = set(given)
    columns, skipped = _columns(model, vals_list, given)
    if model._log_access:
        now = env.cr.now().isoformat()
        log = {
            "create_uid": env.uid,
            "create_date": now,
            "write_uid": env.uid,
            "write_date": now,
        }
        columns.update(LOG_ACCESS_COLUMNS)
    else:
        log = {}
    columns = sorted(columns)
    types = _column_types(model)
    convert = {
        name: model._fields[name].convert_to_column_insert
        for name in columns
        if name != "id"
    }
    rows = []
    for vals in vals_list:
        row = dict(log)
        for name, value in vals.items():
            row[name] = convert[name](value, model, vals) if name in convert else value
        rows.append(row)
    env.cr.execute(
        SQL(
            "INSERT INTO %s (%s) SELECT %s FROM jsonb_to_recordset(%s::jsonb) "
            "AS r(%s) RETURNING id",
            SQL.identifier(model._table),
            SQL(", ").join(map(SQL.identifier, columns)),
            SQL(", ").join(SQL.identifier("r", name) for name in columns),
            json.dumps(rows, ensure_ascii=False, default=_json_default),
            SQL(", ").join(
                SQL("%s %s", SQL.identifier(name), SQL(types[name])) for name in columns
            ),
        )
    )
    records = model.browse(row[0] for row in env.cr.fetchall())
    _update_inverses(records, vals_list, columns)
    # what the INSERT wrote is not computed again; the rest is, by the ORM
    protected = {model._fields[name] for name in given | skipped}
    for field in list(protected):
        protected.update(model.pool.field_computed.get(field, [field]))
    with env.protecting(protected, records):
        records.modified(columns, create=True)
        for field in model._fields.values():
            if field.store and field.compute and field not in protected:
                env.add_to_compute(field, records)
    records._validate_fields(columns)
    if model._check_company_auto:
        records._check_company()
    records.check_access("create")
    return records


def write(model, groups):
    """Write ``groups`` (``[(ids, vals)]``: ``vals`` on the records ``ids``)
    as ``BaseModel.write`` would, group by group, its once-per-call work done
    once per set of field names instead. Stored fields with a column only:
    no x2many, no inverse, no translated or company-dependent field (as
    ``insert``). Returns the records written.

    The records keep ``model``'s prefetch: give it the batch's ids
    (``with_prefetch``) so that what the constraints and recomputations read
    is read for all of them at once.
    """
    env = model.env
    by_names = defaultdict(list)
    for ids, vals in groups:
        if ids and vals:
            by_names[frozenset(vals)].append((ids, vals))
    every = tuple(
        dict.fromkeys(chain.from_iterable(i for g in by_names.values() for i, _v in g))
    )
    if not every:
        return model.browse()
    # one prefetch for all: the caller's (the batch), or every record written
    prefetch = model._prefetch_ids or every

    def browse(ids):
        return model.browse(ids).with_prefetch(prefetch)

    written = browse(every)
    written.check_access("write")
    now = env.cr.now()
    log = {"write_uid": env.uid, "write_date": now} if model._log_access else {}
    for names, parts in by_names.items():
        records = browse(dict.fromkeys(chain.from_iterable(i for i, _v in parts)))
        model.check_field_access_rights("write", list(names))
        fields = [model._fields[name] for name in names]
        for field in fields:
            if not field.store or not field.column_type or field.inherited:
                raise ValueError(f"{model._name}.{field.name} is not a stored column")
            if field.inverse or field.translate or field.company_dependent:
                raise ValueError(f"{model._name}.{field.name} is not written in bulk")
        relational = [f.name for f in fields if model.pool.is_modifying_relations(f)]
        protected = set()
        for field in fields:
            if field.compute and not field.readonly:
                protected.update(model.pool.field_computed.get(field, [field]))
        to_compute = [f.name for f in protected if f.compute and f.name not in names]
        if to_compute:
            records._recompute_recordset(to_compute)
        with env.protecting(protected, records):
            records.modified(relational, before=True)
            for ids, vals in parts:
                part = browse(ids)
                values = [(model._fields[name], value) for name, value in vals.items()]
                values += [(model._fields[name], value) for name, value in log.items()]
                for field, value in sorted(values, key=lambda i: i[0].write_sequence):
                    field.write(part, value)
            records.modified([*names, *log])
            records._validate_fields(names)
        if model._check_company_auto and any(
            f.name == "company_id" or (f.relational and f.check_company) for f in fields
        ):
            records._check_company()
    return written
