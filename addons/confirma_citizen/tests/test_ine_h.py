# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The INE H record, written field by field as INE's design lays it out."""

import datetime

from odoo.tests import BaseCase, tagged

from ..padron import ine_h
from ..padron.layout import RowError


def record(**fields):
    """A record from ``section__FIELD=value`` keywords (e.g. new__SEXO=6)."""
    values = {}
    for key, value in fields.items():
        section, name = key.split("__")
        values[(section, name)] = value
    return ine_h.format_record(values)


BIRTH = dict(
    id__CPRO=46,
    id__CMUN=250,
    ctl__FVAR=datetime.date(2026, 10, 3),
    ctl__CVAR="A",
    ctl__CAUV="NA",
    new__DIST=1,
    new__SECC=4,
    new__CUN=1000101,
    new__TVIA="CL",
    new__NVIAC="MAJOR",
    new__TINUM=2,
    new__NUMER=12,
    new__PLAN="2",
    new__PUER="A",
    new__TLOC="1",
    new__NIA="000000004711",
    new__NHOP="01004A0012",
    new__NOMB="LUCIA",
    new__PART1="DE LA",
    new__APE1="FUENTE",
    new__APE2="GARCIA",
    new__SEXO=6,
    new__CPRON=46,
    new__CMUNN=250,
    new__FNAC=datetime.date(2026, 10, 1),
    new__TIDEN=0,
    new__CNES=0,
    new__NACI=108,
)


@tagged("post_install", "-at_install")
class TestIneH(BaseCase):
    def test_layout_adds_up_to_the_official_record(self):
        """Positions follow from the official lengths (record of 554)."""
        offsets = ine_h.OFFSETS
        self.assertEqual(ine_h.RECORD_LENGTH, 554)
        # 1-based positions: FVAR 161-168, CVAR 169, CAUV 170-171,
        # TLOC 378, NHOP 394-403, SEXO 497, CNES 542-543, NACI 544-546
        self.assertEqual(offsets[("ctl", "FVAR")], (160, 168))
        self.assertEqual(offsets[("ctl", "CVAR")], (168, 169))
        self.assertEqual(offsets[("ctl", "CAUV")], (169, 171))
        self.assertEqual(offsets[("new", "TLOC")], (377, 378))
        self.assertEqual(offsets[("new", "NHOP")], (393, 403))
        self.assertEqual(offsets[("new", "SEXO")], (496, 497))
        self.assertEqual(offsets[("new", "CNES")], (541, 543))
        self.assertEqual(offsets[("new", "NACI")], (543, 546))
        self.assertEqual(offsets[("new", "CODP")], (551, 554))
        line = record(**BIRTH)
        self.assertEqual(len(line), 554)
        self.assertEqual(line[160:171], "20261003ANA")
        self.assertEqual(line[496], "6")
        self.assertEqual(line[543:546], "108")

    def test_birth(self):
        variation = ine_h.parse_record(7, record(**BIRTH))
        self.assertEqual(
            (variation.code, variation.cause, variation.event), ("A", "NA", "birth")
        )
        self.assertEqual(variation.line, 7)
        self.assertEqual(variation.date, datetime.date(2026, 10, 3))
        person = variation.after
        self.assertEqual(person.first_name, "LUCIA")
        self.assertEqual(person.surname1, "DE LA FUENTE")  # particle kept in front
        self.assertEqual(person.surname2, "GARCIA")
        self.assertEqual(person.sex, "female")  # 6 = mujer
        self.assertEqual(person.nationality, "ES")
        self.assertEqual(person.nia, "000000004711")
        self.assertIsNone(person.document_number)  # TIDEN 0: no document
        self.assertEqual(person.birth_place, "250")
        self.assertEqual(variation.household_code, "01004A0012")
        self.assertEqual((variation.district, variation.section), ("01", "004"))
        self.assertEqual(variation.street, "CL MAJOR 12 2-A")
        self.assertFalse(variation.before.nia)  # an alta has no identification

    def test_every_code_and_cause(self):
        identification = dict(
            id__NOMB="JOAN",
            id__APE1="PUIG",
            id__FNAC=datetime.date(1950, 2, 3),
            id__TIDEN=1,
            id__IDEN=12345678,
            id__LIDEN="Z",
            id__NIA="000000000042",
        )
        events = {}
        for code, causes in ine_h.CAUSES.items():
            for cause in causes:
                fields = dict(BIRTH, ctl__CVAR=code, ctl__CAUV=cause)
                if code in ("B", "M"):
                    fields.update(identification)
                if code == "B":  # a baja carries no new data
                    fields = {
                        k: v for k, v in fields.items() if not k.startswith("new__")
                    }
                variation = ine_h.parse_record(1, record(**fields))
                events[code + cause] = variation.event
                if code == "B":
                    self.assertEqual(variation.before.document_number, "12345678Z")
                    self.assertEqual(variation.before.document_type, "dni")
                    self.assertFalse(variation.after.nia)
        self.assertEqual(
            events,
            {
                "AOM": "omission",
                "ACR": "arrival",
                "ANA": "birth",
                "BDE": "death",
                "BII": "wrong_inclusion",
                "BDU": "duplicate",
                "BCR": "departure",
                "BBC": "expiry",
                "MPE": "personal_data",
                "MRD": "recoding",
                "MCD": "address_change",
                "MRN": "renewal",
                "MCO": "residence_confirmation",
            },
        )

    def test_cause_must_match_the_code(self):
        for code, cause in (("A", "DE"), ("B", "NA"), ("M", "OM"), ("X", "NA")):
            with self.subTest(code=code, cause=cause), self.assertRaises(RowError):
                ine_h.parse_record(
                    1, record(**dict(BIRTH, ctl__CVAR=code, ctl__CAUV=cause))
                )

    def test_documents(self):
        # NIE rebuilt from LEXTR + IDEN (8 digits, zero-padded) + LIDEN
        nie = ine_h.parse_record(
            1,
            record(
                **dict(
                    BIRTH,
                    new__TIDEN=3,
                    new__LEXTR="X",
                    new__IDEN=1234567,
                    new__LIDEN="L",
                )
            ),
        )
        self.assertEqual(
            (nie.after.document_type, nie.after.document_number), ("nie", "X1234567L")
        )
        # passport: alphanumeric number in NDOCU
        passport = ine_h.parse_record(
            1, record(**dict(BIRTH, new__TIDEN=2, new__NDOCU="AB123456", new__NACI=228))
        )
        self.assertEqual(
            (passport.after.document_type, passport.after.document_number),
            ("passport", "AB123456"),
        )
        self.assertEqual(passport.after.nationality, "MA")
        # wrong check letters are refused
        for fields in (
            dict(new__TIDEN=1, new__IDEN=12345678, new__LIDEN="A"),
            dict(new__TIDEN=3, new__LEXTR="X", new__IDEN=1234567, new__LIDEN="A"),
            dict(new__TIDEN=2),
            dict(new__TIDEN=7),
        ):
            with self.subTest(fields=fields), self.assertRaises(RowError):
                ine_h.parse_record(1, record(**dict(BIRTH, **fields)))

    def test_names_without_a_given_name(self):
        variation = ine_h.parse_record(
            1,
            record(
                **dict(
                    BIRTH,
                    new__NOMB="SIN NOMBRE",
                    new__TIDEN=2,
                    new__NDOCU="P998877",
                    new__NACI=343,
                )
            ),
        )
        self.assertIsNone(variation.after.first_name)
        self.assertEqual(variation.after.nationality, "CO")
        # a Spaniard, or someone not identified by a passport, cannot be SIN NOMBRE
        with self.assertRaises(RowError):
            ine_h.parse_record(1, record(**dict(BIRTH, new__NOMB="SIN NOMBRE")))
        foster = ine_h.parse_record(1, record(**dict(BIRTH, new__NOMB="NO CONSTA")))
        self.assertIsNone(foster.after.first_name)

    def test_places_abroad(self):
        variation = ine_h.parse_record(
            1,
            record(
                **dict(
                    BIRTH,
                    ctl__CAUV="CR",
                    new__CPRON=66,
                    new__CMUNN=343,  # born in Colombia
                    new__PRDP=66,
                    new__MUDP=343,  # arriving from Colombia
                    new__NACI=343,
                    new__TIDEN=2,
                    new__NDOCU="PA1234567",
                )
            ),
        )
        self.assertEqual(variation.event, "arrival_abroad")
        self.assertEqual(variation.place_from_to, "CO")
        self.assertEqual(variation.after.birth_place, "CO")
        moved = ine_h.parse_record(
            1, record(**dict(BIRTH, ctl__CAUV="CR", new__PRDP=3, new__MUDP=14))
        )
        self.assertEqual((moved.event, moved.place_from_to), ("arrival", "03014"))

    def test_rejections_sent_back_by_ine(self):
        variation = ine_h.parse_record(
            1, record(**dict(BIRTH, ctl__TIPOINF="R", ctl__CDEV="65"))
        )
        self.assertTrue(variation.rejected)
        self.assertEqual(variation.rejection_code, "65")
        completed = ine_h.parse_record(1, record(**dict(BIRTH, ctl__TIPOINF="C")))
        self.assertTrue(completed.completed_by_ine)
        self.assertFalse(completed.rejected)

    def test_bad_values(self):
        line = record(**BIRTH)
        for bad in (
            line[:160] + "20261332" + line[168:],  # impossible date
            line[:496] + "2" + line[497:],  # sex is 1 or 6
            line[:543] + "999" + line[546:],  # unknown country
            line[:543] + "   " + line[546:],  # nationality always filled
            line + "X",  # too long
        ):
            with self.assertRaises(RowError):
                ine_h.parse_record(1, bad)
        # blank padding at the end of a line is fine; so is a short line
        self.assertEqual(ine_h.parse_record(1, line + "   ").event, "birth")
        self.assertEqual(ine_h.parse_record(1, line.rstrip()).event, "birth")

    def test_read_latin1(self):
        line = record(**dict(BIRTH, new__NOMB="IÑAKI", new__APE1="MUÑOZ"))
        data = (line + "\r\n\r\n" + line + "\r\n").encode("latin-1")
        rows = list(ine_h.read_records(data))
        self.assertEqual([number for number, _text in rows], [1, 3])
        variation = ine_h.parse_record(*rows[0])
        self.assertEqual(
            (variation.after.first_name, variation.after.surname1),
            ("IÑAKI", "DE LA MUÑOZ"),
        )
