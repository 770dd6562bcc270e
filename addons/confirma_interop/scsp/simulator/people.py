# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The people the simulator's administrations know: the synthetic town of
the demo, with what each administration would know of them, derived
deterministically from each document (the same person always gets the
same answers)."""

import csv
import dataclasses
import datetime
import hashlib
import unicodedata


@dataclasses.dataclass
class Person:
    document: str
    first_name: str = ""
    surname1: str = ""
    surname2: str = ""
    birthdate: datetime.date | None = None
    municipality: str = "46900"
    municipality_name: str = ""
    residence_since: datetime.date | None = None
    income: float | None = None
    aeat_clear: bool = True
    tgss_clear: bool = True
    unemployed: bool = False
    disability: int = 0
    large_family_until: datetime.date | None = None
    children: int = 0
    sex: str = ""  # M / F
    nationality: str = "ESPAÑA-ESP"
    document_expiry: datetime.date | None = None  # a NIE has none
    # the padrón: the people of the dwelling (themselves included), and the
    # day they left the municipality (None: still there)
    household_size: int = 1
    residence_until: datetime.date | None = None

    @property
    def full_name(self):
        return " ".join(filter(None, (self.surname1, self.surname2, self.first_name)))


def fold(value):
    value = unicodedata.normalize("NFKD", value or "")
    return "".join(c for c in value if not unicodedata.combining(c)).upper().strip()


def _household_counts(rows):
    """({household: its people}, {household: its children}) of padrón rows."""
    sizes, children = {}, {}
    for row in rows:
        household = row["household_code"]
        sizes[household] = sizes.get(household, 0) + 1
        if row["household_relation"] == "child":
            children[household] = children.get(household, 0) + 1
    return sizes, children


def _person(row, sizes, children, municipality, municipality_name):
    """The ``Person`` of a padrón row (the import layout), as the other
    administrations know them before ``Registry._derive``."""
    household = row["household_code"]
    parent = row["household_relation"] in ("holder", "partner")
    return Person(
        document=row["document_number"].upper(),
        first_name=row["first_name"],
        surname1=row["surname1"],
        surname2=row["surname2"],
        birthdate=datetime.date.fromisoformat(row["birthdate"]),
        municipality=municipality,
        municipality_name=municipality_name,
        residence_since=datetime.date.fromisoformat(row["registration_date"]),
        children=children.get(household, 0) if parent else 0,
        sex={"male": "M", "female": "F"}.get(row.get("sex"), ""),
        household_size=sizes.get(household, 1),
    )


class Registry(dict):
    """People by document number."""

    def add(self, person):
        self[person.document.upper()] = person
        return person

    @classmethod
    def from_synthetic(
        cls,
        residents=2000,
        seed=1,
        months=(),
        municipality="46900",
        municipality_name="VILADEMO",
        reference_date=None,
    ):
        """The synthetic town of the demo (``confirma_citizen.synthetic.population``),
        with the arrivals and births of ``months`` (INE H files), as other
        administrations would know it."""
        from odoo.addons.confirma_citizen.padron import ine_h  # noqa: PLC0415
        from odoo.addons.confirma_citizen.synthetic import (  # noqa: PLC0415
            ine_h as synthetic_ine_h,
        )
        from odoo.addons.confirma_citizen.synthetic import (  # noqa: PLC0415
            population as synthetic,
        )

        reference_date = reference_date or datetime.date(2026, 1, 1)
        registry = cls()
        rows = list(synthetic.generate_rows(residents, seed, reference_date))
        sizes, children = _household_counts(rows)
        for row in rows:
            if row["document_number"]:
                person = _person(row, sizes, children, municipality, municipality_name)
                registry.add(registry._derive(person, seed, reference_date))
        for month in months:
            for line_no, line in enumerate(
                synthetic_ine_h.generate_variations(
                    residents, month, seed, None, reference_date
                ),
                1,
            ):
                record = ine_h.parse_record(line_no, line)
                after = record.after
                number = (after.document_number or "").upper()
                if record.code == "A" and number:
                    registry.add(
                        registry._derive(
                            Person(
                                document=number,
                                first_name=after.first_name or "",
                                surname1=after.surname1 or "",
                                surname2=after.surname2 or "",
                                birthdate=after.birthdate,
                                municipality=municipality,
                                municipality_name=municipality_name,
                                residence_since=record.date,
                            ),
                            seed,
                            reference_date,
                        )
                    )
                elif record.code == "B":
                    person = registry.get(
                        (record.before.document_number or number).upper()
                    )
                    if person and record.event != "death":
                        person.municipality = "28079"  # moved away
                        person.municipality_name = "MADRID"
                        person.residence_until = record.date
                        person.residence_since = record.date
        return registry

    @classmethod
    def from_padron(
        cls,
        path,
        seed=1,
        documents=None,
        municipality="46900",
        municipality_name="VILADEMO",
        reference_date=None,
    ):
        """The people of a padrón file in the import layout (a CSV with the
        synthetic town's columns: the file a town imported), as
        ``from_synthetic`` derives them; only those with one of
        ``documents`` when given. Read twice, row by row (the households'
        sizes first): a city of millions answers for the people it is asked
        about without holding the whole register in memory."""
        reference_date = reference_date or datetime.date(2026, 1, 1)
        wanted = {d.upper() for d in documents} if documents is not None else None
        with open(path, newline="", encoding="utf-8") as handle:
            sizes, children = _household_counts(csv.DictReader(handle))
        registry = cls()
        with open(path, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                number = (row["document_number"] or "").upper()
                if not number or (wanted is not None and number not in wanted):
                    continue
                person = _person(row, sizes, children, municipality, municipality_name)
                registry.add(registry._derive(person, seed, reference_date))
        return registry

    @staticmethod
    def _derive(person, seed, reference_date):
        """What the other administrations know, derived from the document:
        the same person always gets the same answers."""
        digest = hashlib.sha256(f"{seed}:{person.document}".encode()).digest()
        number = int.from_bytes(digest[:8], "big")
        age = 0
        if person.birthdate:
            age = (reference_date - person.birthdate).days // 365
        adult = age >= 18
        person.income = (4000 + (number % 9600) * 5.25) if adult else None
        person.aeat_clear = (number >> 16) % 100 >= 7
        person.tgss_clear = (number >> 24) % 100 >= 5
        person.unemployed = 16 <= age < 65 and (number >> 32) % 100 < 11
        if (number >> 40) % 100 < 7:
            person.disability = 33 + (number >> 48) % 50
        if person.document[:1] not in "XYZ":  # a DNI expires, a NIE does not
            person.document_expiry = reference_date + datetime.timedelta(
                days=(number >> 4) % 3650 - 200
            )
        if person.children >= 3:
            person.large_family_until = reference_date + datetime.timedelta(
                days=365 * (1 + (number >> 56) % 5)
            )
        return person
