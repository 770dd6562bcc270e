# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The INE habitants variation file (fichero H), record by record.

Fixed-width records of 554 characters, as INE's *Diseños de registro de los
ficheros de intercambio INE-Ayuntamientos* (March 2015), section 7 "Relación
de Habitantes", lays them out: the person's identification before the
change, control data (date, code and cause of the change, and INE's
rejection when the file comes back), then the dwelling and the person after
the change. Numbers are zero-padded, dates ``AAAAMMDD``, a missing value is
blank. No ORM here: ``parse_record`` turns one line into a ``Variation`` or
raises ``RowError`` with the reason.
"""

import datetime
from dataclasses import dataclass, field, fields

from odoo.tools.translate import LazyTranslate

from . import identity, ine_codes
from .layout import RowError

_lt = LazyTranslate(__name__)

#: INE writes the exchange files in ISO-8859-1 (Ñ, accented vowels, Ç).
ENCODING = "latin-1"
RECORD_LENGTH = 554

_PERSON = (
    ("NOMB", 20),
    ("PART1", 6),
    ("APE1", 25),
    ("PART2", 6),
    ("APE2", 25),
)
_DOCUMENT = (
    ("TIDEN", 1),
    ("LEXTR", 1),
    ("IDEN", 8),
    ("LIDEN", 1),
    ("NDOCU", 20),
)
#: (section, field, length), in record order. Sections: "id" the person as
#: INE knew it before the change, "ctl" the control data, "new" the dwelling
#: and the person after the change.
LAYOUT = (
    ("id", "CPRO", 2),
    ("id", "CMUN", 3),
    *(("id", name, size) for name, size in _PERSON),
    ("id", "CPRON", 2),
    ("id", "CMUNN", 3),
    ("id", "FNAC", 8),
    *(("id", name, size) for name, size in _DOCUMENT),
    ("id", "NIA", 15),
    ("id", "NIE", 11),
    ("ctl", "TIPOINF", 1),
    ("ctl", "CDEV", 2),
    ("ctl", "FVAR", 8),
    ("ctl", "CVAR", 1),
    ("ctl", "CAUV", 2),
    ("new", "DIST", 2),
    ("new", "SECC", 3),
    ("new", "LSECC", 1),
    ("new", "CUN", 7),
    ("new", "NENTCOC", 25),
    ("new", "NENTSIC", 25),
    ("new", "NNUCLEC", 25),
    ("new", "CVIA", 5),
    ("new", "TVIA", 5),
    ("new", "NVIAC", 25),
    ("new", "CPSVIA", 5),
    ("new", "DPSVIA", 50),
    ("new", "TINUM", 1),
    ("new", "NUMER", 4),
    ("new", "CNUMER", 1),
    ("new", "NUMERS", 4),
    ("new", "CNUMERS", 1),
    ("new", "KMT", 3),
    ("new", "HMT", 1),
    ("new", "BLOQ", 2),
    ("new", "PORT", 2),
    ("new", "ESCA", 2),
    ("new", "PLAN", 3),
    ("new", "PUER", 4),
    ("new", "TLOC", 1),
    ("new", "NIA", 15),
    ("new", "NHOP", 10),
    ("new", "NIE", 11),
    *(("new", name, size) for name, size in _PERSON),
    ("new", "SEXO", 1),
    ("new", "CPRON", 2),
    ("new", "CMUNN", 3),
    ("new", "FNAC", 8),
    *(("new", name, size) for name, size in _DOCUMENT),
    ("new", "CNES", 2),
    ("new", "NACI", 3),
    ("new", "PRDP", 2),
    ("new", "MUDP", 3),
    ("new", "CODP", 3),
)


def _offsets():
    offsets, position = {}, 0
    for section, name, size in LAYOUT:
        offsets[(section, name)] = (position, position + size)
        position += size
    assert position == RECORD_LENGTH, position
    return offsets


OFFSETS = _offsets()

#: CVAR -> the causes (CAUV) it admits, and the padrón event each means.
CAUSES = {
    "A": {"OM": "omission", "CR": "arrival", "NA": "birth"},
    "B": {
        "DE": "death",
        "II": "wrong_inclusion",
        "DU": "duplicate",
        "CR": "departure",
        "BC": "expiry",
    },
    "M": {
        "PE": "personal_data",
        "RD": "recoding",
        "CD": "address_change",
        "RN": "renewal",
        "CO": "residence_confirmation",
    },
}
#: Province code of places abroad: the municipality field holds the country.
ABROAD = "66"
SEX = {"1": "male", "6": "female"}
#: Given name written when a passport has none, or a foster minor's is kept.
NO_NAME = ("SIN NOMBRE", "NO CONSTA")
SPAIN = "108"


#: INE country code (NACI, and the municipality of places abroad) -> ISO 3166.
COUNTRIES = {code: iso for code, (iso, _name) in ine_codes.COUNTRIES.items()}


@dataclass
class Person:
    """A person as one part of a record describes them."""

    nia: str | None = None
    first_name: str | None = None
    surname1: str | None = None
    surname2: str | None = None
    birthdate: datetime.date | None = None
    document_type: str | None = None
    document_number: str | None = None
    sex: str | None = None
    nationality: str | None = None  # ISO code
    birth_province: str | None = None
    birth_place: str | None = None  # INE municipality, or ISO country abroad
    education: str | None = None  # CNES


@dataclass
class Variation:
    """One record of an H file: a change to one person of the padrón."""

    line: int
    date: datetime.date
    code: str  # CVAR: A, B, M
    cause: str  # CAUV
    event: str  # what the change means (birth, death, address_change…)
    province: str
    municipality: str
    before: Person
    after: Person
    household_code: str | None = None
    district: str | None = None
    section: str | None = None
    street: str | None = None
    place_from_to: str | None = None  # PRDP+MUDP, or ISO country abroad
    rejected: bool = False  # TIPOINF R: INE refused the record
    rejection_code: str | None = None  # CDEV
    completed_by_ine: bool = False  # TIPOINF C
    extra: dict = field(default_factory=dict)


def split(line):
    """{(section, field): text stripped of padding} for one record."""
    if len(line) > RECORD_LENGTH and line[RECORD_LENGTH:].strip():
        raise RowError(
            _lt("the record is %(length)s characters long, not %(expected)s"),
            length=len(line),
            expected=RECORD_LENGTH,
        )
    line = line.ljust(RECORD_LENGTH)
    return {key: line[start:end].strip() for key, (start, end) in OFFSETS.items()}


def _date(text, name):
    """A YYYYMMDD field as a date (None when blank or zeros).

    >>> _date("20261003", "FVAR"), _date("00000000", "FNAC")
    (datetime.date(2026, 10, 3), None)
    """
    if not text or set(text) == {"0"}:
        return None
    try:
        # slicing, not strptime: four times quicker, and a month of
        # variations has some 200,000 dates
        if len(text) != 8 or not text.isdigit():
            raise ValueError(text)
        return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise RowError(
            _lt("impossible date in %(field)s: '%(value)s'"), field=name, value=text
        ) from None


def _surname(particle, surname):
    return " ".join(part for part in (particle, surname) if part) or None


def _document(values, section):
    """(type, number) from TIDEN, LEXTR + IDEN + LIDEN and NDOCU."""
    kind = values[(section, "TIDEN")]
    letter = values[(section, "LEXTR")]
    digits = values[(section, "IDEN")]
    check = values[(section, "LIDEN")]
    other = identity.normalize(values[(section, "NDOCU")])
    if kind in ("", "0"):
        return None, None
    if kind == "1":
        number = f"{int(digits):08d}{check}" if digits.isdigit() else ""
        if not identity.is_valid("dni", number):
            raise RowError(
                _lt("invalid DNI: %(number)s"), number=f"{digits}{check}" or "-"
            )
        return "dni", number
    if kind == "3" and letter:
        # the padrón keeps a NIE as a letter and 8 zero-padded digits
        number = f"{letter}{digits[-7:]}{check}" if digits.isdigit() else ""
        if (digits and digits[0] != "0") or not identity.is_valid("nie", number):
            raise RowError(
                _lt("invalid NIE: %(number)s"),
                number=f"{letter}{digits}{check}" or "-",
            )
        return "nie", number
    if kind in ("2", "3"):
        number = other or (f"{letter}{digits}{check}" if digits else "")
        if not number:
            raise RowError(_lt("document type %(type)s without a number"), type=kind)
        return "passport", number
    raise RowError(_lt("unknown document type (TIDEN) '%(value)s'"), value=kind)


def _country(code, what):
    if code not in COUNTRIES:
        raise RowError(
            _lt("unknown INE country code %(code)s in %(field)s"), code=code, field=what
        )
    return COUNTRIES[code]


def _person(values, section):
    first = values[(section, "NOMB")]
    document_type, number = _document(values, section)
    person = Person(
        nia=values[(section, "NIA")] or None,
        first_name=None if first in NO_NAME else first or None,
        surname1=_surname(values[(section, "PART1")], values[(section, "APE1")]),
        surname2=_surname(values[(section, "PART2")], values[(section, "APE2")]),
        birthdate=_date(values[(section, "FNAC")], "FNAC"),
        document_type=document_type,
        document_number=number,
    )
    province = values[(section, "CPRON")]
    place = values[(section, "CMUNN")]
    if province:
        person.birth_province = province
        person.birth_place = _country(place, "CMUNN") if province == ABROAD else place
    if section == "new":
        sex = values[("new", "SEXO")]
        if sex not in SEX:
            raise RowError(_lt("unknown sex code '%(value)s'"), value=sex)
        person.sex = SEX[sex]
        naci = values[("new", "NACI")]
        if not naci:
            raise RowError(_lt("the nationality (NACI) is missing"))
        person.nationality = _country(naci, "NACI")
        person.education = values[("new", "CNES")] or None
        if values[("new", "NOMB")] == "SIN NOMBRE" and (
            naci == SPAIN or values[("new", "TIDEN")] != "2"
        ):
            raise RowError(
                _lt("SIN NOMBRE is only for foreigners identified by a passport")
            )
    return person


def _street(values):
    parts = [
        values[("new", "TVIA")],
        values[("new", "NVIAC")] or values[("new", "DPSVIA")],
    ]
    number = values[("new", "NUMER")].lstrip("0")
    if number:
        parts.append(number + values[("new", "CNUMER")])
    for name, label in (("BLOQ", "Bl."), ("PORT", "Pt."), ("ESCA", "Esc.")):
        if values[("new", name)]:
            parts.append(f"{label} {values[('new', name)]}")
    floor_door = "-".join(
        v for v in (values[("new", "PLAN")], values[("new", "PUER")]) if v
    )
    if floor_door:
        parts.append(floor_door)
    return " ".join(p for p in parts if p) or None


def parse_record(line_no, line):
    """One line of an H file as a ``Variation``; ``RowError`` if refused."""
    values = split(line.rstrip("\r\n"))
    code = values[("ctl", "CVAR")]
    cause = values[("ctl", "CAUV")]
    if code not in CAUSES:
        raise RowError(_lt("unknown variation code (CVAR) '%(value)s'"), value=code)
    if cause not in CAUSES[code]:
        raise RowError(
            _lt("cause %(cause)s does not go with variation code %(code)s"),
            cause=cause or "-",
            code=code,
        )
    date = _date(values[("ctl", "FVAR")], "FVAR")
    if not date:
        raise RowError(_lt("the date of the change (FVAR) is missing"))
    # A: only the new data; B: only the identification; M: both
    before = _person(values, "id") if code in ("B", "M") else Person()
    after = _person(values, "new") if code in ("A", "M") else Person()
    if code in ("B", "M") and not (before.nia or values[("id", "NIA")]):
        if not before.document_number:
            raise RowError(_lt("the person to change has neither NIA nor document"))
    if code in ("A", "M") and not after.nia:
        raise RowError(_lt("the NIA of the person is missing"))
    tipoinf = values[("ctl", "TIPOINF")]
    origin_province = values[("new", "PRDP")]
    origin = None
    if origin_province == ABROAD:
        origin = _country(values[("new", "MUDP")], "MUDP")
    elif origin_province:
        origin = origin_province + values[("new", "MUDP")]
    event = CAUSES[code][cause]
    if code == "A" and cause == "CR" and origin_province == ABROAD:
        event = "arrival_abroad"
    if code == "B" and cause == "CR" and origin_province == ABROAD:
        event = "departure_abroad"
    return Variation(
        line=line_no,
        date=date,
        code=code,
        cause=cause,
        event=event,
        province=values[("id", "CPRO")],
        municipality=values[("id", "CMUN")],
        before=before,
        after=after,
        household_code=values[("new", "NHOP")] or None,
        district=values[("new", "DIST")] or None,
        section=values[("new", "SECC")] or None,
        street=_street(values) if code in ("A", "M") else None,
        place_from_to=origin,
        rejected=tipoinf == "R",
        rejection_code=values[("ctl", "CDEV")] or None,
        completed_by_ine=tipoinf == "C",
    )


def _plain(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def dump(variation):
    """A parsed record as JSON-ready values (a list), for the job that
    applies it: read back with ``load``, not parsed again.

    >>> line = format_record({("ctl", "CVAR"): "A", ("ctl", "CAUV"): "NA",
    ...     ("ctl", "FVAR"): datetime.date(2026, 2, 3), ("new", "NIA"): "0001",
    ...     ("new", "SEXO"): "1", ("new", "NACI"): "108",
    ...     ("new", "FNAC"): datetime.date(2026, 2, 1)})
    >>> import json
    >>> variation = parse_record(7, line)
    >>> load(json.loads(json.dumps(dump(variation)))) == variation
    True
    """
    row = []
    for name in _VARIATION_FIELDS:
        value = getattr(variation, name)
        if isinstance(value, Person):
            value = [_plain(getattr(value, n)) for n in _PERSON_FIELDS]
        row.append(_plain(value))
    return row


def load(row):
    """The ``Variation`` that ``dump`` wrote."""
    values = dict(zip(_VARIATION_FIELDS, row, strict=True))
    for side in ("before", "after"):
        person = dict(zip(_PERSON_FIELDS, values[side], strict=True))
        if person["birthdate"]:
            person["birthdate"] = datetime.date.fromisoformat(person["birthdate"])
        values[side] = Person(**person)
    values["date"] = datetime.date.fromisoformat(values["date"])
    return Variation(**values)


_PERSON_FIELDS = [f.name for f in fields(Person)]
_VARIATION_FIELDS = [f.name for f in fields(Variation)]


def read_records(binary):
    """Stream ``(line_number, text)`` from an H file (bytes, file object)."""
    data = binary if isinstance(binary, bytes) else binary.read()
    for number, line in enumerate(data.decode(ENCODING).splitlines(), 1):
        if line.strip():
            yield number, line


# ---- writing (tests, demo and the generator) --------------------------------------
def format_record(values):
    """A record from ``{(section, field): value}``: numbers zero-padded, text
    padded with blanks, missing fields blank."""
    out = []
    for section, name, size in LAYOUT:
        value = values.get((section, name))
        if value is None or value == "":
            out.append(" " * size)
        elif isinstance(value, int):
            out.append(f"{value:0{size}d}")
        elif isinstance(value, datetime.date):
            out.append(value.strftime("%Y%m%d"))
        else:
            text = str(value)
            if len(text) > size:
                raise ValueError(f"{name}: '{text}' is longer than {size}")
            out.append(text.ljust(size))
    return "".join(out)
