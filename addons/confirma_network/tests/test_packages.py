# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import copy
import datetime
import json

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .. import package as packages
from .common import TODAY, ConfirmaNetworkCommon


def seal_material(name):
    """A key and a self-signed certificate of a town's seal (test only)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
            x509.NameAttribute(NameOID.COMMON_NAME, f"SELLO {name}"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return (
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        certificate.public_bytes(serialization.Encoding.PEM),
    )


@tagged("post_install", "-at_install")
@freeze_time(str(TODAY))
class TestPackageRoundTrip(ConfirmaNetworkCommon):
    def test_export_describes_the_procedure(self):
        package = self.export()
        self.assertEqual(package["format"], packages.FORMAT)
        self.assertEqual((package["code"], package["version"]), ("RENT", "1.0.0"))
        self.assertEqual(package["publisher"]["ine_code"], "46900")
        self.assertEqual(
            package["procedure"]["name"],
            {
                "en": "Rent aid for young people",
                "es": "Ayuda al alquiler para jóvenes",
                "ca": "Ajuda al lloguer per a joves",
            },
        )
        self.assertEqual(
            [(a["norm"], a["article"]) for a in package["procedure"]["legal_basis"]],
            [("Real Decreto 42/2022", "art. 3"), ("Ley 39/2015", "art. 28.2")],
        )
        age = package["rule"]["conditions"][0]
        self.assertEqual(
            (age["kind"], age["min_value"], age["max_value"]),
            ("age", {"$param": "min_age"}, {"$param": "max_age"}),
        )
        self.assertEqual(
            [(p["name"], p["default"], p["unit"]) for p in package["parameters"]],
            [
                ("min_age", 18, "years"),
                ("max_age", 35, "years"),
                ("min_years", 2, "years"),
            ],
        )
        self.assertEqual(len(package["tests"]["cases"]), 4)
        # the file as published reads back, and is what the schema allows
        self.assertEqual(packages.load(packages.dumps(package).encode()), package)

    def test_round_trip_with_other_local_values(self):
        """Town A's rent aid into town B with a lower age limit: its test
        cases pass there, it is active, and it finds B's residents by B's
        own limit (``./confirma procedure evaluate`` prints this count)."""
        record = self.import_into_b(self.export(), {"max_age": "30"})
        self.assertEqual(record.state, "imported", record.test_report)
        self.assertEqual(
            (record.test_total, record.test_passed, record.test_failed), (4, 4, 0)
        )
        self.assertEqual(record.publisher_name, "Ajuntament de Vilademo")
        self.assertEqual(record.seal_state, "unsigned")
        procedure = record.procedure_id
        self.assertEqual(procedure.company_id, self.town_b)
        self.assertEqual(procedure.state, "active")
        self.assertEqual(procedure.package_id, record)
        self.assertEqual(
            {p.name: p.value for p in procedure.parameter_ids},
            {"min_age": "18", "max_age": "30", "min_years": "2"},
        )
        age = procedure.rule_id.condition_ids[0]
        self.assertEqual((age.min_value, age.max_value), (18, 30))
        self.assertEqual(procedure.rule_id.company_id, self.town_b)
        # B's residents of 20, 29, 31 and 40: two are 30 or younger
        self.assertEqual(procedure.with_user(self.manager_b).evaluate()[0], 2)
        self.assertEqual(
            procedure.with_context(lang="ca_ES").name, "Ajuda al lloguer per a joves"
        )
        self.assertEqual(len(procedure.legal_article_ids), 2)
        self.assertIn("PASS At the maximum age", record.test_report)
        # and back: B's export carries B's values as the defaults
        back = self.export(procedure, self.manager_b)
        self.assertEqual([p["default"] for p in back["parameters"]], [18, 30, 2])
        self.assertEqual(back["publisher"]["ine_code"], "46901")

    def test_letters_texts_travel_where_the_installation_has_them(self):
        """With the legal documents addon, the resolutions' texts (es/ca)
        and the maximum time to resolve go with the package; without it,
        the package has no such section."""
        if "resolution_grant_text" not in self.rent._fields:
            self.assertNotIn("messages", self.export())
            return
        self.rent.write(
            {"resolution_grant_text": "<p>Granted.</p>", "max_resolution_days": 45}
        )
        self.rent.with_context(lang="ca_ES").resolution_grant_text = "<p>Concedida.</p>"
        package = self.export()
        self.assertEqual(package["messages"]["max_resolution_days"], 45)
        self.assertEqual(
            package["messages"]["resolution_grant"]["ca"], "<p>Concedida.</p>"
        )
        procedure = self.import_into_b(package).procedure_id
        self.assertEqual(procedure.max_resolution_days, 45)
        self.assertEqual(
            procedure.with_context(lang="ca_ES").resolution_grant_text,
            "<p>Concedida.</p>",
        )

    def test_a_failing_test_case_refuses_the_import(self):
        """A case the publisher wrote for its own limit (a 33-year-old
        qualifies) fails where the limit is 30: nothing is imported, the
        refusal is kept with the failing case."""
        package = self.export()
        package["tests"]["cases"].append(
            {
                "name": "A 33-year-old qualifies",
                "resident": {"age": 33, "registered_years": 5},
                "expected": {"eligible": True},
            }
        )
        record = self.import_into_b(package, {"max_age": 30})
        self.assertEqual(record.state, "refused")
        self.assertEqual(
            (record.test_total, record.test_passed, record.test_failed), (5, 4, 1)
        )
        self.assertIn(
            "FAIL A 33-year-old qualifies: does not qualify, and should",
            record.test_report,
        )
        self.assertFalse(record.procedure_id)
        Procedure = self.env["confirma.procedure"].with_context(active_test=False)
        self.assertFalse(
            Procedure.search(
                [("code", "=", "RENT"), ("company_id", "=", self.town_b.id)]
            )
        )
        self.assertFalse(
            self.env["res.partner"].search([("name", "like", "(test)")]),
            "the test residents are rolled back",
        )
        # with the publisher's own limit the same package is accepted
        record = self.import_into_b(package)
        self.assertEqual(record.state, "imported", record.test_report)

    def test_explanations_are_checked_in_each_language(self):
        package = self.export()
        package["tests"]["cases"][0]["expected"]["explanation"]["ca"] = ["jubilat"]
        record = self.import_into_b(package)
        self.assertEqual(record.state, "refused")
        self.assertIn("the ca explanation lacks “jubilat”", record.test_report)

    def test_a_newer_version_shows_its_changes_and_keeps_local_values(self):
        first = self.export()
        self.assertEqual(self.import_into_b(first, {"max_age": 30}).state, "imported")
        newer = copy.deepcopy(first)
        newer["version"] = "1.1.0"
        newer["procedure"]["name"]["es"] = "Bono alquiler joven"
        newer["parameters"][1]["default"] = 32
        newer["rule"]["conditions"].append({"kind": "no_opposition"})
        record = self.import_into_b(newer)
        self.assertEqual(record.state, "imported", record.test_report)
        self.assertIn("version: 1.0.0 → 1.1.0", record.diff)
        self.assertIn("parameters: max_age.default: 35 → 32", record.diff)
        self.assertIn(
            'rule: conditions[2] added: {"kind": "no_opposition"}', record.diff
        )
        procedure = record.procedure_id
        self.assertEqual(procedure.package_id, record)
        self.assertEqual(procedure.parameter_ids[1].value, "30", "B's own value")
        self.assertEqual(len(procedure.rule_id.condition_ids), 3)
        self.assertEqual(procedure.rule_id.condition_ids[0].max_value, 30)
        self.assertEqual(
            procedure.with_context(lang="es_ES").name, "Bono alquiler joven"
        )
        # the same version again, or an older one: refused with the reason
        with self.assertRaisesRegex(UserError, "not newer than the one imported"):
            self.import_into_b(newer)

    def test_unreadable_files_are_refused_with_the_reason(self):
        Package = self.env["confirma.package"].with_user(self.manager_b)
        with self.assertRaisesRegex(UserError, "not a JSON file: line 1"):
            Package._import_package(b"{oops", {}, self.town_b)
        package = self.export()
        del package["rule"]
        package["parameters"][0]["type"] = "colour"
        with self.assertRaises(UserError) as caught:
            self.import_into_b(package)
        message = str(caught.exception)
        self.assertIn("'rule' is a required property", message)
        self.assertIn("parameters[0].type", message)
        with self.assertRaisesRegex(UserError, "max_age: 'old' is not a whole number"):
            self.import_into_b(self.export(), {"max_age": "old"})
        with self.assertRaisesRegex(UserError, "max_age: 120 is above 99"):
            self.import_into_b(self.export(), {"max_age": "120"})
        with self.assertRaisesRegex(UserError, "colour: the package has no such"):
            self.import_into_b(self.export(), {"colour": "red"})

    def test_sealed_package_shows_its_publisher_and_refuses_changes(self):
        key, certificate = seal_material("AJUNTAMENT DE VILADEMO")
        sealed = packages.sign(self.export(), key, certificate)
        self.assertTrue(packages.verify(sealed).valid)
        tampered = copy.deepcopy(sealed)
        tampered["parameters"][1]["default"] = 99
        with self.assertRaisesRegex(UserError, "seal does not match its content"):
            self.import_into_b(tampered)
        record = self.import_into_b(sealed)
        self.assertEqual(record.seal_state, "valid")
        self.assertEqual(
            record.signer, "AJUNTAMENT DE VILADEMO, SELLO AJUNTAMENT DE VILADEMO"
        )
        self.assertEqual(record.digest, packages.digest(sealed))
        stored = json.loads(base64.b64decode(record.content))
        self.assertTrue(packages.verify(stored).valid, "kept as published")

    def test_export_button_downloads_the_package(self):
        action = self.rent.with_user(self.manager_a).action_export_package()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[-1].split("?")[0])
        )
        self.assertEqual(attachment.name, "RENT-1.0.0.confirma.json")
        self.assertEqual(packages.load(attachment.raw)["code"], "RENT")

    def test_run_test_cases_from_the_form(self):
        action = self.rent.with_user(self.manager_a).action_run_package_tests()
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(set(self.rent.test_case_ids.mapped("last_result")), {"passed"})
        # a local value that breaks a case the publisher wrote literally
        self.rent.test_case_ids[1].resident = json.dumps(
            {"age": 36, "registered_years": 5}
        )
        self.rent.parameter_ids[1].with_user(self.manager_a).value = "40"
        action = self.rent.with_user(self.manager_a).action_run_package_tests()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertEqual(self.rent.test_case_ids[1].last_result, "failed")
        self.assertEqual(self.rent.rule_id.condition_ids[0].max_value, 40)

    def test_the_wizard_reads_tests_and_imports(self):
        Wizard = self.env["confirma.package.import"].with_user(self.manager_b)
        wizard = Wizard.with_company(self.town_b).create(
            {
                "file": base64.b64encode(packages.dumps(self.export()).encode()),
                "company_id": self.town_b.id,
            }
        )
        wizard.action_read()
        self.assertEqual(wizard.step, "review")
        self.assertEqual(wizard.procedure_name, "Rent aid for young people")
        self.assertIn("Ajuntament de Vilademo", wizard.publisher)
        self.assertEqual(wizard.line_ids.mapped("value"), ["18", "35", "2"])
        wizard.line_ids[1].value = "29"
        wizard.action_test()
        self.assertEqual((wizard.step, wizard.test_failed), ("tested", 0))
        self.assertFalse(
            self.env["confirma.package"].search([("company_id", "=", self.town_b.id)]),
            "a test run imports nothing",
        )
        action = wizard.action_import()
        procedure = self.env["confirma.procedure"].browse(action["res_id"])
        self.assertEqual(procedure.company_id, self.town_b)
        self.assertEqual(procedure.rule_id.condition_ids[0].max_value, 29)


@tagged("post_install", "-at_install")
class TestShippedPackages(ConfirmaNetworkCommon):
    """Every package shipped with the addon (the demo procedures) imports
    into a town that has none of them, with its defaults, and its test
    cases pass there."""

    def test_every_shipped_package_imports(self):
        shipped = self.env["confirma.package"]._shipped()
        self.assertGreaterEqual(len(shipped), 5)
        for code, package in shipped.items():
            with self.subTest(code=code):
                self.assertEqual(package["code"], code)
                record = self.import_into_b(package)
                self.assertEqual(record.state, "imported", record.test_report)
                self.assertGreaterEqual(record.test_total, 3)
                self.assertEqual(record.test_failed, 0)
                self.assertEqual(record.procedure_id.state, "active")
