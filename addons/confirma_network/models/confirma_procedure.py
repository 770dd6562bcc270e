# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .. import package as packages

#: the condition fields a package carries as they are
CONDITION_PLAIN = (
    "household_relation",
    "min_value",
    "max_value",
    "codes",
    "sex",
    "fact_operator",
    "fact_value",
    "fact_within_days",
    "fact_months",
    "channel",
)
#: the fields that only a fact (or a padrón renewal) condition reads
FACT_FIELDS = {"fact_operator", "fact_value", "fact_within_days", "fact_months"}
#: Odoo language of each language a package carries
PACKAGE_LANGS = {"en": "en_US", "es": "es_ES", "ca": "ca_ES"}
#: the letters' texts a package carries, by its key: fields of the legal
#: documents addon, carried when it is installed
MESSAGE_FIELDS = {
    "resolution_grant": "resolution_grant_text",
    "resolution_deny": "resolution_deny_text",
}
#: phase and requirement fields a package carries (texts are translated)
PHASE_TEXTS = ("name", "task", "document")
REQUIREMENT_PLAIN = (
    "method",
    "subject",
    "data_holder",
    "document_before",
    "document_now",
)


class ConfirmaProcedure(models.Model):
    _inherit = "confirma.procedure"

    parameter_ids = fields.One2many(
        "confirma.procedure.parameter",
        "procedure_id",
        string="Local parameters",
        copy=True,
    )
    legal_article_ids = fields.One2many(
        "confirma.procedure.legal.article",
        "procedure_id",
        string="Legal basis, article by article",
        copy=True,
    )
    test_case_ids = fields.One2many(
        "confirma.procedure.test.case", "procedure_id", string="Test cases", copy=True
    )
    package_id = fields.Many2one(
        "confirma.package",
        string="Imported from",
        readonly=True,
        copy=False,
        help="The package this procedure was imported from (its last version).",
    )
    package_version = fields.Char(
        default="1.0.0",
        copy=False,
        help="The version the next export publishes (MAJOR.MINOR.PATCH).",
    )

    @api.constrains("package_version")
    def _check_package_version(self):
        for procedure in self.filtered("package_version"):
            try:
                packages.version_key(procedure.package_version)
            except packages.PackageError:
                raise UserError(
                    self.env._(
                        "The package version of %(name)s must read MAJOR.MINOR.PATCH "
                        "(e.g. 1.2.0).",
                        name=procedure.display_name,
                    )
                ) from None

    # ---- actions ------------------------------------------------------------------
    def action_export_package(self):
        """Download the procedure as a package (sealed when the town has a
        seal)."""
        self.ensure_one()
        package = self._package_export(seal=True)
        return self.env["confirma.package"]._download_action(
            self, self._package_filename(package), packages.dumps(package)
        )

    def action_run_package_tests(self):
        """Run the procedure's test cases here, against its rule as it runs
        in this municipality."""
        self.ensure_one()
        package = self._package_export(seal=False)
        results = self.env["confirma.package"]._run_tests(self, package)
        for case, result in zip(self.test_case_ids, results, strict=True):
            case.write(
                {
                    "last_result": "passed" if result.passed else "failed",
                    "last_message": result.message[:250],
                }
            )
        failed = sum(not r.passed for r in results)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "danger" if failed else "success",
                "sticky": bool(failed),
                "message": self.env._(
                    "Test cases: %(total)s, passed %(passed)s, failed %(failed)s.",
                    total=len(results),
                    passed=len(results) - failed,
                    failed=failed,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ---- export -------------------------------------------------------------------
    def _package_filename(self, package):
        return f"{package['code']}-{package['version']}.confirma.json"

    def _package_langs(self):
        """The package languages installed here: {short: Odoo code}. Only
        those: where English is not installed, Odoo keeps in its English
        slot whichever language was written last, not English."""
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        return {
            short: code for short, code in PACKAGE_LANGS.items() if code in installed
        }

    def _package_text(self, record, field):
        """A translated field of ``record`` in every package language."""
        values = {}
        for short, code in self._package_langs().items():
            value = record.with_context(lang=code)[field]
            if value:
                values[short] = value
        return values

    @api.private
    def _package_export(self, seal=False):
        """This procedure as a package (a dict, see ``package.py``)."""
        self.ensure_one()
        if not self.rule_id:
            raise UserError(
                self.env._(
                    "%(name)s has no eligibility rule: there is nothing to share.",
                    name=self.display_name,
                )
            )
        if not self.test_case_ids:
            raise UserError(
                self.env._(
                    "%(name)s has no test cases: a package carries at least one, "
                    "so that the town importing it can prove the rule works there.",
                    name=self.display_name,
                )
            )
        company = self.company_id
        bound = {
            (p.condition_id.id, p.condition_field): p.name
            for p in self.parameter_ids
            if p.condition_id and p.condition_field
        }
        fact_types = self.env["confirma.fact.type"]
        rule, fact_types = self._package_rule(self.rule_id, bound, fact_types)
        package = {
            "format": packages.FORMAT,
            "schema_version": packages.SCHEMA_VERSION,
            "code": self.code,
            "version": self.package_version or "1.0.0",
            "publisher": {
                "name": company.name,
                "date": fields.Date.to_string(fields.Date.context_today(self)),
            },
            "procedure": {
                "name": self._package_text(self, "name"),
                "periodicity": self.periodicity,
                "applicant": self.applicant,
                "legal_basis": self._package_legal_basis(),
                "phases": [self._package_phase(p) for p in self.phase_ids],
                "requirements": [
                    self._package_requirement(r) for r in self.requirement_ids
                ],
            },
            "fact_types": [
                {
                    "code": fact_type.code,
                    "name": self._package_text(fact_type, "name"),
                    "value_type": fact_type.value_type,
                }
                for fact_type in fact_types
            ],
            "rule": rule,
            "parameters": [self._package_parameter(p) for p in self.parameter_ids],
            "survey": self._package_survey(),
            "indicators": self._package_indicators(),
            "tests": {
                "reference_date": fields.Date.to_string(
                    fields.Date.context_today(self)
                ),
                "cases": self.test_case_ids._as_package(),
            },
        }
        if company.confirma_ine_code:
            package["publisher"]["ine_code"] = company.confirma_ine_code
        if company.email:
            package["publisher"]["contact"] = company.email
        description = self._package_text(self, "description")
        if description:
            package["procedure"]["description"] = description
        messages = self._package_messages()
        if messages:
            package["messages"] = messages
        try:
            packages.validate(package)
        except packages.PackageError as error:
            raise UserError(
                self.env._(
                    "%(name)s cannot be exported as it stands: %(reasons)s",
                    name=self.display_name,
                    reasons=error,
                )
            ) from None
        if seal:
            material = company._confirma_network_seal()
            if material:
                package = packages.sign(package, *material)
        return package

    def _package_messages(self):
        messages = {
            key: self._package_text(self, field)
            for key, field in MESSAGE_FIELDS.items()
            if field in self._fields
        }
        messages = {key: text for key, text in messages.items() if text}
        if "max_resolution_days" in self._fields and self.max_resolution_days:
            messages["max_resolution_days"] = self.max_resolution_days
        return messages

    def _package_legal_basis(self):
        articles = [
            {
                key: value
                for key, value in (
                    ("norm", article.norm),
                    ("article", article.article or ""),
                    ("summary", self._package_text(article, "summary")),
                    ("url", article.url or ""),
                )
                if value
            }
            for article in self.legal_article_ids
        ]
        if not articles and self.legal_basis:
            articles.append(
                {
                    "norm": self.with_context(lang="en_US").legal_basis,
                    "summary": self._package_text(self, "legal_basis"),
                }
            )
        return articles

    def _package_phase(self, phase):
        values = {"kind": phase.kind, "duration_days": phase.duration_days}
        for field in PHASE_TEXTS:
            text = self._package_text(phase, field)
            if text:
                values[field] = text
        return values

    def _package_requirement(self, requirement):
        values = {"name": self._package_text(requirement, "name")}
        for field in REQUIREMENT_PLAIN:
            if requirement[field] not in (False, None, ""):
                values[field] = requirement[field]
        document = self._package_text(requirement, "document_name")
        if document:
            values["document_name"] = document
        # the catalogue of data services is the interoperability addon's
        # (its own groups): only the code and purpose of the one this
        # requirement (read above, as the user) names
        service = "interop_service_id" in requirement._fields and (
            requirement.sudo().interop_service_id
        )
        if service:
            values["service"] = {"code": service.code}
            purpose = self._package_text(service, "purpose")
            if purpose:
                values["service"]["purpose"] = purpose
        return values

    def _package_rule(self, rule, bound, fact_types):
        """The rule tree as a package carries it (groups inline), the
        parameters in place of their values; and the fact types it uses."""
        conditions = []
        for condition in rule.condition_ids:
            values = {"kind": condition.kind}
            if condition.negate:
                values["negate"] = True
            if condition.subject != "beneficiary":
                values["subject"] = condition.subject
            if condition.reference and condition.reference != "date":
                values["reference"] = condition.reference
            for field in CONDITION_PLAIN:
                name = bound.get((condition.id, field))
                if name:
                    values[field] = {"$param": name}
                elif field in FACT_FIELDS and condition.kind not in (
                    "fact",
                    "padron_renewal",
                ):
                    continue  # a default of the form, meaningless here
                elif condition[field] not in (False, None, "", 0):
                    values[field] = condition[field]
            if condition.country_ids:
                values["countries"] = sorted(condition.country_ids.mapped("code"))
            if condition.country_group_id:
                xmlid = condition.country_group_id.get_external_id().get(
                    condition.country_group_id.id
                )
                values["country_group"] = xmlid or condition.country_group_id.name
            if condition.fact_type_id:
                values["fact"] = condition.fact_type_id.code
                fact_types |= condition.fact_type_id
            if condition.beneficiary_procedure_id:
                values["of_procedure"] = condition.beneficiary_procedure_id.code
            if condition.kind == "group" and condition.group_id:
                values["group"], fact_types = self._package_rule(
                    condition.group_id, bound, fact_types
                )
            conditions.append(values)
        tree = {"match": rule.match, "conditions": conditions}
        name = self._package_text(rule, "name")
        if name:
            tree["name"] = name
        return tree, fact_types

    def _package_parameter(self, parameter):
        values = parameter._definition()
        values["default"] = parameter._typed_value()
        for field in ("label", "help"):
            text = self._package_text(parameter, field)
            if text:
                values[field] = text
        if parameter.unit:
            values["unit"] = parameter.unit
        return values

    def _package_survey(self):
        # surveys have their own groups: the procedure's own survey, as its
        # manager exports the procedure
        survey = self.sudo().survey_id
        if not survey:
            return None
        questions = []
        for question in survey.question_ids:
            values = {
                "title": self._package_text(question, "title"),
                "type": question.question_type,
                "required": question.constr_mandatory,
            }
            if question.question_type == "scale":
                values["scale"] = [question.scale_min, question.scale_max]
            if question.confirma_score:
                values["score"] = True
            answers = [
                self._package_text(answer, "value")
                for answer in question.suggested_answer_ids
            ]
            if answers:
                values["answers"] = answers
            questions.append(values)
        return {
            "title": self._package_text(survey, "title"),
            "delay_days": self.survey_delay_days,
            "channel": self.survey_channel,
            "questions": questions,
        }

    def _package_indicators(self):
        """The town's indicators with a value per procedure, and their
        targets: what the procedure is measured by."""
        indicators = self.env["confirma.indicator"].search(
            [("company_id", "=", self.company_id.id)], order="sequence, id"
        )
        return [
            {
                "code": indicator.code,
                "name": self._package_text(indicator, "name"),
                "definition": self._package_text(indicator, "definition"),
                "method": indicator.method,
                "unit": indicator.unit,
                "periodicity": indicator.periodicity,
                "target": indicator.target,
                "tolerance": indicator.tolerance,
                "direction": indicator.direction,
            }
            for indicator in indicators
            # the shares of procedures are the town's, not one procedure's
            if not indicator.method.startswith("procedures_")
        ]
