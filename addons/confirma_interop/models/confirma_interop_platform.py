# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import datetime
import hashlib
import ipaddress
import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, InvalidToken

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

from ..scsp import certs
from ..scsp.client import ScspClient
from ..scsp.wssec import (
    NAME_ALIASES,
    Signer,
    Verifier,
    key_fingerprint,
    load_certificates,
    normalise_fingerprint,
    subject_key,
)

_logger = logging.getLogger(__name__)
MAX_BATCH = 1000


class ConfirmaInteropPlatform(models.Model):
    """An intermediation platform (the State's PID on Red SARA, a regional one,
    or the local simulator): where SCSP requests go and how they are signed."""

    _name = "confirma.interop.platform"
    _description = "Interoperability platform"
    _inherit = ["mail.thread", "confirma.job.progress.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    base_url = fields.Char(
        string="Base URL",
        required=True,
        tracking=True,
        help="Services' endpoint paths are appended to it, e.g. "
        "https://intermediacion.redsara.es/servicios/SVD/ (production platforms "
        "need https; test platforms may use http on this machine or a local "
        "network service).",
    )
    environment = fields.Selection(
        [("test", "Test (pre-production)"), ("production", "Production")],
        required=True,
        default="test",
        tracking=True,
    )
    requester_nif = fields.Char(
        string="Requester NIF",
        required=True,
        tracking=True,
        help="The town hall's NIF (IdentificadorSolicitante), as in its seal.",
    )
    requester_name = fields.Char(
        string="Requester name",
        required=True,
        tracking=True,
        help="NombreSolicitante (50 characters at most).",
    )
    unit_name = fields.Char(
        string="Processing unit",
        help="UnidadTramitadora sent when the procedure has no unit.",
    )
    official_name = fields.Char(
        string="Official for automated queries",
        help="NombreCompletoFuncionario when the case's officer has no NIF on "
        "their contact (queries sent by the scheduled verification).",
    )
    official_nif = fields.Char(
        string="Official's NIF",
        help="NifFuncionario (a DNI or NIE) of that official.",
    )
    certificate = fields.Binary(
        string="Signing certificate (PKCS#12)",
        attachment=True,
        groups="confirma_interop.group_manager",
        help="The town hall's electronic seal with its private key (.p12/.pfx).",
    )
    certificate_filename = fields.Char(groups="confirma_interop.group_manager")
    certificate_password = fields.Char(
        string="Certificate password",
        compute="_compute_certificate_password",
        inverse="_inverse_certificate_password",
        groups="confirma_interop.group_manager",
        help="Stored encrypted with the key confirma_interop_secret of the "
        "server configuration (production platforms need it). Or leave empty "
        "and set confirma_interop_certificate_password in the server "
        "configuration.",
    )
    certificate_password_encrypted = fields.Char(groups="base.group_system", copy=False)
    certificate_subject = fields.Char(
        compute="_compute_certificate_info", groups="confirma_interop.group_manager"
    )
    certificate_expiry = fields.Datetime(
        compute="_compute_certificate_info", groups="confirma_interop.group_manager"
    )
    signature_algorithm = fields.Selection(
        [("rsa-sha1", "RSA-SHA1 (current platforms)"), ("rsa-sha256", "RSA-SHA256")],
        required=True,
        default="rsa-sha1",
        tracking=True,
    )
    trust_store = fields.Text(
        string="Trusted certificates (PEM)",
        help="The platform's signing certificate or the authorities that issue "
        "it: answers signed by anyone else are refused.",
    )
    signer_subject = fields.Char(
        string="Platform certificate subject",
        tracking=True,
        help="The subject of the certificate the platform signs its answers "
        "with, e.g. CN=...,serialNumber=...,O=...,C=ES: answers signed by any "
        "other certificate, even one of a trusted authority, are refused. "
        "Production platforms need this or the public key's SHA-256.",
    )
    signer_key_sha256 = fields.Char(
        string="Platform public key SHA-256",
        tracking=True,
        help="SHA-256 (hexadecimal) of the public key of the platform's signing "
        "certificate; several, separated by spaces, while the platform changes "
        "its certificate. Answers signed with any other key are refused.",
    )
    mode = fields.Selection(
        [("sync", "Synchronous"), ("async", "Asynchronous")],
        required=True,
        default="async",
        tracking=True,
        help="Synchronous: one holder per request, answered at once. "
        "Asynchronous: up to the batch size per request, answered later.",
    )
    batch_size = fields.Integer(
        default=MAX_BATCH,
        required=True,
        tracking=True,
        help="Holders per asynchronous request: the platform takes up to "
        "1,000, and each request is one signature and one round trip.",
    )
    timeout = fields.Integer(
        string="Timeout (seconds)", default=60, required=True, tracking=True
    )
    clock_skew = fields.Integer(
        string="Clock skew (seconds)",
        default=300,
        required=True,
        tracking=True,
        help="How far the platform's clock may be from ours: an answer whose "
        "time stamp (wsu:Timestamp) was created later than now, or expired "
        "earlier, by more than this is refused.",
    )
    max_attempts = fields.Integer(
        default=8,
        required=True,
        help="After this many failed attempts a check gives up and its "
        "requirement stays unknown.",
    )
    retry_minutes = fields.Integer(
        string="First retry after (minutes)",
        default=5,
        required=True,
        help="Each further attempt waits twice as long (at most one day).",
    )
    service_ids = fields.One2many("confirma.interop.service", "platform_id")
    last_error = fields.Text(readonly=True, copy=False)
    date_last_error = fields.Datetime(readonly=True, copy=False)
    # read from the requests: the jobs that send them in parallel never
    # write this one shared record (they would make each other fail)
    date_last_success = fields.Datetime(
        compute="_compute_date_last_success",
        help="When the platform last answered a request.",
    )

    _sql_constraints = [
        (
            "batch_size_range",
            f"CHECK (batch_size BETWEEN 1 AND {MAX_BATCH})",
            f"The batch size goes from 1 to {MAX_BATCH} holders per request.",
        ),
        ("timeout_positive", "CHECK (timeout > 0)", "The timeout must be positive."),
        (
            "clock_skew_range",
            "CHECK (clock_skew BETWEEN 0 AND 3600)",
            "The clock skew goes from 0 to 3,600 seconds.",
        ),
    ]

    # ---- certificate -----------------------------------------------------------
    def _fernet(self):
        """The key of the stored seal password: ``confirma_interop_secret`` of
        the server configuration, never in the database. Only test platforms
        fall back on a key of the database (a dump would open their seal)."""
        self.ensure_one()
        secret = tools.config.get("confirma_interop_secret")
        if not secret:
            if self.environment == "production":
                raise UserError(self._secret_needed_message())
            secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        key = base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest())
        return Fernet(key)

    def _secret_needed_message(self):
        return self.env._(
            "Platform %(platform)s is a production platform: its certificate "
            "password can only be stored encrypted with a key of the server "
            "configuration. Set confirma_interop_secret in odoo.conf, or leave "
            "the password empty here and set confirma_interop_certificate_password "
            "in odoo.conf.",
            platform=self.name,
        )

    def _compute_certificate_password(self):
        for platform in self:
            platform.certificate_password = False

    def _inverse_certificate_password(self):
        for platform in self:
            token = False
            if platform.certificate_password:
                token = (
                    platform._fernet()
                    .encrypt(platform.certificate_password.encode())
                    .decode()
                )
            platform.sudo().certificate_password_encrypted = token

    def _password(self):
        """The seal's password: the stored one (decrypted with the server's
        key), or ``confirma_interop_certificate_password`` of the server
        configuration."""
        self.ensure_one()
        token = self.sudo().certificate_password_encrypted
        configured = tools.config.get("confirma_interop_certificate_password")
        # a production platform without the server's key uses the configured
        # password, never one encrypted with a key of the database
        usable = (
            tools.config.get("confirma_interop_secret")
            or self.environment != "production"
            or not configured
        )
        if token and usable:
            try:
                return self._fernet().decrypt(token.encode()).decode()
            except InvalidToken as error:
                raise UserError(
                    self.env._(
                        "The certificate password of %(platform)s cannot be "
                        "decrypted (the database secret changed?): enter it again.",
                        platform=self.name,
                    )
                ) from error
        return configured or ""

    @api.constrains("environment")
    def _check_password_key(self):
        """A production platform does not keep a password encrypted with a
        key of the database (set while it was a test platform)."""
        if tools.config.get("confirma_interop_secret"):
            return
        for platform in self.sudo().filtered(
            lambda p: p.environment == "production" and p.certificate_password_encrypted
        ):
            raise ValidationError(platform._secret_needed_message())

    @api.depends("certificate")
    def _compute_certificate_info(self):
        for platform in self:
            platform.certificate_subject = False
            platform.certificate_expiry = False
            if not platform.certificate:
                continue
            try:
                _key, cert_pem, _chain = platform._key_material()
            except UserError:
                continue
            certificate = load_certificates(cert_pem)[0]
            platform.certificate_subject = certificate.subject.rfc4514_string()
            platform.certificate_expiry = certificate.not_valid_after_utc.replace(
                tzinfo=None
            )

    def _key_material(self):
        """(key PEM, certificate PEM, chain) of the signing certificate."""
        self.ensure_one()
        data = self.sudo().certificate
        if not data:
            raise UserError(
                self.env._(
                    "Platform %(platform)s has no signing certificate.",
                    platform=self.name,
                )
            )
        try:
            return certs.load_p12(base64.b64decode(data), self._password())
        except ValueError as error:
            raise UserError(
                self.env._(
                    "The signing certificate of %(platform)s cannot be opened "
                    "(wrong password or not a PKCS#12 file).",
                    platform=self.name,
                )
            ) from error

    @api.constrains("trust_store")
    def _check_trust_store(self):
        for platform in self.filtered("trust_store"):
            try:
                load_certificates(platform.trust_store)
            except ValueError as error:
                raise ValidationError(
                    self.env._(
                        "The trusted certificates must be PEM certificates "
                        "(-----BEGIN CERTIFICATE-----)."
                    )
                ) from error

    @api.constrains("signer_subject", "signer_key_sha256", "environment")
    def _check_signer_pin(self):
        for platform in self:
            if platform.signer_subject:
                try:
                    subject_key(platform.signer_subject)
                except ValueError as error:
                    raise ValidationError(
                        self.env._(
                            "The platform certificate subject must be a "
                            "distinguished name, e.g. CN=PLATAFORMA DE "
                            "INTERMEDIACION,serialNumber=S2833002E,O=...,C=ES."
                        )
                    ) from error
            try:
                platform._signer_fingerprints()
            except ValueError as error:
                raise ValidationError(
                    self.env._(
                        "The platform public key SHA-256 must be 64 hexadecimal "
                        "digits (colons allowed), several separated by spaces."
                    )
                ) from error
            if platform.environment == "production" and not (
                platform.signer_subject or platform.signer_key_sha256
            ):
                raise ValidationError(platform._pin_needed_message())

    def _pin_needed_message(self):
        return self.env._(
            "Production platform %(platform)s needs its signing certificate "
            "pinned: set the platform certificate subject or its public key "
            "SHA-256 (a trusted authority issues certificates to others too).",
            platform=self.name,
        )

    def _signer_fingerprints(self):
        self.ensure_one()
        values = (self.signer_key_sha256 or "").replace(",", " ").split()
        return [normalise_fingerprint(value) for value in values]

    @api.constrains("base_url", "environment")
    def _check_base_url(self):
        for platform in self:
            try:
                url = urlsplit(platform.base_url or "")
                host = url.hostname or ""
                _port = url.port  # raises ValueError when it is not a port
            except ValueError:
                url, host = None, ""
            if (
                url is None
                or url.scheme not in ("http", "https")
                or not host
                or url.username is not None
            ):
                raise ValidationError(
                    self.env._(
                        "The base URL of %(platform)s must be an http(s) address "
                        "without credentials, e.g. "
                        "https://intermediacion.redsara.es/servicios/SVD/.",
                        platform=platform.name,
                    )
                )
            if url.scheme == "https":
                continue
            if platform.environment == "production":
                raise ValidationError(
                    self.env._(
                        "Production platform %(platform)s must be reached over "
                        "https (its base URL starts with https://).",
                        platform=platform.name,
                    )
                )
            if not _local_host(host):
                raise ValidationError(
                    self.env._(
                        "Test platform %(platform)s may use http only on this "
                        "machine or a local network service (localhost, "
                        "127.0.0.1, a name without dots such as simulator); "
                        "use https for %(host)s.",
                        platform=platform.name,
                        host=host,
                    )
                )

    @api.constrains("requester_name")
    def _check_requester_name(self):
        for platform in self:
            if len(platform.requester_name or "") > 50:
                raise ValidationError(
                    self.env._("The requester name has 50 characters at most.")
                )

    # ---- client ----------------------------------------------------------------
    def _client(self, cache=None):
        """A client signing with this platform's seal and trusting its store
        (one per platform in ``cache``, a dict kept for a run)."""
        self.ensure_one()
        if cache is not None:
            if self not in cache:
                cache[self] = self._client()
            return cache[self]
        key_pem, cert_pem, _chain = self._key_material()
        if not self.trust_store:
            raise UserError(
                self.env._(
                    "Platform %(platform)s has no trusted certificates: its "
                    "answers cannot be verified.",
                    platform=self.name,
                )
            )
        if self.environment == "production" and not (
            self.signer_subject or self.signer_key_sha256
        ):
            raise UserError(self._pin_needed_message())
        return ScspClient(
            Signer(key_pem, cert_pem, self.signature_algorithm),
            Verifier(
                self.trust_store,
                subjects=[self.signer_subject] if self.signer_subject else [],
                key_sha256=self._signer_fingerprints(),
                skew=self.clock_skew,
            ),
            timeout=self.timeout,
            decrypt_key=key_pem,
        )

    @api.model
    def _signer_pin_values(self, cert_pem):
        """The pin fields of the platform that signs with ``cert_pem``."""
        certificate = load_certificates(cert_pem)[0]
        return {
            "signer_subject": certificate.subject.rfc4514_string(NAME_ALIASES),
            "signer_key_sha256": key_fingerprint(certificate),
        }

    def _job_key_prefix(self):
        return "confirma-interop-"

    def _job_domain(self):
        """The data checks' jobs of the last day (sends and polls): those
        still to run, and those that ran since yesterday."""
        since = fields.Datetime.now() - datetime.timedelta(days=1)
        return ["|", ("state", "!=", "done"), ("date_done", ">=", since)]

    def _compute_date_last_success(self):
        # the requests (their raw messages) are the auditors'; a date of the
        # platforms the user reads, and nothing of them, is read as sudo
        latest = dict(
            self.env["confirma.interop.request"]
            .sudo()
            ._read_group(
                [("platform_id", "in", self.ids), ("state", "=", "done")],
                ["platform_id"],
                ["date_done:max"],
            )
        )
        for platform in self:
            platform.date_last_success = latest.get(platform, False)

    def _client_or_error(self, cache=None):
        """``_client``, or None when the platform cannot be used (no
        certificate, a wrong password…): the reason is then recorded on its
        status tab and the caller leaves its work for a later run."""
        try:
            return self._client(cache)
        except UserError as error:
            self._record_error(str(error))
            return None

    def _record_error(self, message):
        """What went wrong last, on the platform's status tab."""
        self.sudo().write(
            {"last_error": message, "date_last_error": fields.Datetime.now()}
        )

    def _lease(self):
        """Seconds the checks handed to a job wait for it before the
        scheduled run hands them out again (a job lost with its node):
        twice the platform's timeout, and five minutes more."""
        self.ensure_one()
        return self.timeout * 2 + 300

    def _backoff_minutes(self, attempts):
        self.ensure_one()
        return min(self.retry_minutes * 2 ** max(attempts - 1, 0), 24 * 60)

    # ---- demo: the local simulator --------------------------------------------
    @api.model
    def _pki_folder(self):
        return Path(tools.config["data_dir"]) / "confirma_interop" / "pki"

    @api.model
    def _load_demo_simulator(self, port=8070):
        """Demo data: the local SCSP simulator as the company's platform,
        with a test PKI generated on this machine (never shipped)."""
        company = self.env.company
        folder = certs.ensure_test_pki(self._pki_folder())
        platform = self.env.ref(
            "confirma_interop.platform_default", raise_if_not_found=False
        )
        if not platform:
            return False
        platform.write(
            {
                "name": self.env._("Local SCSP simulator"),
                "environment": "test",
                # docker-compose: the simulator is a service of its own
                "base_url": os.environ.get("CONFIRMA_SIMULATOR_URL")
                or f"http://127.0.0.1:{port}/servicios/SVD/",
                "requester_nif": company.vat or "P4600000J",
                "requester_name": (company.name or "Ajuntament")[:50],
                "certificate": base64.b64encode(
                    (folder / "requester.p12").read_bytes()
                ),
                "certificate_filename": "requester.p12",
                "certificate_password": certs.TEST_PASSWORD,
                "trust_store": (folder / "ca.pem").read_text(),
                # the simulator's own seal, not any other of the test authority
                **self._signer_pin_values((folder / "simulator.pem").read_bytes()),
                "official_name": "SECRETARIA MUNICIPAL",
                "official_nif": "00000000T",
            }
        )
        self._load_demo_requirements()
        return platform

    @api.model
    def _load_demo_requirements(self):
        """Demo data: the demo procedures' requirements known through other
        administrations get their data service; the cases already confirmed
        queue their checks (the simulator answers them once running)."""
        services = {
            code: self.env.ref(f"confirma_interop.service_{code.lower()}")
            for code in ("ECOT103I", "NIVRENTI", "Q2827003ATGSS001", "SVDSCTFNWS01")
        }
        requirements = self.env["confirma.procedure.requirement"].search(
            [("method", "=", "interop"), ("interop_service_id", "=", False)]
        )
        for requirement in requirements:
            holder, name = requirement.data_holder, requirement.name.lower()
            if holder == "aeat" and "income" in name:
                requirement.write(
                    {
                        "interop_service_id": services["NIVRENTI"].id,
                        "interop_threshold": 30000,
                    }
                )
            elif holder == "aeat":
                requirement.interop_service_id = services["ECOT103I"]
            elif holder == "tgss":
                requirement.interop_service_id = services["Q2827003ATGSS001"]
            elif holder == "regional" and "large" in name:
                requirement.interop_service_id = services["SVDSCTFNWS01"]
        confirmed = self.env["confirma.case"].search([("state", "=", "confirmed")])
        return confirmed._interop_queue()


def _local_host(host):
    """Loopback, or a name without dots (a service of the local network,
    such as docker-compose's ``simulator``): never a public address."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host == "localhost" or "." not in host
    return address.is_loopback
