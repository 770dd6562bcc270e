# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A month of padrón changes for the synthetic town, as an INE H file.

``generate_variations`` replays the synthetic population of ``synthetic``
(same residents, same seed) and writes what a town hall's padrón software
would send INE for one month: births into households with a mother of child-
bearing age, deaths among the elderly, arrivals from other municipalities and
from abroad, departures, moves within the town (whole households), personal
data changes (a child's first DNI, a naturalisation), ENCSARP renewals and
expiries, residence confirmations, omissions and the odd wrong inclusion or
duplicate. Rates are per 1,000 residents and month, roughly a Spanish
municipality's; ``count`` scales the same mix to a given number of records
(benchmarks). Pure Python, no ORM; deterministic for a seed and a month.
"""

import datetime
import random

from dateutil.relativedelta import relativedelta

from ..padron import ine_codes, ine_h
from .population import FOREIGN, _Population, generate_rows

#: Event -> changes per 1,000 residents and month; the changes that need a
#: particular resident (an ENCSARP foreigner, a mother) are drawn first.
RATES = {
    "renewal": 0.5,
    "expiry": 0.1,
    "residence_confirmation": 0.2,
    "birth": 0.6,
    "death": 0.75,
    "personal_data": 1.0,
    "arrival": 3.3,
    "arrival_abroad": 1.25,
    "omission": 0.1,
    "departure": 2.9,
    "departure_abroad": 0.4,
    "address_change": 4.2,
    "wrong_inclusion": 0.05,
    "duplicate": 0.02,
}
#: Event -> (CVAR, CAUV).
CODES = {
    event: (code, cause)
    for code, causes in ine_h.CAUSES.items()
    for cause, event in causes.items()
}
CODES.update(arrival_abroad=("A", "CR"), departure_abroad=("B", "CR"))
ISO_TO_INE = {iso: code for code, (iso, _name) in ine_codes.COUNTRIES.items() if iso}
#: Other municipalities people come from and go to (province, municipality).
PLACES = (
    ("46", "250"),
    ("46", "131"),
    ("03", "014"),
    ("12", "040"),
    ("28", "079"),
    ("08", "019"),
    ("46", "244"),
    ("46", "102"),
)
COUNTRIES_ABROAD = tuple(FOREIGN)
STREET_TYPES = {"Carrer": "CL", "Calle": "CL", "Avinguda": "AV", "Avenida": "AV"}
STREET_TYPES.update({"Plaça": "PZ", "Plaza": "PZ"})
BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _base36(number, width):
    digits = ""
    for _i in range(width):
        number, rest = divmod(number, 36)
        digits = BASE36[rest] + digits
    return digits


def _split_name(text, size):
    return (text or "")[:size]


def _document_fields(section, doc_type, number):
    """TIDEN, LEXTR, IDEN, LIDEN, NDOCU for a document, as INE wants them."""
    if doc_type == "dni":
        return {
            (section, "TIDEN"): "1",
            (section, "IDEN"): number[:8],
            (section, "LIDEN"): number[8],
        }
    if doc_type == "nie":
        return {
            (section, "TIDEN"): "3",
            (section, "LEXTR"): number[0],
            (section, "IDEN"): "0" + number[1:8],
            (section, "LIDEN"): number[8],
        }
    if doc_type == "passport":
        return {(section, "TIDEN"): "2", (section, "NDOCU"): number}
    return {(section, "TIDEN"): "0"}


def _person_fields(section, person):
    """The name, birth and document fields of one part of a record."""
    values = {
        (section, "NOMB"): _split_name(person["first_name"], 20),
        (section, "APE1"): _split_name(person["surname1"], 25),
        (section, "APE2"): _split_name(person.get("surname2"), 25),
        (section, "FNAC"): person["birthdate"],
        (section, "NIA"): person["nia"],
    }
    nationality = person["nationality"]
    if nationality == "ES":
        values[(section, "CPRON")], values[(section, "CMUNN")] = person.get(
            "birth_place", PLACES[0]
        )
    else:
        values[(section, "CPRON")] = ine_h.ABROAD
        values[(section, "CMUNN")] = ISO_TO_INE[nationality]
    values.update(
        _document_fields(section, person["document_type"], person["document_number"])
    )
    return values


class _Month:
    def __init__(self, residents, seed, month, reference_date):
        self.rows = [
            dict(row, birthdate=datetime.date.fromisoformat(row["birthdate"]))
            for row in generate_rows(residents, seed, reference_date)
        ]
        year, number = (int(part) for part in month.split("-"))
        self.first = datetime.date(year, number, 1)
        self.last = self.first + relativedelta(months=1, days=-1)
        self.rng = random.Random(f"{seed}-{month}")
        # newcomers are born before the month starts (a baby arrives after birth)
        self.pop = _Population(
            residents,
            seed * 7919 + year * 12 + number,
            self.first - datetime.timedelta(days=1),
        )
        self.pop.used_numbers.update(
            row["document_number"] for row in self.rows if row["document_number"]
        )
        self.used = set()
        self.pools = {}
        self.new_people = 0
        self.new_households = 0
        self.month_tag = f"{year % 100:02d}{number:02d}"
        self.month_index = (year % 5) * 12 + number
        self.households = {}
        for row in self.rows:
            self.households.setdefault(row["household_code"], []).append(row)

    # -- helpers ----------------------------------------------------------------
    def day(self):
        return self.first + datetime.timedelta(
            days=self.rng.randrange((self.last - self.first).days + 1)
        )

    def pick(self, pool, predicate=None):
        """A resident of ``pool`` not changed yet this month, or None. Each
        pool is shuffled once, then drawn from its end."""
        if pool not in self.pools:
            rows = [r for r in self.rows if predicate(r)] if predicate else self.rows[:]
            self.rng.shuffle(rows)
            self.pools[pool] = rows
        rows = self.pools[pool]
        while rows:
            row = rows.pop()
            if row["nia"] not in self.used:
                self.used.add(row["nia"])
                return row
        return None

    def age(self, row):
        return relativedelta(self.first, row["birthdate"]).years

    def new_nia(self):
        self.new_people += 1
        return f"9{self.month_tag}{self.new_people:010d}"

    def new_household(self):
        self.new_households += 1
        district, section = self.rng.choice(self.pop.sections)
        number = self.month_index * 25000 + self.new_households
        return f"{district}{section}Y{_base36(number, 4)}", district, section

    def address(self, household_code, district, section):
        rng = self.rng
        street = rng.choice(self.pop.streets)[0]
        kind, _sep, name = street.partition(" ")
        floor = rng.choice(("", "1", "2", "3", "4"))
        return {
            ("new", "DIST"): district,
            ("new", "SECC"): section,
            ("new", "CUN"): "0001701",
            ("new", "TVIA"): STREET_TYPES.get(kind, "CL"),
            ("new", "NVIAC"): name[:25],
            ("new", "TINUM"): "1",
            ("new", "NUMER"): rng.randint(1, 120),
            ("new", "PLAN"): floor,
            ("new", "PUER"): str(rng.randint(1, 8)) if floor else "",
            ("new", "TLOC"): "1",
            ("new", "NHOP"): household_code,
        }

    def current_address(self, row):
        code = row["household_code"]
        street, _comma, rest = row["street"].partition(", ")
        kind, _sep, name = street.partition(" ")
        number = rest.split(",")[0].strip()
        return {
            ("new", "DIST"): row["district"],
            ("new", "SECC"): row["section"],
            ("new", "CUN"): "0001701",
            ("new", "TVIA"): STREET_TYPES.get(kind, "CL"),
            ("new", "NVIAC"): name[:25],
            ("new", "TINUM"): "1",
            ("new", "NUMER"): int(number) if number.isdigit() else "",
            ("new", "TLOC"): "1",
            ("new", "NHOP"): code,
        }

    def new_fields(self, person, address):
        values = _person_fields("new", person)
        values.update(address)
        values[("new", "SEXO")] = "1" if person["sex"] == "male" else "6"
        values[("new", "NACI")] = ISO_TO_INE[person["nationality"]]
        age = relativedelta(self.last, person["birthdate"]).years
        values[("new", "CNES")] = (
            "00" if age < 16 else self.rng.choice(("21", "31", "32", "41", "42", "46"))
        )
        return values

    def record(self, event, date, before=None, after=None, address=None, place=None):
        code, cause = CODES[event]
        values = {
            ("id", "CPRO"): "46",
            ("id", "CMUN"): "999",
            ("ctl", "FVAR"): date,
            ("ctl", "CVAR"): code,
            ("ctl", "CAUV"): cause,
        }
        if before:
            values.update(_person_fields("id", before))
        if after:
            values.update(self.new_fields(after, address))
        if place:
            if isinstance(place, tuple):
                values[("new", "PRDP")], values[("new", "MUDP")] = place
            else:
                values[("new", "PRDP")] = ine_h.ABROAD
                values[("new", "MUDP")] = ISO_TO_INE[place]
        return values

    def stranger(self, age_low, age_high, nationality=None):
        nationality = nationality or self.pop.nationality()
        person = self.pop.person(
            self.pop.age(age_low, age_high), nationality=nationality
        )
        person["nia"] = self.new_nia()
        return person

    # -- the kinds of change -----------------------------------------------------
    def birth(self):
        mother = self.pick(
            "mothers",
            lambda r: r["sex"] == "female"
            and 20 <= self.age(r) <= 45
            # births are spaced: no child under two in the household yet
            and all(self.age(m) >= 2 for m in self.households[r["household_code"]]),
        )
        if not mother:
            return []
        date = self.day()
        father = next(
            (
                r
                for r in self.households[mother["household_code"]]
                if r["sex"] == "male"
                and r["household_relation"] in ("holder", "partner")
            ),
            None,
        )
        child = {
            "nia": self.new_nia(),
            "first_name": self.rng.choice(
                self.pop.person(0, nationality="ES")["first_name"].split()
            ),
            "surname1": (father or mother)["surname1"],
            "surname2": mother["surname1"] if father else mother["surname2"],
            "birthdate": date - datetime.timedelta(days=self.rng.randrange(0, 4)),
            "sex": self.rng.choice(("male", "female")),
            "nationality": mother["nationality"],
            "document_type": "",
            "document_number": "",
            "birth_place": PLACES[0],
        }
        return [
            self.record(
                "birth", date, after=child, address=self.current_address(mother)
            )
        ]

    def arrival(self, event):
        code, district, section = self.new_household()
        address = self.address(code, district, section)
        abroad = event == "arrival_abroad"
        nationality = self.rng.choice(COUNTRIES_ABROAD) if abroad else None
        place = nationality if abroad else self.rng.choice(PLACES)
        date = self.day()
        size = self.rng.choice((1, 1, 2, 2, 3))
        people = [self.stranger(20, 60, nationality)]
        for _i in range(size - 1):
            people.append(self.stranger(0, 60, people[0]["nationality"]))
        if event == "omission":
            place = None
        return [
            self.record(event, date, after=person, address=address, place=place)
            for person in people
        ]

    def death(self):
        row = self.pick("elders", lambda r: self.age(r) >= 75) or self.pick("all")
        return [self.record("death", self.day(), before=row)] if row else []

    def departure(self, event):
        row = self.pick("all")
        if not row:
            return []
        abroad = event == "departure_abroad"
        place = (
            (row["nationality"] if row["nationality"] != "ES" else "FR")
            if abroad
            else self.rng.choice(PLACES)
        )
        values = self.record(event, self.day(), before=row)
        if abroad:
            values[("new", "PRDP")] = ine_h.ABROAD
            values[("new", "MUDP")] = ISO_TO_INE[place]
        else:
            values[("new", "PRDP")], values[("new", "MUDP")] = place
        return [values]

    def address_change(self):
        row = self.pick("all")
        if not row:
            return []
        members = [row] + [
            r
            for r in self.households[row["household_code"]]
            if r is not row and r["nia"] not in self.used
        ]
        code, district, section = self.new_household()
        address = self.address(code, district, section)
        date = self.day()
        records = []
        for member in members:
            self.used.add(member["nia"])
            records.append(
                self.record(
                    "address_change", date, before=member, after=member, address=address
                )
            )
        return records

    def personal_data(self):
        row = None
        if self.rng.random() < 0.7:
            row = self.pick("undocumented", lambda r: not r["document_number"])
        if row:  # a child's first DNI
            # a number nobody in the town has (the population's are known)
            changed = dict(
                row, document_type="dni", document_number=self.pop.number("dni")
            )
        else:  # a foreigner becomes Spanish, or a surname is corrected
            row = self.pick("foreigners", lambda r: r["nationality"] != "ES")
            if not row:
                return []
            changed = dict(
                row,
                nationality="ES",
                document_type="dni",
                document_number=self.pop.number("dni"),
            )
        return [
            self.record(
                "personal_data",
                self.day(),
                before=row,
                after=changed,
                address=self.current_address(row),
            )
        ]

    def encsarp(self, event):
        if event == "residence_confirmation":
            row = self.pick(
                "resident_foreigners",
                lambda r: r["nationality"] != "ES" and r["document_type"] == "nie",
            )
        else:
            row = self.pick(
                "encsarp",
                lambda r: ine_codes.renews_registration(
                    r["nationality"], r["document_type"]
                ),
            )
        if not row:
            return []
        if event == "expiry":
            return [self.record("expiry", self.day(), before=row)]
        return [
            self.record(
                event,
                self.day(),
                before=row,
                after=row,
                address=self.current_address(row),
            )
        ]

    def removal(self, event):
        row = self.pick("all")
        return [self.record(event, self.day(), before=row)] if row else []

    def make(self, event):
        if event == "birth":
            return self.birth()
        if event in ("arrival", "arrival_abroad", "omission"):
            return self.arrival(event)
        if event == "death":
            return self.death()
        if event in ("departure", "departure_abroad"):
            return self.departure(event)
        if event == "address_change":
            return self.address_change()
        if event == "personal_data":
            return self.personal_data()
        if event in ("renewal", "expiry", "residence_confirmation"):
            return self.encsarp(event)
        return self.removal(event)


def _counts(residents, count):
    if count is None:
        return {
            event: max(1, round(rate * residents / 1000))
            for event, rate in RATES.items()
        }
    total = sum(RATES.values())
    counts = {event: int(count * rate / total) for event, rate in RATES.items()}
    counts["address_change"] += count - sum(counts.values())
    return counts


def generate_variations(residents, month, seed=1, count=None, reference_date=None):
    """Yield the records of one month of changes (fixed-width lines)."""
    state = _Month(residents, seed, month, reference_date)
    records = []
    for event, number in _counts(residents, count).items():
        made = 0
        while made < number:
            produced = state.make(event)
            if not produced:
                break
            records.extend(produced)
            made += len(produced)
    # ``count`` is exact: what ran out of residents to change is made up with
    # arrivals, which bring new ones
    while count is not None and len(records) < count:
        records.extend(state.make("arrival")[: count - len(records)])
    records.sort(key=lambda values: values[("ctl", "FVAR")])
    for values in records:
        yield ine_h.format_record(values)


def file_name(month, province="46", municipality="999"):
    """INE's name for a town hall's H file: ``HPPMMMAI.maa`` (A = sent by
    the Ayuntamiento, I = to INE; month 1-9, 0 = October, A/B = Nov/Dec)."""
    year, number = (int(part) for part in month.split("-"))
    return f"H{province}{municipality}AI.{'1234567890AB'[number - 1]}{year % 100:02d}"


def write_variations(path, residents, month, seed=1, count=None, reference_date=None):
    """Write the month's H file (ISO-8859-1, CRLF); returns the record count."""
    written = 0
    with open(path, "w", encoding=ine_h.ENCODING, newline="\r\n") as handle:
        for line in generate_variations(residents, month, seed, count, reference_date):
            handle.write(line + "\n")
            written += 1
    return written
