# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..scsp import services

# one per service of the catalogue (scsp.services.CATALOGUE: answer_kind)
ANSWER_KINDS = [
    ("identity", "Identity verified"),
    ("identity_data", "Identity document in force"),
    ("residence", "Resident in the municipality"),
    ("padron_cohabitation", "Registered in a municipality's padrón"),
    ("padron_history", "Registered in a municipality for at least N years"),
    ("income", "Income at most the threshold"),
    ("aeat_clear", "Up to date with the Tax Agency"),
    ("tgss_clear", "Up to date with Social Security"),
    ("unemployed", "Registered as unemployed"),
    ("disability", "Disability degree at least the threshold"),
    ("large_family", "Valid large-family title"),
    ("vehicle_age", "Vehicle first registered at least N years ago"),
]


class ConfirmaInteropService(models.Model):
    """One SCSP service (certificate code) of a platform: what is asked, why,
    under which consent, and how its answer becomes a requirement result."""

    _name = "confirma.interop.service"
    _description = "Interoperability service"
    _order = "platform_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    platform_id = fields.Many2one(
        "confirma.interop.platform", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="platform_id.company_id", store=True, index=True
    )
    code = fields.Char(
        string="Certificate code",
        required=True,
        help="CodigoCertificado, e.g. SVDDGPVIWS02.",
    )
    issuer_nif = fields.Char(string="Issuer NIF", required=True)
    issuer_name = fields.Char(string="Issuer", required=True)
    endpoint_path = fields.Char(
        required=True,
        help="Appended to the platform's base URL, e.g. "
        "Q2827003A.TGSS001 (the asynchronous address adds .Asincrona).",
    )
    purpose = fields.Char(
        required=True,
        help="Finalidad sent with every query (250 characters at most); the "
        "procedure's name is added.",
    )
    consent = fields.Selection(
        [
            ("Si", "Express consent (Si)"),
            ("Ley", "A law allows it (Ley)"),
            ("NoOpo", "No objection (NoOpo)"),
        ],
        required=True,
        default="Ley",
        help="Consentimiento. Older schemas only know Si and Ley: NoOpo is "
        "sent as Ley to them.",
    )
    answer_kind = fields.Selection(
        ANSWER_KINDS,
        required=True,
        help="How the answer's specific data becomes met / not met.",
    )
    threshold_label = fields.Char(
        compute="_compute_threshold_label",
        help="What a requirement's threshold means for this service.",
    )
    region_code = fields.Char(
        string="Autonomous community code",
        help="CodigoComunidadAutonoma for regional services (disability, "
        "large family), e.g. 10 for the Valencian Community.",
    )
    async_supported = fields.Boolean(
        string="Asynchronous", default=True, help="The service answers batches."
    )
    security_profile = fields.Selection(
        [
            ("ws-security", "WS-Security"),
            ("xml-signature", "XML Signature (legacy)"),
        ],
        string="Security profile",
        default="ws-security",
        required=True,
        help="How requests to this service are signed (the catalogue's "
        "TIPOSEGURIDAD): WS-Security, as most services, or the legacy XML "
        "Signature in the Header, as the padrón services SCDCPAJU and "
        "SCDHPAJU. Answers are verified in either.",
    )
    legal_basis = fields.Text(
        translate=True, help="The norm that allows the query (audits)."
    )
    check_ids = fields.One2many("confirma.interop.check", "service_id")

    _sql_constraints = [
        (
            "code_platform_unique",
            "UNIQUE (platform_id, code)",
            "A platform has one service per certificate code.",
        )
    ]

    @api.depends("answer_kind")
    def _compute_threshold_label(self):
        labels = {
            "income": self.env._("Maximum income (EUR)"),
            "disability": self.env._("Minimum degree (%)"),
            "padron_cohabitation": self.env._("Minimum people in the dwelling"),
            "padron_history": self.env._("Minimum years registered"),
            "vehicle_age": self.env._("Minimum years since first registration"),
        }
        for service in self:
            service.threshold_label = labels.get(service.answer_kind, False)

    @api.constrains("code", "answer_kind")
    def _check_code(self):
        for service in self:
            definition = services.SERVICES.get(service.code)
            if definition is None:
                raise ValidationError(
                    self.env._(
                        "Confirm@ does not know how to ask service %(code)s "
                        "(known: %(known)s).",
                        code=service.code,
                        known=", ".join(sorted(services.SERVICES)),
                    )
                )
            if definition.answer_kind != service.answer_kind:
                raise ValidationError(
                    self.env._(
                        "Service %(code)s answers %(kind)s.",
                        code=service.code,
                        kind=dict(
                            self._fields["answer_kind"]._description_selection(self.env)
                        )[definition.answer_kind],
                    )
                )

    @api.constrains("purpose")
    def _check_purpose(self):
        for service in self:
            if len(service.purpose or "") > 250:
                raise ValidationError(
                    self.env._("The purpose has 250 characters at most.")
                )

    def _url(self, asynchronous=False):
        self.ensure_one()
        base = self.platform_id.base_url.rstrip("/") + "/"
        return base + self.endpoint_path + (".Asincrona" if asynchronous else "")
