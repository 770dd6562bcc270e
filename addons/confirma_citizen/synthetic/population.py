# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Synthetic padrón: a deterministic, realistic population for demo and benchmarks.

``generate_rows(residents, seed)`` yields rows in the padrón import layout
(``padron.layout.COLUMNS``); ``write_csv`` writes them to a file. Same seed,
same population: names from Spanish and Valencian lists, valid DNIs and NIEs,
an INE-like age pyramid, households (couples, children, elders living alone,
shared flats), districts and census sections, channel preferences with a
realistic share of residents without email, and a few oppositions to data
queries. Pure Python, no ORM.
"""

import csv
import datetime
import random

from dateutil.relativedelta import relativedelta

from ..padron import ine_codes
from ..padron.identity import dni_letter, nie_letter
from ..padron.layout import COLUMNS

MALE = (
    "Antonio José Manuel Francisco David Juan Javier Daniel Carlos Jesús Alejandro "
    "Miguel Rafael Pablo Sergio Pedro Jorge Ángel Fernando Luis Alberto Álvaro Adrián "
    "Diego Raúl Enrique Vicent Vicente Joan Josep Pau Jordi Marc Xavier Andreu Hugo "
    "Mario Lucas Martín Leo Mateo Héctor Iván Rubén Óscar Ximo Salvador Ferran Bernat"
).split()
FEMALE = (
    "María Carmen Ana Isabel Laura Cristina Marta Lucía Pilar Elena Dolores Paula "
    "Raquel Sara Rosa Sofía Teresa Amparo Mercedes Inmaculada Julia Nuria Silvia Irene "
    "Patricia Beatriz Andrea Alba Claudia Carla Noelia Vicenta Empar Neus Núria Maria "
    "Marina Júlia Aina Ainhoa Martina Valeria Daniela Lola Alicia Rocío Consuelo Nerea"
).split()
SURNAMES = (
    "García Martínez López Sánchez González Gómez Fernández Moreno Jiménez Pérez "
    "Rodríguez Navarro Ruiz Díaz Serrano Hernández Muñoz Sáez Romero Rubio Alfaro "
    "Molina Lozano Castillo Picazo Ortega Morales Ortiz Delgado Martín Marco Ferrer "
    "Puig Soler Vidal Sanchis Sancho Gil Ribes Part Aznar Zaera Valera Cosías Llorens "
    "Bosch Climent Mas Sendra Cuesta Tormo Pastor Alonso Camps Bataller Monzó Pons "
    "Bonet Benavent Esteve Miralles Peris Ferrando Císcar Blasco Andrés Catalá Borrás "
    "Chover Domingo Escrivá Girbés Hervás Ibáñez Juan Lluch Mollà Noguera Oltra Palau"
).split()
FOREIGN = {
    # nationality: (share among foreigners, document kinds, given names, surnames)
    "RO": (
        0.22,
        "nie",
        "Ion Andrei Mihai Elena Ioana Maria Alexandru Gabriela",
        "Popescu Ionescu Popa Stan Dumitru Stoica Munteanu Ene",
    ),
    "MA": (
        0.18,
        "nie",
        "Mohamed Ahmed Youssef Fatima Khadija Aicha Said Nadia",
        "El Idrissi Benali Amrani Alaoui Bennani Tazi Haddad Chakir",
    ),
    "CO": (
        0.14,
        "nie",
        "Juan Carlos Andrés Valentina Camila Daniela Sebastián Luisa",
        "Rodríguez Gómez Vargas Restrepo Cárdenas Ospina Quintero Mejía",
    ),
    "UA": (
        0.10,
        "passport",
        "Oleksandr Andriy Olena Iryna Natalia Dmytro Yulia Serhiy",
        "Shevchenko Kovalenko Bondarenko Tkachenko Kravchenko Oliynyk Melnyk",
    ),
    "GB": (
        0.08,
        "nie",
        "John David Sarah Emma James Helen Peter Margaret",
        "Smith Jones Taylor Brown Williams Wilson Evans Davies",
    ),
    "IT": (
        0.08,
        "nie",
        "Marco Luca Giulia Francesca Alessandro Chiara Matteo Sara",
        "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci",
    ),
    "CN": (
        0.08,
        "passport",
        "Wei Fang Li Na Jun Xiu Ying Hao",
        "Wang Li Zhang Liu Chen Yang Huang Zhao",
    ),
    "EC": (
        0.07,
        "nie",
        "Luis Jorge Diana Mónica Byron Jessica Wilson Gabriela",
        "Zambrano Cedeño Vera Mendoza Loor Macías Alcívar Intriago",
    ),
    "VE": (
        0.05,
        "nie",
        "José Luis Gabriela Andreína Carlos Daniela Rafael Mariana",
        "González Rodríguez Pérez Hernández Rivas Blanco Colmenares Briceño",
    ),
}
STREETS = (
    "Carrer Major|Avinguda del País Valencià|Carrer de Sant Josep|Plaça de l'Església|"
    "Carrer de la Pau|Avinguda de Blasco Ibáñez|Carrer de València|Carrer Nou|"
    "Carrer del Mestre Serrano|Carrer de Sant Vicent|Avenida de la Constitución|"
    "Calle Cervantes|Carrer dels Tarongers|Carrer de l'Horta|Carrer del Forn|"
    "Carrer de la Séquia|Carrer de Goya|Calle Mayor|Carrer de Colom|Carrer del Sol"
).split("|")
# INE-like age pyramid of a Valencian municipality: share of residents per
# five-year band (0-4, 5-9, ..., 95-99), roughly the 2022 padrón.
PYRAMID = (
    3.6,
    4.4,
    5.0,
    5.1,
    4.9,
    5.0,
    5.4,
    6.2,
    7.6,
    8.3,
    8.0,
    7.4,
    6.6,
    5.6,
    4.9,
    4.1,
    3.1,
    2.3,
    1.3,
    0.5,
)
HOUSEHOLD_KINDS = (
    # kind, weight
    ("elder_alone", 14),
    ("elder_couple", 12),
    ("adult_alone", 14),
    ("couple", 20),
    ("couple_children", 29),
    ("single_parent", 8),
    ("three_generations", 5),
    ("shared_flat", 6),
    ("large_family", 7),
)


class _Population:
    def __init__(self, residents, seed, reference_date):
        self.rng = random.Random(seed)
        self.today = reference_date
        self.residents = residents
        self.used_numbers = set()
        self.n_districts = max(1, min(21, round(residents / 12000)))
        sections = max(1, round(residents / 1400))
        self.sections = [
            (f"{1 + i % self.n_districts:02d}", f"{1 + i // self.n_districts:03d}")
            for i in range(sections)
        ]
        self.streets = [
            (street, self.sections[i % len(self.sections)])
            for i, street in enumerate(
                STREETS * (1 + len(self.sections) // len(STREETS))
            )
        ]
        bands = list(range(len(PYRAMID)))
        self.age_bands = (bands, PYRAMID)

    # -- people --------------------------------------------------------------
    def age(self, low=0, high=99):
        rng = self.rng
        for _attempt in range(50):
            band = rng.choices(*self.age_bands)[0]
            value = band * 5 + rng.randrange(5)
            if low <= value <= high:
                return value
        return rng.randint(low, high)

    def birthdate(self, age):
        """A birth date giving exactly ``age`` years on the reference date."""
        return self.today - relativedelta(years=age, days=self.rng.randrange(1, 365))

    def number(self, kind):
        rng = self.rng
        while True:
            if kind == "dni":
                digits = f"{rng.randrange(10**7, 10**8):08d}"
                value = digits + dni_letter(digits)
            elif kind == "nie":
                prefix = rng.choice("XY" if rng.random() < 0.6 else "XYZ")
                digits = f"{rng.randrange(10**7):07d}"
                value = prefix + digits + nie_letter(prefix, digits)
            else:
                value = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(3))
                value += f"{rng.randrange(10**6):06d}"
            if value not in self.used_numbers:
                self.used_numbers.add(value)
                return value

    def person(self, age, sex=None, nationality="ES", surnames=None):
        rng = self.rng
        sex = sex or rng.choice(("male", "female"))
        if nationality == "ES":
            names = MALE if sex == "male" else FEMALE
            first = rng.choice(names)
            if rng.random() < 0.15:
                first = f"{first} {rng.choice(names)}"
            s1, s2 = surnames or (rng.choice(SURNAMES), rng.choice(SURNAMES))
            kind = "dni"
        else:
            _share, kind, given, family = FOREIGN[nationality]
            first = rng.choice(given.split())
            s1 = surnames[0] if surnames else rng.choice(family.split())
            s2 = ""
            if nationality in ("CO", "EC", "VE"):
                s2 = surnames[1] if surnames else rng.choice(family.split())
        doc_type = kind
        if nationality == "ES" and age < 14 and rng.random() < 0.3:
            doc_type, number = "", ""  # young children often have no DNI yet
        else:
            number = self.number(kind)
        return {
            "document_type": doc_type,
            "document_number": number,
            "first_name": first,
            "surname1": s1,
            "surname2": s2,
            "birthdate": self.birthdate(age),
            "sex": sex,
            "nationality": nationality,
            "age": age,
        }

    # -- households ------------------------------------------------------------
    def nationality(self):
        if self.rng.random() < 0.88:
            return "ES"
        keys = list(FOREIGN)
        return self.rng.choices(keys, [FOREIGN[k][0] for k in keys])[0]

    def household(self, kind):
        rng = self.rng
        nat = self.nationality()
        members = []
        if kind == "elder_alone":
            members.append((self.person(self.age(65, 99), nationality=nat), "holder"))
        elif kind == "adult_alone":
            members.append((self.person(self.age(20, 64), nationality=nat), "holder"))
        elif kind == "shared_flat":
            for i in range(rng.randint(2, 4)):
                person = self.person(self.age(19, 40), nationality=self.nationality())
                members.append((person, "holder" if i == 0 else "other"))
        else:
            holder_age = {
                "couple": self.age(25, 64),
                "elder_couple": self.age(65, 95),
                "couple_children": self.age(28, 58),
                "single_parent": self.age(25, 58),
                "three_generations": self.age(32, 55),
                "large_family": self.age(32, 52),
            }[kind]
            holder = self.person(holder_age, nationality=nat)
            members.append((holder, "holder"))
            if kind != "single_parent":
                other_sex = "female" if holder["sex"] == "male" else "male"
                partner_age = max(18, min(99, holder_age + rng.randint(-5, 5)))
                if kind == "elder_couple":
                    partner_age = max(65, partner_age)
                members.append((self.person(partner_age, other_sex, nat), "partner"))
            if kind in (
                "couple_children",
                "single_parent",
                "three_generations",
                "large_family",
            ):
                count = {"large_family": rng.randint(3, 5)}.get(kind, rng.randint(1, 2))
                father = next((p for p, _r in members if p["sex"] == "male"), holder)
                mother = next((p for p, _r in members if p["sex"] == "female"), holder)
                surnames = (father["surname1"], mother["surname1"])
                for _i in range(count):
                    child_age = max(0, min(holder_age - 18, self.age(0, 30)))
                    child = self.person(child_age, nationality=nat, surnames=surnames)
                    members.append((child, "child"))
            if kind == "three_generations":
                members.append(
                    (self.person(self.age(70, 95), nationality=nat), "parent")
                )
        return members

    def channels(self, person):
        rng, age = self.rng, person["age"]
        email_share = 0.2 if age >= 75 else 0.45 if age >= 65 else 0.8
        values = {"email": "", "mobile": "", "preferred_channel": "post"}
        if age >= 16:
            if rng.random() < email_share:
                user = person["first_name"].split()[0] + "." + person["surname1"]
                user = user.lower().replace(" ", "")
                user = user.encode("ascii", "ignore").decode() or "resident"
                values["email"] = f"{user}{rng.randrange(1000)}@example.org"
                values["preferred_channel"] = "email"
            if rng.random() < (0.6 if age >= 75 else 0.9):
                values["mobile"] = f"+346{rng.randrange(10**7, 10**8)}"
                if not values["email"]:
                    values["preferred_channel"] = "sms"
            if values["email"] and rng.random() < 0.1:
                values["preferred_channel"] = "notification"
        return values


def household_code(district, section, number):
    """A household sheet number that fits INE's NHOP (10 characters):
    district + section + 5 digits, then a letter and 4 base-36 digits."""
    if number < 100000:
        return f"{district}{section}{number:05d}"
    number -= 100000
    digits = ""
    for _i in range(4):
        number, rest = divmod(number, 36)
        digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[rest] + digits
    return f"{district}{section}Z{digits}"


def generate_rows(residents, seed=1, reference_date=None, municipality="Vilademo"):
    """Yield ``residents`` rows (dicts keyed by ``COLUMNS``), deterministic by seed."""
    reference_date = reference_date or datetime.date(2026, 1, 1)
    pop = _Population(residents, seed, reference_date)
    rng = pop.rng
    kinds, weights = zip(*HOUSEHOLD_KINDS, strict=True)
    produced = household_no = 0
    while produced < residents:
        household_no += 1
        street, (district, section) = rng.choice(pop.streets)
        number = rng.randint(1, 120)
        floor = rng.choice(("", "1", "2", "3", "4", "5"))
        door = rng.randint(1, 8) if floor else ""
        address = f"{street}, {number}" + (f", {floor}-{door}" if floor else "")
        code = household_code(district, section, household_no)
        language = "ca" if rng.random() < 0.45 else "es"
        for person, relation in pop.household(rng.choices(kinds, weights)[0]):
            if produced >= residents:
                break
            produced += 1
            if person["age"] < 1 or rng.random() < 0.45:
                registered = person["birthdate"]
            else:
                years = rng.randint(0, max(0, min(person["age"], 40)))
                registered = reference_date - datetime.timedelta(
                    days=years * 365 + rng.randrange(365)
                )
                registered = max(registered, person["birthdate"])
            opposition = rng.random() < 0.03
            renewal = ""
            if ine_codes.renews_registration(
                person["nationality"], person["document_type"]
            ) and registered < reference_date - relativedelta(years=2):
                # ENCSARP: renewed within the last two years (or expired)
                renewal = (
                    reference_date - datetime.timedelta(days=rng.randrange(1, 730))
                ).isoformat()
            row = {
                "nia": f"{seed % 1000:03d}{produced:09d}",
                "document_type": person["document_type"],
                "document_number": person["document_number"],
                "first_name": person["first_name"],
                "surname1": person["surname1"],
                "surname2": person["surname2"],
                "birthdate": person["birthdate"].isoformat(),
                "sex": person["sex"],
                "nationality": person["nationality"],
                "registration_date": registered.isoformat(),
                "household_code": code,
                "household_relation": relation,
                "street": address,
                "zip": "46900",
                "city": municipality,
                "district": district,
                "section": section,
                "preferred_language": language
                if person["nationality"] == "ES"
                else "es",
                "renewal_date": renewal,
                "data_opposition": "1" if opposition else "0",
                "data_opposition_date": (
                    (
                        reference_date - datetime.timedelta(days=rng.randrange(1, 900))
                    ).isoformat()
                    if opposition
                    else ""
                ),
            }
            row.update(pop.channels(person))
            row["phone"] = ""
            yield {column: row.get(column, "") for column in COLUMNS}


def write_csv(path, residents, seed=1, reference_date=None):
    """Write the synthetic padrón to ``path`` (UTF-8 CSV, import layout)."""
    count = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in generate_rows(residents, seed, reference_date):
            writer.writerow(row)
            count += 1
    return count
