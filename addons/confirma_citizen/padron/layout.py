# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The padrón import layout: columns, file reading and row validation.

No ORM: ``read_rows`` streams a CSV or XLSX file as
``(line_number, {column: text})``; ``parse_row`` turns one into clean values or
raises ``RowError`` with a reason. The documented layout is in
readme/USAGE.md; a saved column mapping renames a municipality's own headers
to these columns.
"""

import csv
import datetime
import hashlib
import io
import itertools
import re

from odoo.tools.translate import LazyTranslate

from . import identity

_lt = LazyTranslate(__name__)

#: The columns of the import layout, in file order. first_name and surname1
#: are required, and document_number or nia (the town hall's person number,
#: for residents without a document, such as young children) identifies the
#: resident.
COLUMNS = (
    "nia",
    "document_type",
    "document_number",
    "first_name",
    "surname1",
    "surname2",
    "birthdate",
    "sex",
    "nationality",
    "registration_date",
    "household_code",
    "household_relation",
    "street",
    "zip",
    "city",
    "district",
    "section",
    "email",
    "mobile",
    "phone",
    "preferred_language",
    "preferred_channel",
    "data_opposition",
    "data_opposition_date",
    "renewal_date",
)
REQUIRED = ("first_name", "surname1")
RELATIONS = ("holder", "partner", "child", "parent", "other")
CHANNELS = ("email", "sms", "post", "notification")
_SEX = {
    "male": "male",
    "m": "male",
    "h": "male",
    "v": "male",
    "1": "male",
    "hombre": "male",
    "home": "male",
    "varón": "male",
    "varon": "male",
    "female": "female",
    "f": "female",
    "6": "female",
    "2": "female",
    "mujer": "female",
    "dona": "female",
}
_RELATION = {
    "holder": "holder",
    "titular": "holder",
    "partner": "partner",
    "spouse": "partner",
    "conyuge": "partner",
    "cónyuge": "partner",
    "pareja": "partner",
    "parella": "partner",
    "child": "child",
    "hijo": "child",
    "hija": "child",
    "fill": "child",
    "filla": "child",
    "parent": "parent",
    "padre": "parent",
    "madre": "parent",
    "pare": "parent",
    "mare": "parent",
    "other": "other",
    "otro": "other",
    "otra": "other",
    "altre": "other",
}
_TRUE = {"1", "true", "yes", "si", "sí", "s", "y", "x"}
_FALSE = {"", "0", "false", "no", "n"}


class RowError(ValueError):
    """A row that cannot be imported: a translatable reason and its values."""

    def __init__(self, message, **params):
        super().__init__(message, params)
        self.message = message
        self.params = params

    def render(self, lang=None):
        """The reason in ``lang`` (the untranslated English text without one)."""
        template = self.message
        if hasattr(template, "_translate"):
            template = template._translate(lang) if lang else template._source
        return template % self.params

    def __str__(self):
        return self.render()


#: The usual shape of a date in a padrón file (read without strptime).
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(text, field):
    """A date written as 2024-03-01, 01/03/2024, 20240301 or 01-03-2024.

    >>> parse_date("2024-03-01", "birthdate"), parse_date("01/03/2024", "birthdate")
    (datetime.date(2024, 3, 1), datetime.date(2024, 3, 1))
    >>> try:
    ...     parse_date("2024-02-30", "birthdate")
    ... except RowError as error:
    ...     print(error)
    impossible date in birthdate: '2024-02-30'
    """
    text = (text or "").strip()
    if not text:
        return None
    if _ISO_DATE.fullmatch(text):
        try:
            value = datetime.date.fromisoformat(text)
        except ValueError:
            value = None
        if value and value.year >= 1880:
            return value
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y%m%d", "%d-%m-%Y"):
        try:
            value = datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if value.year < 1880:
            break
        return value
    raise RowError(
        _lt("impossible date in %(field)s: '%(value)s'"), field=field, value=text
    )


def parse_row(raw, today=None):
    """Validate and normalise one row: a dict of clean values, or RowError."""
    row = {key: (raw.get(key) or "").strip() for key in COLUMNS}
    for key in REQUIRED:
        if not row[key]:
            raise RowError(_lt("%(column)s is empty"), column=key)
    values = dict(row)
    values.update(_parse_identity(row))
    values.update(_parse_dates(row, today or datetime.date.today()))
    values.update(_parse_codes(row))
    values.update(_parse_contact(row))
    return values


def _parse_identity(row):
    number = identity.normalize(row["document_number"])
    nia = row["nia"].upper()
    if not number and not nia:
        raise RowError(_lt("document_number and nia are both empty"))
    doc_type = ""
    if number:
        doc_type = row["document_type"].lower() or identity.guess_type(number)
        if doc_type in ("pasaporte", "passaport"):
            doc_type = "passport"
        if doc_type not in identity.DOCUMENT_TYPES:
            raise RowError(
                _lt("unknown document type '%(value)s'"), value=row["document_type"]
            )
        if not identity.is_valid(doc_type, number):
            raise RowError(
                _lt("invalid %(type)s '%(value)s'"),
                type=doc_type.upper(),
                value=row["document_number"],
            )
    return {"document_type": doc_type, "document_number": number, "nia": nia}


def _parse_dates(row, today):
    values = {}
    for key in (
        "birthdate",
        "registration_date",
        "data_opposition_date",
        "renewal_date",
    ):
        values[key] = parse_date(row[key], key)
        if values[key] and values[key] > today:
            raise RowError(
                _lt("impossible date in %(field)s: '%(value)s' is in the future"),
                field=key,
                value=row[key],
            )
    born, registered = values["birthdate"], values["registration_date"]
    if born and registered and registered < born:
        raise RowError(_lt("registration_date is before birthdate"))
    return values


def _lookup(table, row, key, message):
    text = row[key]
    if not text:
        return ""
    value = table.get(text.lower())
    if not value:
        raise RowError(message, value=text)
    return value


_CHANNEL = {c: c for c in CHANNELS}
_LANGUAGE = {"es": "es", "ca": "ca", "va": "ca", "val": "ca"}
_UNKNOWN_SEX = _lt("unknown sex '%(value)s'")
_UNKNOWN_RELATION = _lt("unknown household relation '%(value)s'")
_UNKNOWN_CHANNEL = _lt("unknown preferred_channel '%(value)s'")
_UNKNOWN_LANGUAGE = _lt("preferred_language must be es or ca: '%(value)s'")


def _parse_codes(row):
    values = {
        "sex": _lookup(_SEX, row, "sex", _UNKNOWN_SEX),
        "household_relation": _lookup(
            _RELATION, row, "household_relation", _UNKNOWN_RELATION
        ),
        "preferred_channel": _lookup(
            _CHANNEL, row, "preferred_channel", _UNKNOWN_CHANNEL
        ),
        "preferred_language": _lookup(
            _LANGUAGE, row, "preferred_language", _UNKNOWN_LANGUAGE
        ),
    }
    if not values["household_relation"] and row["household_code"]:
        values["household_relation"] = "other"
    if row["nationality"] and not re.match(r"^[A-Za-z]{2}$", row["nationality"]):
        raise RowError(
            _lt("nationality must be a two-letter ISO country code: '%(value)s'"),
            value=row["nationality"],
        )
    values["nationality"] = row["nationality"].upper()
    return values


def _parse_contact(row):
    flag = row["data_opposition"].lower()
    if flag not in _TRUE | _FALSE:
        raise RowError(
            _lt("data_opposition must be 0 or 1: '%(value)s'"),
            value=row["data_opposition"],
        )
    if row["email"] and "@" not in row["email"]:
        raise RowError(_lt("invalid email '%(value)s'"), value=row["email"])
    return {"data_opposition": flag in _TRUE, "email": row["email"].lower()}


def row_key(values):
    """The identity of a row: its document number, else its NIA."""
    return values["document_number"] or f"NIA:{values['nia']}"


def row_hash(values):
    """A digest of the clean values: equal digests mean an unchanged row."""
    text = "\x1f".join(str(values.get(key) or "") for key in COLUMNS)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def raw_hash(raw):
    """A digest of a row as read, before it is checked: a row whose digest
    is the one its resident kept from the last import is that same row,
    which need not be checked again. Spaces around a cell and columns
    outside the layout do not count.

    >>> raw_hash({"nia": " 7 ", "notes": "x"}) == raw_hash({"nia": "7"})
    True
    >>> raw_hash({"nia": "7"}) == raw_hash({"nia": "8"})
    False
    """
    text = "\x1f".join((raw.get(key) or "").strip() for key in COLUMNS)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def raw_identity(raw):
    """(document number, NIA) of a row as read, normalised as checking
    would: what finds its resident before the row is checked.

    >>> raw_identity({"document_number": " 12.345.678-z", "nia": "a1 "})
    ('12345678Z', 'A1')
    """
    return (
        identity.normalize(raw.get("document_number") or ""),
        (raw.get("nia") or "").strip().upper(),
    )


# ---------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------


def _decode_lines(binary, encoding):
    wrapper = io.TextIOWrapper(binary, encoding=encoding, newline="")
    first = wrapper.readline()
    if first.startswith("\ufeff"):
        first = first[1:]
    yield first
    yield from wrapper


def read_rows(binary, filename, mapping=None, delimiter=None, encoding="utf-8"):
    """Stream ``(line_number, row)`` from a CSV or XLSX file object.

    ``mapping`` renames file headers to layout columns ({header: column});
    headers are matched case-insensitively. Rows come one at a time, so
    memory stays flat whatever the size of the file.
    """
    mapping = {k.strip().lower(): v for k, v in (mapping or {}).items()}
    if filename.lower().endswith((".xlsx", ".xlsm")):
        rows = _xlsx_rows(binary)
    else:
        lines = _decode_lines(binary, encoding)
        first = next(lines, "")
        if not delimiter:
            delimiter = ";" if first.count(";") > first.count(",") else ","
        rows = csv.reader(itertools.chain([first], lines), delimiter=delimiter)
    header = next(rows, None)
    if not header:
        return
    columns = []
    for name in header:
        key = (name or "").strip().lower()
        columns.append(mapping.get(key, key))
    unknown = [c for c in columns if c and c not in COLUMNS]
    if unknown and not set(columns) & set(REQUIRED):
        raise RowError(
            _lt(
                "the header has none of the layout's columns (unknown: %(columns)s); "
                "choose a column mapping"
            ),
            columns=", ".join(unknown[:5]),
        )
    for line, values in enumerate(rows, start=2):
        if not any((v or "").strip() for v in values if isinstance(v, str)) and not any(
            v for v in values if not isinstance(v, str)
        ):
            continue
        yield (
            line,
            {
                column: value if value.__class__ is str else _cell(value)
                for column, value in zip(columns, values, strict=False)
                if column in COLUMNS
            },
        )


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(binary):
    from openpyxl import load_workbook  # noqa: PLC0415 - optional, heavy

    workbook = load_workbook(binary, read_only=True, data_only=True)
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield [_cell(v) for v in row]
    finally:
        workbook.close()
