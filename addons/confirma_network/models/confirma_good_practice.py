# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.confirma_tramites.case_states import CONFIRMED

from .. import package as packages

PRACTICE_FORMAT = "confirma-good-practice"
#: the form's fields, as an exported practice carries them
PRACTICE_TEXTS = (
    "name",
    "objectives",
    "description",
    "beneficiaries",
    "results",
    "indicators_text",
    "innovation",
    "replicability",
    "resources",
    "funding",
)
PRACTICE_PLAIN = (
    "local_government",
    "region",
    "leading_area",
    "responsible_name",
    "responsible_role",
    "contact_email",
    "contact_phone",
    "website",
    "budget",
)
STATES = [
    ("proposed", "Proposed"),
    ("documented", "Documented"),
    ("validated", "Validated"),
    ("published", "Published"),
]


class ConfirmaGoodPractice(models.Model):
    """A good practice, as the presentation form of an exchange of good
    practices describes it: a measure that works, proven by the town's own
    procedures and indicators, documented so that others can repeat it."""

    _name = "confirma.good.practice"
    _description = "Good practice"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    # ---- the form --------------------------------------------------------------
    name = fields.Char(string="Title", required=True, translate=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        string="Municipality",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    local_government = fields.Char(
        required=True,
        default=lambda self: self.env.company.name,
        help="Who carried it out (another installation's, for an imported one).",
    )
    region = fields.Char()
    country_id = fields.Many2one(
        "res.country",
        default=lambda self: self.env.company.country_id,
    )
    category_ids = fields.Many2many(
        "confirma.good.practice.category", string="Categories"
    )
    leading_area = fields.Char(string="Leading area or department")
    responsible_name = fields.Char(string="Responsible person")
    responsible_role = fields.Char(string="Position")
    contact_email = fields.Char(string="Contact email")
    contact_phone = fields.Char(string="Contact phone")
    objectives = fields.Text(translate=True)
    description = fields.Text(translate=True)
    beneficiaries = fields.Text(string="Who it is for", translate=True)
    results = fields.Text(translate=True)
    indicators_text = fields.Text(
        string="Monitoring and evaluation indicators", translate=True
    )
    innovation = fields.Text(string="What is new", translate=True)
    replicability = fields.Text(
        string="How to repeat it", translate=True, help="What another town needs."
    )
    resources = fields.Text(translate=True)
    funding = fields.Text(string="Source of funding", translate=True)
    budget = fields.Float()
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_start = fields.Date(string="Started on")
    date_end = fields.Date(string="Ended on")
    website = fields.Char(string="More information")
    state = fields.Selection(
        STATES, required=True, default="proposed", tracking=True, copy=False
    )
    # ---- proof -------------------------------------------------------------------
    procedure_ids = fields.Many2many(
        "confirma.procedure",
        string="Procedures",
        check_company=True,
        help="The procedures that prove it; their packages are offered for "
        "download on the exchange page.",
    )
    indicator_ids = fields.Many2many(
        "confirma.indicator",
        string="Indicators",
        check_company=True,
        help="The indicators whose values prove it.",
    )
    residents_served = fields.Integer(
        string="Residents served without applying",
        compute="_compute_proof",
        help="Residents of the town whose case of these procedures was opened "
        "by the town hall (not applied for) and who confirmed it.",
    )
    documents_saved = fields.Integer(
        string="Documents no longer requested",
        compute="_compute_proof",
        help="For each confirmed case of these procedures, the documents the "
        "procedure asked for before and no longer asks for.",
    )
    imported = fields.Boolean(
        readonly=True, help="Brought from another installation's export."
    )
    package_attachment_ids = fields.Many2many(
        "ir.attachment",
        string="Packages received",
        readonly=True,
        help="The procedure packages that came with an imported practice.",
    )

    @api.depends("procedure_ids", "company_id")
    def _compute_proof(self):
        Case = self.env["confirma.case"].sudo()
        for practice in self:
            procedures = practice.procedure_ids
            if not procedures:
                practice.residents_served = practice.documents_saved = 0
                continue
            domain = [
                ("procedure_id", "in", procedures.ids),
                ("company_id", "=", practice.company_id.id),
                ("origin", "not in", ("counter", "application")),
                ("state", "in", CONFIRMED),
            ]
            counts = dict(Case._read_group(domain, ["procedure_id"], ["__count"]))
            residents = Case._read_group(domain, [], ["partner_id:count_distinct"])
            practice.residents_served = residents[0][0] if residents else 0
            practice.documents_saved = sum(
                count
                * len(
                    procedure.requirement_ids.filtered(
                        lambda r: r.document_before and not r.document_now
                    )
                )
                for procedure, count in counts.items()
            )

    # ---- workflow ---------------------------------------------------------------
    def _check_state(self, allowed, action):
        wrong = self.filtered(lambda p: p.state not in allowed)
        if wrong:
            raise UserError(
                self.env._(
                    "%(action)s is not possible for %(names)s in its current state.",
                    action=action,
                    names=", ".join(wrong.mapped("name")),
                )
            )

    def action_document(self):
        self._check_state(("proposed",), self.env._("Marking as documented"))
        missing = self.filtered(lambda p: not (p.description and p.objectives))
        if missing:
            raise UserError(
                self.env._(
                    "Describe %(names)s first: its objectives and description.",
                    names=", ".join(missing.mapped("name")),
                )
            )
        self.write({"state": "documented"})

    def action_validate(self):
        self._check_state(("documented",), self.env._("Validating"))
        self._check_manager()
        self.write({"state": "validated"})

    def action_publish(self):
        self._check_state(("validated",), self.env._("Publishing"))
        self._check_manager()
        self.write({"state": "published"})

    def action_back_to_proposed(self):
        self._check_state(
            ("documented", "validated", "published"), self.env._("Reopening")
        )
        self.write({"state": "proposed"})

    def _check_manager(self):
        if not self.env.user.has_group("confirma_tramites.group_manager"):
            raise UserError(
                self.env._("Only procedures managers validate and publish practices.")
            )

    # ---- exchange between installations ----------------------------------------
    def _export_data(self):
        """The practice as another installation imports it (a dict), with
        the packages of its procedures that can be exported."""
        self.ensure_one()
        Procedure = self.env["confirma.procedure"]
        data = {
            "format": PRACTICE_FORMAT,
            "version": 1,
            "country": self.country_id.code or "",
            "categories": self.category_ids.mapped("code"),
            "date_start": fields.Date.to_string(self.date_start) or "",
            "date_end": fields.Date.to_string(self.date_end) or "",
            "proof": {
                "residents_served": self.residents_served,
                "documents_saved": self.documents_saved,
                "indicators": [
                    {
                        "code": indicator.code,
                        "name": Procedure._package_text(indicator, "name"),
                        "last_value": indicator.last_value,
                        "last_period": indicator.last_period or "",
                        "target": indicator.target,
                    }
                    for indicator in self.indicator_ids
                ],
            },
            "packages": [
                procedure._package_export(seal=True)
                for procedure in self.procedure_ids
                if procedure.rule_id and procedure.test_case_ids
            ],
        }
        for name in PRACTICE_PLAIN:
            data[name] = self[name] or ("" if name != "budget" else 0)
        for name in PRACTICE_TEXTS:
            data[name] = Procedure._package_text(self, name)
        return data

    def action_export(self):
        self.ensure_one()
        return self.env["confirma.package"]._download_action(
            self,
            f"good-practice-{self.id}.confirma.json",
            json.dumps(self._export_data(), ensure_ascii=False, indent=2),
        )

    @api.model
    def _import_data(self, raw):
        """A practice exported by another installation, as a proposed one of
        this municipality (its own government named); its packages are kept
        beside it for download and import."""
        self.check_access("create")
        try:
            data = json.loads(raw)
        except ValueError as error:
            raise UserError(
                self.env._("This file is not a good practice: %(error)s", error=error)
            ) from None
        if not isinstance(data, dict) or data.get("format") != PRACTICE_FORMAT:
            raise UserError(
                self.env._(
                    "This file is not a good practice exported by Confirm@ "
                    "(format %(format)s expected).",
                    format=PRACTICE_FORMAT,
                )
            )
        title = data.get("name")
        if not title:
            raise UserError(self.env._("The practice has no title."))
        Package = self.env["confirma.package"]
        attachments = []
        for package in data.get("packages", []):
            package = Package._load(packages.dumps(package).encode("utf-8"))
            Package._check_seal(package)
            attachments.append(
                {
                    "name": f"{package['code']}-{package['version']}.confirma.json",
                    "raw": packages.dumps(package).encode("utf-8"),
                    "mimetype": "application/json",
                }
            )
        values = {
            name: data.get(name) or False for name in PRACTICE_PLAIN if name != "budget"
        }
        values.update(
            {
                "name": packages.text(title, "en"),
                "budget": float(data.get("budget") or 0),
                "imported": True,
                "state": "proposed",
                "date_start": data.get("date_start") or False,
                "date_end": data.get("date_end") or False,
                "country_id": self.env["res.country"]
                .search([("code", "=", data.get("country") or "")], limit=1)
                .id,
                "category_ids": [
                    (
                        6,
                        0,
                        self.env["confirma.good.practice.category"]
                        .search([("code", "in", data.get("categories") or [])])
                        .ids,
                    )
                ],
            }
        )
        if not values.get("local_government"):
            raise UserError(self.env._("The practice does not say who carried it out."))
        practice = self.create(values)
        for name in PRACTICE_TEXTS:
            Package._translate(practice, name, data.get(name))
        if attachments:
            created = self.env["ir.attachment"].create(
                [
                    dict(values, res_model=self._name, res_id=practice.id)
                    for values in attachments
                ]
            )
            practice.package_attachment_ids = [(6, 0, created.ids)]
        return practice
