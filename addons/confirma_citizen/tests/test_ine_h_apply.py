# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Applying INE variation files (fichero H) to the residents."""

import base64
import datetime
import io
import tempfile

from markupsafe import Markup

from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..synthetic import ine_h as synthetic_ine_h
from ..synthetic import population as synthetic
from .common import ConfirmaImportCommon, run_jobs
from .test_ine_h import BIRTH, record

D = datetime.date
# Ana García Pérez, DNI 12345678Z, NIA 000000000042, household 01004A0012
ANA = dict(
    id__NOMB="ANA",
    id__APE1="GARCIA",
    id__APE2="PEREZ",
    id__FNAC=D(1980, 5, 4),
    id__TIDEN=1,
    id__IDEN=12345678,
    id__LIDEN="Z",
    id__NIA="000000000042",
)
# the dwelling of the BIRTH record: Ana's household sheet
ADDRESS = {
    key: BIRTH[key]
    for key in ("new__DIST", "new__SECC", "new__CUN", "new__TVIA", "new__NVIAC",
                "new__TINUM", "new__NUMER", "new__TLOC", "new__NHOP")
}  # fmt: skip


def baja(cause, date, **extra):
    return record(
        id__CPRO=46,
        id__CMUN=250,
        ctl__FVAR=date,
        ctl__CVAR="B",
        ctl__CAUV=cause,
        **dict(ANA, **extra),
    )


def change(cause, date, **new):
    fields = dict(
        id__CPRO=46,
        id__CMUN=250,
        ctl__FVAR=date,
        ctl__CVAR="M",
        ctl__CAUV=cause,
        new__NIA="000000000042",
        new__NOMB="ANA",
        new__APE1="GARCIA",
        new__APE2="PEREZ",
        new__SEXO=6,
        new__CPRON=46,
        new__CMUNN=250,
        new__FNAC=D(1980, 5, 4),
        new__TIDEN=1,
        new__IDEN=12345678,
        new__LIDEN="Z",
        new__CNES=46,
        new__NACI=108,
        **ANA,
    )
    fields.update(ADDRESS)
    fields.update(new)
    return record(**fields)


def h_file(*lines):
    return ("\r\n".join(lines) + "\r\n").encode("latin-1")


@tagged("post_install", "-at_install")
class TestIneHApply(ConfirmaImportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"].with_context(active_test=False)
        content = cls.csv_bytes(
            cls.row("12345678Z", nia="000000000042", household="01004A0012"),
            cls.row(
                "87654321X",
                first="Pau",
                surname1="Soler",
                nia="000000000043",
                household="01004A0012",
                relation="partner",
            ),
        )
        cls.run_import(cls, content)
        cls.ana = cls.Partner.search([("nia", "=", "000000000042")])
        cls.pau = cls.Partner.search([("nia", "=", "000000000043")])

    def apply(self, *lines, user=None):
        return self.run_import(
            h_file(*lines), user=user, filename="H46250IA.A26", file_format="ine_h"
        )

    def events(self, partner):
        return self.env["confirma.padron.event"].search(
            [("partner_id", "=", partner.id)], order="date, id"
        )

    def report(self, result):
        return base64.b64decode(result.error_report).decode("utf-8").splitlines()

    # -- altas ----------------------------------------------------------------
    def test_birth_creates_the_resident_in_the_household(self):
        result = self.apply(record(**BIRTH))
        self.assertEqual(
            result.summary_line(),
            "created=1 updated=0 unchanged=0 deregistered=0 errors=0 events=1",
        )
        baby = self.Partner.search([("nia", "=", "000000004711")])
        self.assertEqual(baby.name, "LUCIA DE LA FUENTE GARCIA")
        self.assertEqual(baby.surname1, "DE LA FUENTE")
        self.assertEqual(baby.sex, "female")  # INE's 6
        self.assertEqual(baby.birthdate, D(2026, 10, 1))
        self.assertEqual(baby.padron_registration_date, D(2026, 10, 3))
        self.assertEqual(baby.padron_state, "active")
        self.assertEqual(baby.household_id, self.ana.household_id)
        self.assertEqual(baby.household_relation, "child")
        self.assertEqual(baby.nationality_id.code, "ES")
        self.assertEqual(baby.education_level, "00")
        self.assertEqual(baby.street, "CL MAJOR 12 2-A")
        self.assertFalse(baby.document_number)
        event = self.events(baby)
        self.assertEqual(event.kind_id.code, "birth")
        self.assertEqual(event.date, D(2026, 10, 3))
        self.assertEqual(event.household_id, self.ana.household_id)
        self.assertEqual(event.import_id, result)
        self.assertEqual(baby.padron_event_count, 1)
        self.assertEqual(result.event_ids, event)

    def test_arrivals(self):
        result = self.apply(
            record(
                **dict(
                    BIRTH,
                    ctl__CAUV="CR",
                    new__NIA="000000005000",
                    new__NOMB="KATERYNA",
                    new__PART1="",
                    new__APE1="MELNYK",
                    new__APE2="",
                    new__FNAC=D(1990, 1, 2),
                    new__CPRON=66,
                    new__CMUNN=135,
                    new__PRDP=66,
                    new__MUDP=135,
                    new__NACI=135,
                    new__TIDEN=2,
                    new__NDOCU="FA123456",
                    new__CNES=46,
                )
            ),
            record(
                **dict(
                    BIRTH,
                    ctl__CAUV="CR",
                    new__NIA="000000005001",
                    new__FNAC=D(1970, 1, 2),
                    new__PRDP=3,
                    new__MUDP=14,
                    new__TIDEN=3,
                    new__LEXTR="X",
                    new__IDEN=1234567,
                    new__LIDEN="L",
                    new__NACI=128,
                    new__CNES=31,
                )
            ),
            record(
                **dict(
                    BIRTH,
                    ctl__CAUV="OM",
                    new__NIA="000000005002",
                    new__FNAC=D(1960, 1, 2),
                    new__TIDEN=1,
                    new__IDEN=11111111,
                    new__LIDEN="H",
                    new__CNES=21,
                )
            ),
        )
        self.assertEqual((result.created, result.events, result.errors), (3, 3, 0))
        kateryna, romanian, omitted = (
            self.Partner.search([("nia", "=", nia)])
            for nia in ("000000005000", "000000005001", "000000005002")
        )
        self.assertEqual(self.events(kateryna).kind_id.code, "arrival_abroad")
        self.assertEqual(self.events(kateryna).place, "UA")
        self.assertEqual(kateryna.document_type, "passport")
        self.assertEqual(kateryna.nationality_id.code, "UA")
        # a passport holder from outside the EEA renews every two years
        self.assertTrue(kateryna.padron_encsarp)
        self.assertEqual(kateryna.padron_renewal_due, D(2028, 10, 3))
        self.assertEqual(self.events(romanian).kind_id.code, "arrival")
        self.assertEqual(self.events(romanian).place, "03014")
        self.assertEqual(romanian.document_number, "X1234567L")
        self.assertFalse(romanian.padron_encsarp)  # EU citizen
        self.assertEqual(self.events(omitted).kind_id.code, "omission")
        self.assertEqual(omitted.document_number, "11111111H")

    def test_alta_of_a_deregistered_resident_reactivates_them(self):
        self.ana.action_deregister("moved", D(2025, 1, 1))
        result = self.apply(
            record(
                **dict(
                    BIRTH,
                    ctl__CAUV="CR",
                    new__NIA="000000000042",
                    new__NOMB="ANA",
                    new__PART1="",
                    new__APE1="GARCIA",
                    new__APE2="PEREZ",
                    new__FNAC=D(1980, 5, 4),
                    new__TIDEN=1,
                    new__IDEN=12345678,
                    new__LIDEN="Z",
                    new__CNES=46,
                    new__PRDP=46,
                    new__MUDP=131,
                )
            )
        )
        self.assertEqual((result.created, result.updated), (0, 1))
        self.assertEqual(self.ana.padron_state, "active")
        self.assertFalse(self.ana.padron_deregistration_reason)
        self.assertEqual(self.ana.padron_registration_date, D(2026, 10, 3))

    # -- bajas ----------------------------------------------------------------
    def test_every_deregistration_cause(self):
        for cause, extra, expected in (
            ("DE", {}, "death"),
            ("CR", {"new__PRDP": 3, "new__MUDP": 14}, "moved"),
            ("CR", {"new__PRDP": 66, "new__MUDP": 125}, "abroad"),
            ("II", {}, "wrong_inclusion"),
            ("DU", {}, "duplicate"),
            ("BC", {}, "expiry"),
        ):
            with self.subTest(cause=cause, expected=expected):
                self.ana.write(
                    {
                        "padron_state": "active",
                        "padron_deregistration_reason": False,
                        "padron_deregistration_date": False,
                    }
                )
                result = self.apply(baja(cause, D(2026, 10, 5), **extra))
                self.assertEqual(
                    (result.deregistered, result.events, result.errors), (1, 1, 0)
                )
                self.assertEqual(self.ana.padron_state, "deregistered")
                self.assertEqual(self.ana.padron_deregistration_date, D(2026, 10, 5))
                self.assertEqual(self.ana.padron_deregistration_reason, expected)
                self.assertEqual(result.event_ids.partner_id, self.ana)
        self.assertEqual(
            self.events(self.ana).mapped("kind_id.code"),
            [
                "death",
                "departure",
                "departure_abroad",
                "wrong_inclusion",
                "duplicate",
                "expiry",
            ],
        )

    def test_match_by_document_when_the_nia_is_unknown(self):
        result = self.apply(baja("DE", D(2026, 10, 5), id__NIA="999999999999"))
        self.assertEqual(result.deregistered, 1)
        self.assertEqual(self.ana.padron_deregistration_reason, "death")

    # -- modificaciones -------------------------------------------------------
    def test_address_change_moves_to_another_household(self):
        result = self.apply(
            change(
                "CD",
                D(2026, 10, 7),
                new__NHOP="02001B0003",
                new__DIST=2,
                new__SECC=1,
                new__TVIA="AV",
                new__NVIAC="DEL PORT",
                new__NUMER=40,
                new__PLAN="3",
                new__PUER="B",
            )
        )
        self.assertEqual((result.updated, result.events, result.errors), (1, 1, 0))
        self.assertEqual(self.ana.household_id.name, "02001B0003")
        self.assertEqual(self.ana.district_code, "02")
        self.assertEqual(self.ana.section_code, "001")
        self.assertEqual(self.ana.street, "AV DEL PORT 40 3-B")
        self.assertEqual(self.pau.household_id.name, "01004A0012")
        event = self.events(self.ana)
        self.assertEqual(event.kind_id.code, "address_change")
        self.assertEqual(event.description, "AV DEL PORT 40 3-B")
        # the change on Ana's file, in words (dates in the officer's format)
        self.assertEqual(
            self.ana.message_ids[0].body,
            Markup(
                "<p>Padrón: Address change, with effect from 10/07/2026. "
                "AV DEL PORT 40 3-B</p>"
            ),
        )

    def test_personal_data_change(self):
        # Ana's given name is corrected to Ana María
        result = self.apply(change("PE", D(2026, 10, 8), new__NOMB="ANA MARIA"))
        self.assertEqual(result.updated, 1)
        self.assertEqual(self.ana.first_name, "ANA MARIA")
        self.assertEqual(self.ana.name, "ANA MARIA GARCIA PEREZ")
        self.assertEqual(self.ana.document_number, "12345678Z")
        self.assertEqual(self.events(self.ana).kind_id.code, "personal_data")

    def test_change_not_about_the_address_keeps_the_towns_street(self):
        # the town writes Ana's street its own way; INE's renewal carries
        # its copy of the same dwelling (same household sheet), spelt INE's
        # way: the town's address stays
        self.ana.street = "Carrer de Baix, 12, 2-1"
        street = change("RN", D(2026, 10, 9), new__NVIAC="DE BAIX")
        result = self.apply(street)
        self.assertEqual((result.updated, result.errors), (1, 0))
        self.assertEqual(self.ana.padron_renewal_date, D(2026, 10, 9))
        self.assertEqual(self.ana.street, "Carrer de Baix, 12, 2-1")
        self.assertEqual(self.ana.household_id.name, "01004A0012")
        # a personal data change on another household sheet is a move: the
        # address follows INE's
        moved = change(
            "PE", D(2026, 10, 10), new__NOMB="ANA MARIA", new__NHOP="01004A0099"
        )
        self.assertEqual(self.apply(moved).updated, 1)
        self.assertEqual(self.ana.household_id.name, "01004A0099")
        self.assertNotEqual(self.ana.street, "Carrer de Baix, 12, 2-1")
        self.assertEqual(self.ana.first_name, "ANA MARIA")

    def test_renewal_and_residence_confirmation(self):
        self.apply(change("RN", D(2026, 10, 9)))
        self.assertEqual(self.ana.padron_renewal_date, D(2026, 10, 9))
        self.assertTrue(self.ana.padron_encsarp)
        self.assertEqual(self.ana.padron_renewal_due, D(2028, 10, 9))
        self.apply(change("CO", D(2026, 11, 2)))
        self.assertEqual(self.ana.padron_renewal_date, D(2026, 11, 2))
        # INE re-codes the section of the street (RD): the address follows
        self.apply(change("RD", D(2026, 11, 3), new__SECC=9))
        self.assertEqual(self.ana.section_code, "009")
        self.assertEqual(
            self.events(self.ana).mapped("kind_id.code"),
            ["renewal", "residence_confirmation", "recoding"],
        )

    def test_document_of_another_resident_is_refused(self):
        result = self.apply(
            change("PE", D(2026, 10, 8), new__IDEN=87654321, new__LIDEN="X")
        )
        self.assertEqual((result.updated, result.errors), (0, 1))
        self.assertIn("belongs to another resident", self.report(result)[1])
        self.assertEqual(self.ana.document_number, "12345678Z")

    # -- order, rejections, idempotence ---------------------------------------
    def test_changes_apply_in_date_order(self):
        # the file lists the address change before the arrival it follows
        arrival = record(
            **dict(
                BIRTH,
                ctl__CAUV="CR",
                ctl__FVAR=D(2026, 10, 1),
                new__PRDP=3,
                new__MUDP=14,
                new__NIA="000000006000",
            )
        )
        moved = record(
            **dict(
                BIRTH,
                ctl__CVAR="M",
                ctl__CAUV="CD",
                ctl__FVAR=D(2026, 10, 20),
                id__NIA="000000006000",
                id__NOMB="LUCIA",
                new__NIA="000000006000",
                new__NHOP="03002C0001",
            )
        )
        result = self.apply(moved, arrival)
        self.assertEqual((result.created, result.updated, result.errors), (1, 1, 0))
        lucia = self.Partner.search([("nia", "=", "000000006000")])
        self.assertEqual(lucia.household_id.name, "03002C0001")
        self.assertEqual(
            self.events(lucia).mapped("kind_id.code"), ["arrival", "address_change"]
        )
        self.assertEqual(self.events(lucia).mapped("line"), [2, 1])

    def test_bad_records_are_reported_and_the_others_apply(self):
        unknown = baja(
            "DE",
            D(2026, 10, 5),
            id__NIA="999999999999",
            id__IDEN=11111111,
            id__LIDEN="H",
        )
        broken = record(**dict(BIRTH, new__SEXO=2))
        returned = record(
            **dict(BIRTH, ctl__TIPOINF="R", ctl__CDEV="65", new__NIA="000000007000")
        )
        result = self.apply(unknown, record(**BIRTH), broken, returned)
        self.assertEqual(
            (result.rows, result.created, result.errors, result.ine_rejected),
            (4, 1, 2, 1),
        )
        self.assertIn("ine_rejected=1", result.summary_line())
        lines = self.report(result)
        self.assertEqual(len(lines), 4)
        reasons = {line.split(",")[0]: line for line in lines[1:]}
        self.assertIn("no resident with NIA 999999999999", reasons["1"])
        self.assertIn("unknown sex code", reasons["3"])
        self.assertIn("rejected by INE", reasons["4"])
        self.assertIn("65", reasons["4"])
        self.assertFalse(self.Partner.search([("nia", "=", "000000007000")]))

    def test_a_record_the_database_refuses_does_not_stop_the_others(self):
        # Ana registered in 2004: a birth date in 2010 breaks a constraint at
        # write time; the batch is applied again record by record
        wrong = change("PE", D(2026, 10, 8), new__FNAC=D(2010, 1, 1))
        early = record(**dict(BIRTH, ctl__FVAR=D(2026, 9, 1)))  # before FNAC
        result = self.apply(
            record(**dict(BIRTH, new__NIA="000000008000")), wrong, early
        )
        self.assertEqual((result.created, result.updated, result.errors), (1, 0, 2))
        self.assertEqual(result.events, 1)
        reasons = "\n".join(self.report(result))
        self.assertIn("cannot be registered before being born", reasons)
        self.assertIn("before the birth date", reasons)
        self.assertEqual(self.ana.birthdate, D(1980, 5, 4))
        self.assertTrue(self.Partner.search([("nia", "=", "000000008000")]))

    def test_same_file_twice_changes_nothing(self):
        content = (
            record(**BIRTH),
            change("CD", D(2026, 10, 7), new__NHOP="02001B0003"),
            baja(
                "DE",
                D(2026, 10, 30),
                id__NIA="000000000043",
                id__IDEN=87654321,
                id__LIDEN="X",
                id__NOMB="PAU",
                id__APE1="SOLER",
            ),
        )
        first = self.apply(*content)
        self.assertEqual(
            (first.created, first.updated, first.deregistered, first.events),
            (1, 1, 1, 3),
        )
        write_date = self.ana.write_date
        second = self.apply(*content)
        self.assertEqual(
            (second.created, second.updated, second.deregistered, second.unchanged),
            (0, 0, 0, 3),
        )
        self.assertEqual(second.events, 0)
        self.assertEqual(self.ana.write_date, write_date)
        # INE's copy of the same file, sent back with its marks, is the same
        returned = self.apply(
            record(**dict(BIRTH, ctl__TIPOINF="C")),
        )
        self.assertEqual((returned.unchanged, returned.events), (1, 0))

    # -- access ---------------------------------------------------------------
    def test_only_officers_apply_variation_files(self):
        with self.assertRaises(AccessError):
            self.apply(record(**BIRTH), user=self.user_citizen)
        result = self.apply(record(**BIRTH), user=self.officer_citizen)
        self.assertEqual(result.created, 1)
        # users read the events, nobody edits them
        events = self.env["confirma.padron.event"].with_user(self.user_citizen)
        self.assertEqual(events.search_count([("import_id", "=", result.id)]), 1)
        with self.assertRaises(AccessError):
            events.search([("import_id", "=", result.id)]).write({"line": 9})

    # -- the synthetic month ---------------------------------------------------
    def test_synthetic_month_applies_to_the_synthetic_town(self):
        reference = D(2026, 1, 1)
        with tempfile.NamedTemporaryFile(suffix=".csv") as handle:
            synthetic.write_csv(handle.name, 300, seed=5, reference_date=reference)
            population = run_jobs(
                lambda: self.env["confirma.padron.import"].import_file(
                    handle.name, "padron.csv"
                )
            )[0]
        self.assertEqual(population.errors, 0)
        lines = list(
            synthetic_ine_h.generate_variations(300, "2026-02", 5, None, reference)
        )
        self.assertEqual(
            lines,
            list(
                synthetic_ine_h.generate_variations(300, "2026-02", 5, None, reference)
            ),
        )  # deterministic
        result = run_jobs(
            lambda: self.env["confirma.padron.import"].import_file(
                io.BytesIO(h_file(*lines)), "H.txt", file_format="ine_h"
            )
        )[0]
        self.assertEqual(result.errors, 0, self.report(result) if result.errors else "")
        self.assertEqual(result.events, len(lines))
        kinds = set(result.event_ids.mapped("kind_id.code"))
        self.assertTrue(
            {"birth", "death", "arrival", "departure", "address_change"} <= kinds
        )
        exact = synthetic_ine_h.generate_variations(300, "2026-03", 5, 500, reference)
        self.assertEqual(len(list(exact)), 500)
