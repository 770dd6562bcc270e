# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo import api, fields, models
from odoo.exceptions import UserError

from .. import package as packages


class _DryRun(Exception):
    def __init__(self, values):
        super().__init__()
        self.values = values


class ConfirmaPackageImport(models.TransientModel):
    """Import a procedure package: read it (who published and sealed it,
    what changed since the version imported), set this town's values of
    its local parameters, run its test cases, and import it only when
    they pass."""

    _name = "confirma.package.import"
    _description = "Import a procedure package"

    step = fields.Selection(
        [("upload", "File"), ("review", "Values"), ("tested", "Tested")],
        default="upload",
        required=True,
    )
    file = fields.Binary(string="Package file", required=True)
    filename = fields.Char()
    company_id = fields.Many2one(
        "res.company",
        string="Municipality",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    code = fields.Char(readonly=True)
    version = fields.Char(readonly=True)
    procedure_name = fields.Char(string="Procedure", readonly=True)
    publisher = fields.Char(string="Published by", readonly=True)
    published_date = fields.Date(string="Published on", readonly=True)
    seal = fields.Char(readonly=True)
    diff = fields.Text(string="Changes from the version imported", readonly=True)
    current_version = fields.Char(string="Version imported", readonly=True)
    line_ids = fields.One2many(
        "confirma.package.import.line", "wizard_id", string="Local values"
    )
    test_total = fields.Integer(string="Test cases", readonly=True)
    test_passed = fields.Integer(string="Passed", readonly=True)
    test_failed = fields.Integer(string="Failed", readonly=True)
    test_report = fields.Text(readonly=True)

    def _package(self):
        self.ensure_one()
        return self.env["confirma.package"]._load(base64.b64decode(self.file or b""))

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import a procedure package"),
        }

    def action_read(self):
        """Read the file: publisher, seal, changes, and the values to set."""
        self.ensure_one()
        Package = self.env["confirma.package"]
        package = self._package()
        seal = Package._check_seal(package)
        existing = Package._existing(package, self.company_id)
        Package._check_version(package, existing)
        values = Package._values(package, existing, {})
        previous = Package._previous(existing)
        lang = self.env.lang or "en_US"
        self.line_ids = [(5, 0, 0)] + [
            (
                0,
                0,
                {
                    "name": spec["name"],
                    "label": packages.text(spec.get("label") or spec["name"], lang),
                    "help": packages.text(spec.get("help") or "", lang),
                    "unit": spec.get("unit") or "",
                    "default_value": str(spec["default"]),
                    "value": str(values[spec["name"]]),
                },
            )
            for spec in package["parameters"]
        ]
        self.write(
            {
                "step": "review",
                "code": package["code"],
                "version": package["version"],
                "procedure_name": packages.text(package["procedure"]["name"], lang),
                "publisher": " · ".join(
                    filter(
                        None,
                        [
                            package["publisher"]["name"],
                            package["publisher"].get("ine_code"),
                            package["publisher"].get("contact"),
                        ],
                    )
                ),
                "published_date": package["publisher"]["date"],
                "seal": self.env._("Sealed by %(signer)s, intact", signer=seal.signer)
                if seal.signed
                else self.env._("Not sealed: check that it comes from its publisher"),
                "current_version": existing.package_id.version or False,
                "diff": "\n".join(packages.diff(previous, package, lang[:2]))
                if previous
                else False,
            }
        )
        return self._reopen()

    def _overrides(self):
        return {line.name: line.value for line in self.line_ids}

    def action_test(self):
        """Run the test cases with these values, importing nothing."""
        self.ensure_one()
        Package = self.env["confirma.package"]
        try:
            with self.env.cr.savepoint():
                record = Package._import_package(
                    base64.b64decode(self.file),
                    self._overrides(),
                    self.company_id,
                    activate=False,
                )
                raise _DryRun(
                    {
                        key: record[key]
                        for key in (
                            "test_total",
                            "test_passed",
                            "test_failed",
                            "test_report",
                        )
                    }
                )
        except _DryRun as dry:
            self.env.invalidate_all()
            self.write(dict(dry.values, step="tested"))
        return self._reopen()

    def action_import(self):
        """Import for good: refused (and kept as refused) if a test case
        fails."""
        self.ensure_one()
        record = self.env["confirma.package"]._import_package(
            base64.b64decode(self.file), self._overrides(), self.company_id
        )
        if record.state == "refused":
            self.write(
                {
                    "step": "tested",
                    "test_total": record.test_total,
                    "test_passed": record.test_passed,
                    "test_failed": record.test_failed,
                    "test_report": record.test_report,
                }
            )
            return self._reopen()
        return {
            "type": "ir.actions.act_window",
            "res_model": "confirma.procedure",
            "res_id": record.procedure_id.id,
            "view_mode": "form",
            "target": "current",
        }


class ConfirmaPackageImportLine(models.TransientModel):
    _name = "confirma.package.import.line"
    _description = "Local value of a package being imported"

    wizard_id = fields.Many2one(
        "confirma.package.import", required=True, ondelete="cascade"
    )
    name = fields.Char(string="Key", readonly=True)
    label = fields.Char(string="Parameter", readonly=True)
    help = fields.Text(string="Explanation", readonly=True)
    unit = fields.Char(readonly=True)
    default_value = fields.Char(string="Package default", readonly=True)
    value = fields.Char(string="Value here", required=True)

    @api.constrains("value")
    def _check_value(self):
        for line in self:
            if not (line.value or "").strip():
                raise UserError(
                    self.env._("Give a value for %(label)s.", label=line.label)
                )
