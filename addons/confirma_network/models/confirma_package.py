# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import json
from dataclasses import dataclass, field
from pathlib import Path

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.modules.module import get_module_path

from odoo.addons.confirma_tramites.models.confirma_procedure import EVENT_QUEUE_KEY

from .. import package as packages
from .confirma_procedure import (
    CONDITION_PLAIN,
    MESSAGE_FIELDS,
    PHASE_TEXTS,
    REQUIREMENT_PLAIN,
)

DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
#: a test resident's age in years is taken half a year past the birthday
#: (so that "35" is 35 on any day), and the same for years registered
HALF_YEAR = relativedelta(days=182)


@dataclass
class CaseResult:
    """What one test case gave: did the rule say what the package expects."""

    name: str
    passed: bool
    eligible: bool
    expected: bool
    message: str = ""
    explanations: dict = field(default_factory=dict)


class _Refused(Exception):
    """A test case failed: roll the import back, keep its report."""

    def __init__(self, results):
        super().__init__()
        self.results = results


class ConfirmaPackage(models.Model):
    """A procedure package imported into this municipality (each version
    once): who published it, its seal, the local values it was imported
    with, what changed since the previous version and its test cases'
    results. A refused import is kept too, with the failing cases."""

    _name = "confirma.package"
    _description = "Procedure package"
    _inherit = ["mail.thread"]
    _order = "date_import desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    code = fields.Char(required=True, readonly=True, index=True)
    version = fields.Char(required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company",
        string="Municipality",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    procedure_id = fields.Many2one(
        "confirma.procedure", readonly=True, check_company=True, index=True
    )
    procedure_name = fields.Char(string="Procedure name", readonly=True)
    publisher_name = fields.Char(string="Published by", readonly=True)
    publisher_ine_code = fields.Char(string="Publisher's INE code", readonly=True)
    published_date = fields.Date(string="Published on", readonly=True)
    seal_state = fields.Selection(
        [
            ("unsigned", "Not sealed"),
            ("valid", "Sealed, intact"),
        ],
        string="Seal",
        readonly=True,
        required=True,
        default="unsigned",
    )
    signer = fields.Char(string="Sealed by", readonly=True)
    digest = fields.Char(string="SHA-256", readonly=True)
    content = fields.Binary(string="Package file", attachment=True, readonly=True)
    filename = fields.Char(readonly=True)
    parameter_values = fields.Text(string="Local values", readonly=True)
    state = fields.Selection(
        [("imported", "Imported"), ("refused", "Refused")],
        required=True,
        readonly=True,
        default="imported",
        tracking=True,
    )
    test_total = fields.Integer(string="Test cases", readonly=True)
    test_passed = fields.Integer(string="Passed", readonly=True)
    test_failed = fields.Integer(string="Failed", readonly=True)
    test_report = fields.Text(readonly=True)
    diff = fields.Text(string="Changes from the previous version", readonly=True)
    date_import = fields.Datetime(
        string="Imported on", readonly=True, default=fields.Datetime.now
    )

    @api.depends("code", "version")
    def _compute_name(self):
        for package in self:
            package.name = f"{package.code} {package.version}"

    # ---- reading ------------------------------------------------------------------
    @api.model
    def _load(self, data):
        """The package in ``data`` (bytes), or a translated error naming
        every problem."""
        try:
            return packages.load(data)
        except packages.PackageError as error:
            raise UserError(
                self.env._(
                    "This file is not a procedure package Confirm@ can read: "
                    "%(reasons)s",
                    reasons=error,
                )
            ) from None

    @api.model
    def _check_seal(self, package):
        """The package's seal: refused when it does not cover its content."""
        seal = packages.verify(package)
        if seal.signed and not seal.valid:
            raise UserError(
                self.env._(
                    "The package's seal does not match its content (%(error)s): "
                    "it was changed after %(signer)s sealed it. Ask the publisher "
                    "for the original file.",
                    error=seal.error,
                    signer=seal.signer or self.env._("its publisher"),
                )
            )
        return seal

    @api.model
    def _existing(self, package, company):
        return (
            self.env["confirma.procedure"]
            .with_context(active_test=False)
            .search(
                [("code", "=", package["code"]), ("company_id", "=", company.id)],
                limit=1,
            )
        )

    @api.model
    def _previous(self, procedure):
        """The package ``procedure`` was last imported from, as a dict."""
        record = procedure.package_id
        if not record or not record.content:
            return None
        return json.loads(base64.b64decode(record.content))

    @api.model
    def _check_version(self, package, procedure):
        previous = procedure.package_id
        if not procedure:
            return
        if not previous:
            raise UserError(
                self.env._(
                    "%(name)s already has a procedure with the code %(code)s that "
                    "was not imported from a package: change one of the codes "
                    "first.",
                    name=procedure.company_id.name,
                    code=package["code"],
                )
            )
        if packages.version_key(package["version"]) <= packages.version_key(
            previous.version
        ):
            raise UserError(
                self.env._(
                    "Version %(version)s of %(code)s is not newer than the one "
                    "imported (%(current)s).",
                    version=package["version"],
                    code=package["code"],
                    current=previous.version,
                )
            )

    @api.model
    def _values(self, package, procedure, overrides):
        """The parameters' values here: the package's defaults, the town's
        own values (kept from the previous version), then ``overrides``."""
        declared = {p["name"] for p in package["parameters"]}
        local = {p.name: p.value for p in procedure.parameter_ids if p.name in declared}
        local.update(overrides or {})
        try:
            return packages.parameter_values(package, local)
        except packages.PackageError as error:
            raise UserError(
                self.env._("Check the local values: %(reasons)s", reasons=error)
            ) from None

    # ---- import -------------------------------------------------------------------
    @api.private
    def _import_package(self, data, overrides=None, company=None, activate=True):
        """Import the package file ``data`` (bytes) into ``company`` with the
        local values ``overrides`` ({name: value}): the procedure is built
        (or updated, keeping the town's values), the package's test cases
        run against its rule as it runs here, and only if they all pass is
        it kept (and activated). Returns the ``confirma.package`` record:
        ``state`` says imported or refused."""
        self.check_access("create")
        company = company or self.env.company
        package = self._load(data)
        seal = self._check_seal(package)
        existing = self._existing(package, company)
        self._check_version(package, existing)
        values = self._values(package, existing, overrides)
        previous = self._previous(existing)
        lang = self.env.lang or "en_US"
        record_values = {
            "code": package["code"],
            "version": package["version"],
            "company_id": company.id,
            "procedure_name": packages.text(package["procedure"]["name"], lang),
            "publisher_name": package["publisher"]["name"],
            "publisher_ine_code": package["publisher"].get("ine_code"),
            "published_date": package["publisher"]["date"],
            "seal_state": "valid" if seal.signed else "unsigned",
            "signer": seal.signer,
            "digest": packages.digest(package),
            "content": base64.b64encode(packages.dumps(package).encode("utf-8")),
            "filename": f"{package['code']}-{package['version']}.confirma.json",
            "parameter_values": json.dumps(values, ensure_ascii=False),
            "diff": "\n".join(packages.diff(previous, package, lang[:2]))
            if previous
            else False,
        }
        try:
            with self.env.cr.savepoint():
                procedure, notes = self._build(package, values, company, existing)
                results = self._run_tests(procedure, package, values)
                if any(not result.passed for result in results):
                    raise _Refused(results)
        except _Refused as refused:
            self.env.invalidate_all()
            record_values.update(self._report(refused.results, []), state="refused")
            record = self.create(record_values)
            record.message_post(
                body=self.env._(
                    "Refused: %(failed)s of %(total)s test cases failed with "
                    "these local values.",
                    failed=record.test_failed,
                    total=record.test_total,
                )
            )
            return record
        record_values.update(
            self._report(results, notes),
            state="imported",
            procedure_id=procedure.id,
        )
        record = self.create(record_values)
        procedure.package_id = record
        if activate and procedure.state == "draft":
            procedure.action_submit()
            procedure.action_approve_protocol()
            procedure.action_activate()
        return record

    def _report(self, results, notes):
        lines = []
        for result in results:
            mark = "PASS" if result.passed else "FAIL"
            lines.append(f"{mark} {result.name}: {result.message}")
        lines += notes
        return {
            "test_total": len(results),
            "test_passed": sum(r.passed for r in results),
            "test_failed": sum(not r.passed for r in results),
            "test_report": "\n".join(lines),
        }

    # ---- building the procedure ---------------------------------------------------
    def _langs(self):
        return self.env["confirma.procedure"]._package_langs()

    def _translate(self, record, field_name, translations):
        """Write a text in each package language installed here."""
        if not translations:
            return
        if not isinstance(translations, dict):
            translations = {"en": translations}
        langs = self._langs()
        first = packages.text(translations, "en")
        record.with_context(lang="en_US").write({field_name: first})
        for short, code in langs.items():
            if short != "en" and translations.get(short):
                record.with_context(lang=code).write({field_name: translations[short]})

    def _build(self, package, values, company, existing):
        """Create (or update) the procedure of ``package`` in ``company``;
        returns it and notes for the report."""
        notes = []
        env = self.env(context=dict(self.env.context, lang="en_US"))
        Procedure = env["confirma.procedure"].with_company(company)
        self._ensure_fact_types(package.get("fact_types", []))
        rule = self._create_rule(
            packages.resolve(package["rule"], values),
            company,
            package["procedure"]["name"],
        )
        spec = package["procedure"]
        procedure_values = {
            "code": package["code"],
            "company_id": company.id,
            "periodicity": spec["periodicity"],
            "applicant": spec["applicant"],
            "rule_id": rule.id,
            "package_version": package["version"],
            "legal_basis": "\n".join(
                " ".join(filter(None, [a["norm"], a.get("article")]))
                for a in spec.get("legal_basis", [])
            ),
        }
        if existing:
            procedure = existing.with_env(env)
            old_rule = procedure.rule_id
            procedure.write(procedure_values)
            if old_rule and not old_rule.procedure_ids:
                old_rule.active = False
            procedure.legal_article_ids.unlink()
            procedure.test_case_ids.unlink()
        else:
            procedure_values["name"] = packages.text(spec["name"], "en")
            procedure = Procedure.create(procedure_values)
        self._translate(procedure, "name", spec["name"])
        self._translate(procedure, "description", spec.get("description"))
        self._build_messages(procedure, package.get("messages") or {})
        self._build_lines(procedure, "phase_ids", spec["phases"], self._phase_values)
        notes += self._build_lines(
            procedure,
            "requirement_ids",
            spec["requirements"],
            lambda line: self._requirement_values(line, company),
        )
        self._build_articles(procedure, spec.get("legal_basis", []))
        self._build_tests(procedure, package)
        self._build_parameters(procedure, package, values)
        notes += self._build_survey(procedure, package.get("survey"))
        notes += self._build_indicators(company, package.get("indicators", []))
        return procedure.with_env(self.env), notes

    def _build_messages(self, procedure, messages):
        """The letters' texts, where this installation has them."""
        for key, field_name in MESSAGE_FIELDS.items():
            if field_name in procedure._fields and messages.get(key):
                self._translate(procedure, field_name, messages[key])
        days = messages.get("max_resolution_days")
        if days and "max_resolution_days" in procedure._fields:
            procedure.max_resolution_days = days

    def _build_articles(self, procedure, specs):
        for index, article in enumerate(specs, 1):
            line = self.env["confirma.procedure.legal.article"].create(
                {
                    "procedure_id": procedure.id,
                    "sequence": index,
                    "norm": article["norm"],
                    "article": article.get("article"),
                    "url": article.get("url"),
                }
            )
            self._translate(line, "summary", article.get("summary"))

    def _build_tests(self, procedure, package):
        TestCase = self.env["confirma.procedure.test.case"]
        TestCase.create(
            [
                dict(values, procedure_id=procedure.id)
                for values in TestCase._from_package(package["tests"]["cases"])
            ]
        )

    def _build_lines(self, procedure, field_name, specs, to_values):
        """Phases or requirements: matched by position (their ids stay, the
        cases that refer to them too), extra ones added, surplus archived
        or removed."""
        notes = []
        lines = procedure[field_name]
        model = lines._name
        for index, spec in enumerate(specs, 1):
            values, texts, line_notes = to_values(spec)
            notes += line_notes
            values.update(sequence=index)
            if index <= len(lines):
                line = lines[index - 1]
                line.write(values)
            else:
                values["procedure_id"] = procedure.id
                values.update({k: packages.text(v, "en") for k, v in texts.items()})
                line = self.env[model].with_env(procedure.env).create(values)
            for name, translations in texts.items():
                self._translate(line, name, translations)
        surplus = lines[len(specs) :]
        if surplus:
            surplus.unlink()
        return notes

    def _phase_values(self, spec):
        texts = {name: spec[name] for name in PHASE_TEXTS if name in spec}
        values = {"kind": spec["kind"], "duration_days": spec.get("duration_days", 0)}
        values.update({k: packages.text(v, "en") for k, v in texts.items()})
        return values, texts, []

    def _requirement_values(self, spec, company):
        texts = {"name": spec["name"]}
        if "document_name" in spec:
            texts["document_name"] = spec["document_name"]
        values = {name: spec[name] for name in REQUIREMENT_PLAIN if name in spec}
        values.update({k: packages.text(v, "en") for k, v in texts.items()})
        notes = []
        service = spec.get("service")
        if service:
            found = None
            if "confirma.interop.service" in self.env:
                # the catalogue (the interoperability addon's groups): only
                # whether this town has the service, by its code
                found = (
                    self.env["confirma.interop.service"]
                    .sudo()
                    .search(
                        [
                            ("code", "=", service["code"]),
                            ("company_id", "in", [company.id, False]),
                        ],
                        limit=1,
                    )
                )
            if found:
                values["interop_service_id"] = found.id
            else:
                notes.append(
                    self.env._(
                        "NOTE the data service %(code)s is not configured here: "
                        "the requirement %(name)s is checked by the officer until "
                        "it is.",
                        code=service["code"],
                        name=values["name"],
                    )
                )
        return values, texts, notes

    def _ensure_fact_types(self, specs):
        FactType = self.env["confirma.fact.type"].with_context(active_test=False)
        for spec in specs:
            if FactType.search_count([("code", "=", spec["code"])]):
                continue
            fact_type = FactType.create(
                {
                    "code": spec["code"],
                    "name": packages.text(spec["name"], "en"),
                    "value_type": spec["value_type"],
                }
            )
            self._translate(fact_type, "name", spec["name"])

    def _create_rule(self, tree, company, name):
        Rule = self.env["confirma.rule"].with_context(lang="en_US")
        conditions = []
        for sequence, spec in enumerate(tree["conditions"], 1):
            values = {"sequence": sequence, "kind": spec["kind"]}
            for key in ("negate", "subject", "reference"):
                if key in spec:
                    values[key] = spec[key]
            for key in CONDITION_PLAIN:
                if key in spec:
                    value = spec[key]
                    values[key] = (
                        str(value) if key in ("fact_value", "codes") else value
                    )
            if "countries" in spec:
                countries = self.env["res.country"].search(
                    [("code", "in", spec["countries"])]
                )
                values["country_ids"] = [(6, 0, countries.ids)]
            if "country_group" in spec:
                group = self.env.ref(spec["country_group"], raise_if_not_found=False)
                if not group or group._name != "res.country.group":
                    group = self.env["res.country.group"].search(
                        [("name", "=", spec["country_group"])], limit=1
                    )
                values["country_group_id"] = group.id
            if "fact" in spec:
                values["fact_type_id"] = (
                    self.env["confirma.fact.type"]
                    .search([("code", "=", spec["fact"])], limit=1)
                    .id
                )
            if "of_procedure" in spec:
                values["beneficiary_procedure_id"] = (
                    self.env["confirma.procedure"]
                    .search(
                        [
                            ("code", "=", spec["of_procedure"]),
                            ("company_id", "=", company.id),
                        ],
                        limit=1,
                    )
                    .id
                )
            if spec["kind"] == "group":
                group = self._create_rule(
                    spec["group"], company, spec["group"].get("name") or name
                )
                group.is_group = True
                values["group_id"] = group.id
            conditions.append((0, 0, values))
        rule = Rule.create(
            {
                "name": packages.text(tree.get("name") or name, "en"),
                "company_id": company.id,
                "match": tree["match"],
                "condition_ids": conditions,
            }
        )
        self._translate(rule, "name", tree.get("name") or name)
        return rule

    def _build_parameters(self, procedure, package, values):
        """The procedure's parameters, with this town's values, each bound
        to the condition of the new rule that uses it."""
        bindings = {}
        self._bind(package["rule"], procedure.rule_id, bindings)
        existing = {p.name: p for p in procedure.parameter_ids}
        declared = {p["name"] for p in package["parameters"]}
        (procedure.parameter_ids.filtered(lambda p: p.name not in declared)).unlink()
        for sequence, spec in enumerate(package["parameters"], 1):
            condition, field_name = bindings.get(spec["name"], (None, False))
            line_values = {
                "sequence": sequence,
                "value_type": spec["type"],
                "unit": spec.get("unit") or False,
                "value": str(values[spec["name"]]),
                "default_value": str(spec["default"]),
                "minimum": spec.get("minimum", 0),
                "maximum": spec.get("maximum", 0),
                "condition_id": condition.id if condition else False,
                "condition_field": field_name,
            }
            parameter = existing.get(spec["name"])
            if parameter:
                parameter.write(line_values)
            else:
                line_values.update(
                    procedure_id=procedure.id,
                    name=spec["name"],
                    label=packages.text(spec.get("label") or spec["name"], "en"),
                )
                parameter = self.env["confirma.procedure.parameter"].create(line_values)
            self._translate(parameter, "label", spec.get("label"))
            self._translate(parameter, "help", spec.get("help"))

    def _bind(self, tree, rule, bindings):
        """Which condition (and field) of ``rule`` each parameter of the
        package's ``tree`` sets."""
        for spec, condition in zip(tree["conditions"], rule.condition_ids, strict=True):
            for key in CONDITION_PLAIN:
                value = spec.get(key)
                if isinstance(value, dict) and "$param" in value:
                    bindings.setdefault(value["$param"], (condition, key))
            if spec["kind"] == "group":
                self._bind(spec["group"], condition.group_id, bindings)

    def _build_survey(self, procedure, spec):
        if not spec:
            return []
        # surveys have their own groups; a procedures manager (checked by
        # _import_package) brings the procedure's survey with it
        Survey = self.env["survey.survey"].sudo().with_context(lang="en_US")
        Procedure = self.env["confirma.procedure"]
        title = packages.text(spec["title"], "en")
        wanted = spec["title"] if isinstance(spec["title"], dict) else {"en": title}
        # the same survey already here: its title in a language both have
        survey = Survey.search([("confirma_kind", "=", "citizen")]).filtered(
            lambda s: any(
                wanted.get(short) == text
                for short, text in Procedure._package_text(s, "title").items()
            )
        )[:1]
        notes = []
        if not survey:
            survey = Survey.create(
                {
                    "title": title,
                    "confirma_kind": "citizen",
                    "access_mode": "token",
                    "users_login_required": False,
                    "is_attempts_limited": True,
                    "attempts_limit": 1,
                    "questions_layout": "one_page",
                    "question_and_page_ids": [
                        (0, 0, self._question_values(sequence, question))
                        for sequence, question in enumerate(spec["questions"], 1)
                    ],
                }
            )
            self._translate(survey, "title", spec["title"])
            for question, qspec in zip(
                survey.question_ids, spec["questions"], strict=True
            ):
                self._translate(question, "title", qspec["title"])
                for answer, aspec in zip(
                    question.suggested_answer_ids, qspec.get("answers", []), strict=True
                ):
                    self._translate(answer, "value", aspec)
            notes.append(
                self.env._("NOTE survey created: %(title)s", title=survey.title)
            )
        procedure.write(
            {
                "survey_id": survey.id,
                "survey_delay_days": spec.get(
                    "delay_days", procedure.survey_delay_days
                ),
                "survey_channel": spec.get("channel") or procedure.survey_channel,
            }
        )
        return notes

    def _question_values(self, sequence, spec):
        values = {
            "sequence": sequence,
            "title": packages.text(spec["title"], "en"),
            "question_type": spec["type"],
            "constr_mandatory": spec.get("required", False),
            "confirma_score": spec.get("score", False),
        }
        if spec.get("scale"):
            values.update(scale_min=spec["scale"][0], scale_max=spec["scale"][1])
        if spec.get("answers"):
            values["suggested_answer_ids"] = [
                (0, 0, {"sequence": index, "value": packages.text(answer, "en")})
                for index, answer in enumerate(spec["answers"], 1)
            ]
        return values

    def _build_indicators(self, company, specs):
        Indicator = self.env["confirma.indicator"].with_context(lang="en_US")
        notes = []
        for spec in specs:
            if Indicator.search_count(
                [("code", "=", spec["code"]), ("company_id", "=", company.id)]
            ):
                continue
            indicator = Indicator.create(
                {
                    "code": spec["code"],
                    "name": packages.text(spec["name"], "en"),
                    "company_id": company.id,
                    "method": spec["method"],
                    "unit": spec.get("unit") or "percent",
                    "periodicity": spec.get("periodicity") or "half",
                    "target": spec["target"],
                    "tolerance": spec.get("tolerance", 0),
                    "direction": spec.get("direction") or "higher",
                }
            )
            self._translate(indicator, "name", spec["name"])
            self._translate(indicator, "definition", spec.get("definition"))
            notes.append(
                self.env._(
                    "NOTE indicator created: %(name)s, target %(target)s",
                    name=indicator.name,
                    target=indicator.target,
                )
            )
        return notes

    @api.model
    def _download_action(self, record, filename, text):
        """An action downloading ``text`` as the JSON file ``filename``,
        kept as an attachment of ``record``."""
        attachment = self.env["ir.attachment"].create(
            {
                "name": filename,
                "raw": text.encode("utf-8"),
                "mimetype": "application/json",
                "res_model": record._name,
                "res_id": record.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    # ---- demo -----------------------------------------------------------------------
    @api.model
    def _shipped(self):
        """The packages of the demo procedures shipped with the addon
        (``packages/``), by code."""
        folder = Path(get_module_path("confirma_network")) / "packages"
        return {
            path.stem: packages.load(path.read_bytes())
            for path in sorted(folder.glob("*.json"))
        }

    @api.model
    def _load_demo_network(
        self, town_xmlid, population=300, transfer="RENT", values=None
    ):
        """Demo data: the demo procedures carry the local parameters, legal
        articles and test cases of their shipped packages (exporting one
        gives its package back); the second town gets a small padrón and
        the ``transfer`` procedure by package, with its own ``values``."""
        company = self.env.company
        shipped = self._shipped()
        for code, package in shipped.items():
            procedure = self.env["confirma.procedure"].search(
                [("code", "=", code), ("company_id", "=", company.id)], limit=1
            )
            if not procedure or procedure.parameter_ids or procedure.test_case_ids:
                continue
            defaults = packages.parameter_values(package)
            self._build_parameters(procedure, package, defaults)
            self._build_articles(procedure, package["procedure"].get("legal_basis", []))
            self._build_tests(procedure, package)
        town = self.env.ref(town_xmlid)
        if not self.env["res.partner"].search_count(
            [("company_id", "=", town.id), ("is_resident", "=", True)], limit=1
        ):
            self.env["confirma.padron.import"].with_company(town)._load_demo_population(
                population, 2
            )
        if transfer in shipped and not self._existing(shipped[transfer], town):
            record = self.with_company(town)._import_package(
                packages.dumps(shipped[transfer]).encode("utf-8"), values or {}, town
            )
            if record.state != "imported":
                raise UserError(record.test_report)

    # ---- test cases ---------------------------------------------------------------
    @api.model
    def _run_tests(self, procedure, package, values=None):
        """Run the package's test cases against ``procedure``'s rule as it
        runs in its municipality, today: each synthetic resident is created
        (with its household and facts), evaluated and explained, then
        everything is rolled back. Returns a CaseResult per case."""
        if values is None:
            values = {p.name: p._typed_value() for p in procedure.parameter_ids}
        cases = packages.resolve(package["tests"]["cases"], values)
        today = fields.Date.context_today(procedure)
        cr = self.env.cr
        queued = cr.precommit.data.get(EVENT_QUEUE_KEY)
        saved = (
            {key: set(ids) for key, ids in queued.items()}
            if queued is not None
            else None
        )
        results = []
        try:
            with cr.savepoint():
                residents = self._test_residents(procedure, cases, today)
                domain = procedure._eligible_domain(today)
                Partner = self.env["res.partner"].with_context(active_test=False)
                eligible = set(
                    Partner.search([("id", "in", residents.ids)] + domain).ids
                )
                installed = procedure._package_langs()
                for case, resident in zip(cases, residents, strict=True):
                    results.append(
                        self._check_case(
                            procedure,
                            case,
                            resident,
                            resident.id in eligible,
                            today,
                            installed,
                            values,
                        )
                    )
                raise _RollBack()
        except _RollBack:
            # the residents went with the savepoint: only the results stay
            self.env.invalidate_all()
        finally:
            if saved is None:
                cr.precommit.data.pop(EVENT_QUEUE_KEY, None)
            else:
                cr.precommit.data[EVENT_QUEUE_KEY] = saved
        return results

    def _check_case(
        self, procedure, case, resident, eligible, today, installed, values
    ):
        expected = case["expected"]["eligible"]
        failures, notes = [], []
        if eligible != expected:
            failures.append(
                self.env._("qualifies, and should not")
                if eligible
                else self.env._("does not qualify, and should")
            )
        explanations = {}
        if eligible:
            for short, words in (case["expected"].get("explanation") or {}).items():
                if short not in installed:
                    notes.append(
                        self.env._(
                            "explanation in %(lang)s not checked: the language is "
                            "not installed",
                            lang=short,
                        )
                    )
                    continue
                text = self._explanation(procedure, resident, today, short)
                explanations[short] = text
                for word in words:
                    wanted = word.format(**values)
                    if wanted.lower() not in (text or "").lower():
                        failures.append(
                            self.env._(
                                "the %(lang)s explanation lacks “%(word)s”: "
                                "“%(text)s”",
                                lang=short,
                                word=wanted,
                                text=text,
                            )
                        )
        verdict = (
            self.env._("qualifies") if eligible else self.env._("does not qualify")
        )
        message = "; ".join(failures + notes) if failures else verdict
        if notes and not failures:
            message = "; ".join([verdict] + notes)
        return CaseResult(
            name=case["name"],
            passed=not failures,
            eligible=eligible,
            expected=expected,
            message=message,
            explanations=explanations,
        )

    def _explanation(self, procedure, resident, today, short):
        """The explanation in ``short``'s language: the letter may go to a
        parent (a minor's offer), so the whole test household reads it."""
        household = resident.household_id.member_ids | resident
        if short == "en":
            household.write({"preferred_language": False, "lang": "en_US"})
        else:
            household.write({"preferred_language": short})
        return procedure._explain(resident, today).get(resident.id) or ""

    def _test_residents(self, procedure, cases, today):
        """The synthetic residents of ``cases`` (one household each), in
        ``procedure``'s municipality."""
        company = procedure.company_id
        Partner = self.env["res.partner"].with_context(
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
            confirma_documents_checked=True,
        )
        Household = self.env["confirma.household"]
        spain = self.env.ref("base.es")
        countries = {
            country.code: country
            for country in self.env["res.country"].search(
                [
                    (
                        "code",
                        "in",
                        [
                            person.get("nationality")
                            for case in cases
                            for person in [case["resident"]]
                            + case["resident"].get("household", [])
                            if person.get("nationality")
                        ],
                    )
                ]
            )
        }
        fact_types = {
            fact_type.code: fact_type
            for fact_type in self.env["confirma.fact.type"].search(
                [
                    (
                        "code",
                        "in",
                        [
                            fact["code"]
                            for case in cases
                            for fact in case["resident"].get("facts", [])
                        ],
                    )
                ]
            )
        }
        tag = fields.Datetime.now().strftime("%Y%m%d%H%M%S%f")
        residents = Partner.browse()
        for number, case in enumerate(cases, 1):
            spec = case["resident"]
            household = Household.create(
                {
                    "name": f"PACKAGE-TEST-{tag}-{number}",
                    "company_id": company.id,
                    "district_code": spec.get("district", "01"),
                    "section_code": spec.get("section", "001"),
                }
            )
            main = self._person(spec, today, countries, spain)
            main.update(
                {
                    "name": f"{case['name']} (test)",
                    "first_name": "Test",
                    "surname1": f"Case {number}",
                    "company_id": company.id,
                    "household_id": household.id,
                    "district_code": spec.get("district", "01"),
                    "section_code": spec.get("section", "001"),
                    "street": "Carrer de Prova 1"
                    if spec.get("street", True)
                    else False,
                    "email": f"case{number}@example.invalid"
                    if spec.get("email")
                    else False,
                    "mobile": f"+34 600 00{number:04d}"
                    if spec.get("mobile")
                    else False,
                    "data_opposition": spec.get("data_opposition", False),
                    "padron_encsarp": spec.get("encsarp", False),
                    "preferred_language": spec.get("language") or False,
                    "document_type": spec.get("document_type", "dni"),
                    "document_number": _document(
                        spec.get("document_type", "dni"), number
                    ),
                }
            )
            resident = Partner.create(main)
            others = []
            members = list(spec.get("household", []))
            filler = int(spec.get("household_size", 0)) - 1 - len(members)
            members += [{"age": 40, "relation": "other"}] * max(filler, 0)
            for index, person in enumerate(members, 1):
                values = self._person(person, today, countries, spain)
                values.update(
                    {
                        "name": f"{case['name']} (test, member {index})",
                        "first_name": "Member",
                        "surname1": f"Case {number}-{index}",
                        "company_id": company.id,
                        "household_id": household.id,
                        "district_code": spec.get("district", "01"),
                        "section_code": spec.get("section", "001"),
                    }
                )
                others.append(values)
            if others:
                Partner.create(others)
            facts = []
            for fact in spec.get("facts", []):
                fact_type = fact_types.get(fact["code"])
                if not fact_type:
                    raise UserError(
                        self.env._(
                            "The test case %(name)s uses the fact %(code)s, which "
                            "this installation does not know.",
                            name=case["name"],
                            code=fact["code"],
                        )
                    )
                facts.append(self._fact(resident, fact_type, fact, today))
            if facts:
                self.env["confirma.fact"].create(facts)
            residents |= resident
        return residents

    def _person(self, spec, today, countries, spain):
        if spec.get("birthdate"):
            born = fields.Date.to_date(spec["birthdate"])
        elif "age_days" in spec:
            born = today - relativedelta(days=int(spec["age_days"]))
        else:
            born = today - relativedelta(years=int(spec.get("age", 40))) - HALF_YEAR
        if "registered_days" in spec:
            registered = today - relativedelta(days=int(spec["registered_days"]))
        elif "registered_years" in spec:
            registered = (
                today - relativedelta(years=int(spec["registered_years"])) - HALF_YEAR
            )
        else:
            registered = max(born, today - relativedelta(years=10))
        values = {
            "is_resident": True,
            "padron_state": "active",
            "birthdate": born,
            "padron_registration_date": max(born, registered),
            "household_relation": spec.get("relation", "holder"),
            "nationality_id": countries.get(spec.get("nationality"), spain).id,
        }
        if spec.get("sex"):
            values["sex"] = spec["sex"]
        return values

    def _fact(self, resident, fact_type, spec, today):
        values = {
            "partner_id": resident.id,
            "type_id": fact_type.id,
            "date": spec.get("date") or today,
        }
        value = spec["value"]
        kind = fact_type.value_type
        if kind == "boolean":
            values["value_boolean"] = bool(value)
        elif kind == "number":
            values["value_number"] = float(value)
        elif kind == "date":
            values["value_date"] = (
                today + relativedelta(days=int(spec["in_days"]))
                if "in_days" in spec
                else value
            )
        else:
            values["value_text"] = str(value)
        return values


def _document(kind, number):
    """A valid document number of ``kind`` for the ``number``-th test
    resident (check letters as the Ministry of the Interior computes them).

    >>> _document("dni", 1), _document("nie", 1)
    ('99000001C', 'X9000001D')
    """
    if kind == "dni":
        digits = 99000000 + number
        return f"{digits}{DNI_LETTERS[digits % 23]}"
    if kind == "nie":
        digits = 9000000 + number
        return f"X{digits:07d}{DNI_LETTERS[digits % 23]}"
    return f"TEST{number:06d}"


class _RollBack(Exception):
    """Leave the savepoint of the test residents, undoing them."""
