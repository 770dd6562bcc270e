# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""WS-Security X.509 signature of a SOAP Body, as the SCSP v3 platforms use it.

``wsse:Security`` (mustUnderstand) holds an X509v3 ``BinarySecurityToken`` and a
``ds:Signature`` (exclusive C14N, RSA-SHA1 or RSA-SHA256) with one Reference to
the Body through its ``wsu:Id``; the KeyInfo points to the token. No Timestamp.
Verification checks the reference is the Body (no signature wrapping), the
token's certificate is trusted (one of the trusted certificates, or issued by
one of them, and valid now) and, when the platform's certificate is pinned
(its subject and/or the SHA-256 of its public key), that it is that one and
not any other certificate of the same authority; then the signature with
xmlsec.
"""

import base64
import datetime
import hashlib
import re
import uuid

import xmlsec
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from lxml import etree

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE = (
    "http://docs.oasis-open.org/wss/2004/01/"
    "oasis-200401-wss-wssecurity-secext-1.0.xsd"
)
WSU = (
    "http://docs.oasis-open.org/wss/2004/01/"
    "oasis-200401-wss-wssecurity-utility-1.0.xsd"
)
DS = "http://www.w3.org/2000/09/xmldsig#"
X509V3 = (
    "http://docs.oasis-open.org/wss/2004/01/"
    "oasis-200401-wss-x509-token-profile-1.0#X509v3"
)
BASE64 = (
    "http://docs.oasis-open.org/wss/2004/01/"
    "oasis-200401-wss-soap-message-security-1.0#Base64Binary"
)
ALGORITHMS = {
    "rsa-sha1": (xmlsec.Transform.RSA_SHA1, xmlsec.Transform.SHA1),
    "rsa-sha256": (xmlsec.Transform.RSA_SHA256, xmlsec.Transform.SHA256),
}


class SignatureError(Exception):
    """The message is unsigned, badly signed or signed by an untrusted key."""


class Signer:
    """Signs envelopes with one private key and its certificate (PEM bytes)."""

    def __init__(self, key_pem, cert_pem, algorithm="rsa-sha256"):
        if algorithm not in ALGORITHMS:
            raise ValueError(f"Unknown signature algorithm {algorithm!r}")
        self.key = xmlsec.Key.from_memory(key_pem, xmlsec.KeyFormat.PEM)
        self.cert_der = x509.load_pem_x509_certificate(cert_pem).public_bytes(
            serialization.Encoding.DER
        )
        self.algorithm = algorithm

    # zeep's wsse plugin interface
    def apply(self, envelope, headers):
        self.sign(envelope)
        return envelope, headers

    def verify(self, envelope):
        return envelope

    def sign(self, envelope):
        """Sign ``envelope`` (an lxml SOAP 1.1 Envelope) in place."""
        soap = etree.QName(envelope).namespace or SOAP11
        header = envelope.find(f"{{{soap}}}Header")
        if header is None:
            header = etree.Element(f"{{{soap}}}Header")
            envelope.insert(0, header)
        body = envelope.find(f"{{{soap}}}Body")
        body_id = body.get(f"{{{WSU}}}Id") or f"Body-{uuid.uuid4()}"
        body.set(f"{{{WSU}}}Id", body_id)
        security = etree.SubElement(
            header, f"{{{WSSE}}}Security", nsmap={"wsse": WSSE, "wsu": WSU}
        )
        security.set(f"{{{soap}}}mustUnderstand", "1")
        token_id = f"X509-{uuid.uuid4()}"
        token = etree.SubElement(
            security,
            f"{{{WSSE}}}BinarySecurityToken",
            EncodingType=BASE64,
            ValueType=X509V3,
        )
        token.set(f"{{{WSU}}}Id", token_id)
        token.text = base64.b64encode(self.cert_der).decode("ascii")
        sign_method, digest_method = ALGORITHMS[self.algorithm]
        signature = xmlsec.template.create(
            envelope, xmlsec.Transform.EXCL_C14N, sign_method, ns="ds"
        )
        security.append(signature)
        reference = xmlsec.template.add_reference(
            signature, digest_method, uri=f"#{body_id}"
        )
        xmlsec.template.add_transform(reference, xmlsec.Transform.EXCL_C14N)
        key_info = xmlsec.template.ensure_key_info(signature)
        str_ = etree.SubElement(key_info, f"{{{WSSE}}}SecurityTokenReference")
        etree.SubElement(
            str_, f"{{{WSSE}}}Reference", URI=f"#{token_id}", ValueType=X509V3
        )
        context = xmlsec.SignatureContext()
        context.key = self.key
        context.register_id(body, "Id", WSU)
        context.sign(signature)
        return envelope


class Verifier:
    """Verifies signed envelopes against a trust store (PEM certificates),
    optionally pinned to the signer's ``subjects`` (distinguished names,
    see :func:`subject_key`) and/or ``key_sha256`` (hex SHA-256 of the
    signer's public key, see :func:`key_fingerprint`): when pins are given,
    a certificate must match them all."""

    def __init__(self, trusted_pem, subjects=(), key_sha256=()):
        self.trusted = load_certificates(trusted_pem)
        self.subjects = {subject_key(subject) for subject in subjects if subject}
        self.key_sha256 = {
            normalise_fingerprint(value) for value in key_sha256 if value
        }
        # signing certificates already found trusted and pinned (DER ->
        # (certificate, PEM)): a platform signs every answer with the same one
        self._accepted = {}

    def verify(self, envelope, now=None):
        """Return the signer's certificate, or raise :class:`SignatureError`."""
        soap = etree.QName(envelope).namespace or SOAP11
        body = envelope.find(f"{{{soap}}}Body")
        security = envelope.find(f"{{{soap}}}Header/{{{WSSE}}}Security")
        signature = (
            security.find(f"{{{DS}}}Signature") if security is not None else None
        )
        if body is None or signature is None:
            raise SignatureError("The message is not signed.")
        references = signature.findall(f"{{{DS}}}SignedInfo/{{{DS}}}Reference")
        body_id = body.get(f"{{{WSU}}}Id")
        if not body_id or [r.get("URI") for r in references] != [f"#{body_id}"]:
            raise SignatureError("The signature does not cover the message body.")
        token_ref = signature.find(
            f"{{{DS}}}KeyInfo/{{{WSSE}}}SecurityTokenReference/{{{WSSE}}}Reference"
        )
        token = None
        for candidate in security.findall(f"{{{WSSE}}}BinarySecurityToken"):
            if token_ref is None or f"#{candidate.get(f'{{{WSU}}}Id')}" == (
                token_ref.get("URI")
            ):
                token = candidate
                break
        if token is None or not (token.text or "").strip():
            raise SignatureError("The signing certificate is missing.")
        certificate, certificate_pem = self._signer(token.text, now)
        context = xmlsec.SignatureContext()
        context.key = xmlsec.Key.from_memory(certificate_pem, xmlsec.KeyFormat.CERT_PEM)
        context.register_id(body, "Id", WSU)
        try:
            context.verify(signature)
        except xmlsec.Error as error:
            raise SignatureError("The signature does not match the message.") from (
                error
            )
        return certificate

    def _signer(self, token, now=None):
        """(certificate, PEM) of a BinarySecurityToken, once it is found
        valid now, trusted and pinned."""
        try:
            der = base64.b64decode(token)
        except ValueError as error:
            raise SignatureError("The signing certificate is unreadable.") from error
        accepted = self._accepted.get(der)
        if accepted:
            self._check_dates(accepted[0], now)
            return accepted
        try:
            certificate = x509.load_der_x509_certificate(der)
        except ValueError as error:
            raise SignatureError("The signing certificate is unreadable.") from error
        self._check_trusted(certificate, now)
        self._check_pinned(certificate)
        accepted = (certificate, certificate.public_bytes(serialization.Encoding.PEM))
        if len(self._accepted) < 16:
            self._accepted[der] = accepted
        return accepted

    @staticmethod
    def _check_dates(certificate, now=None):
        now = now or datetime.datetime.now(datetime.UTC)
        if not (
            certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc
        ):
            raise SignatureError("The signing certificate is expired or not valid yet.")

    def _check_trusted(self, certificate, now=None):
        self._check_dates(certificate, now)
        for trusted in self.trusted:
            if certificate == trusted:
                return
            if certificate.issuer == trusted.subject:
                try:
                    certificate.verify_directly_issued_by(trusted)
                except (InvalidSignature, ValueError, TypeError):
                    continue
                return
        raise SignatureError("The signing certificate is not trusted.")

    def _check_pinned(self, certificate):
        """Another certificate of a trusted authority is not the platform."""
        if self.subjects and subject_key(certificate.subject) not in self.subjects:
            raise SignatureError(
                "The signing certificate is not the platform's pinned certificate "
                f"(subject {certificate.subject.rfc4514_string(NAME_ALIASES)})."
            )
        if self.key_sha256 and key_fingerprint(certificate) not in self.key_sha256:
            raise SignatureError(
                "The signing certificate is not the platform's pinned certificate "
                f"(public key SHA-256 {key_fingerprint(certificate)})."
            )


# Attribute names of distinguished names (RFC 4514 and OpenSSL's), by OID.
NAME_ALIASES = {
    NameOID.COMMON_NAME: "CN",
    NameOID.COUNTRY_NAME: "C",
    NameOID.ORGANIZATION_NAME: "O",
    NameOID.ORGANIZATIONAL_UNIT_NAME: "OU",
    NameOID.LOCALITY_NAME: "L",
    NameOID.STATE_OR_PROVINCE_NAME: "ST",
    NameOID.STREET_ADDRESS: "STREET",
    NameOID.SERIAL_NUMBER: "serialNumber",
    NameOID.ORGANIZATION_IDENTIFIER: "organizationIdentifier",
    NameOID.GIVEN_NAME: "GN",
    NameOID.SURNAME: "SN",
    NameOID.TITLE: "title",
    NameOID.EMAIL_ADDRESS: "emailAddress",
    NameOID.DOMAIN_COMPONENT: "DC",
    NameOID.USER_ID: "UID",
}
_OIDS = {name.upper(): oid.dotted_string for oid, name in NAME_ALIASES.items()}
_OIDS.update(
    {
        "GIVENNAME": NameOID.GIVEN_NAME.dotted_string,
        "SURNAME": NameOID.SURNAME.dotted_string,
    }
)
# a comma (RFC 4514), plus (multi-valued RDN) or slash (OpenSSL's old
# format) that starts another attribute: values may hold the same characters
_RDN_SEPARATOR = re.compile(
    r"(?<!\\)[,+/](?=\s*(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)\s*=)"
)


def subject_key(value):
    """A distinguished name as a comparable key (attribute order, case and
    spacing do not matter): an ``x509.Name``, or text such as
    ``CN=PLATAFORMA,serialNumber=S0000000Z,O=ORG,C=ES`` (RFC 4514), OpenSSL's
    ``C = ES, O = ORG, CN = PLATAFORMA`` or ``/C=ES/O=ORG/CN=PLATAFORMA``.
    Raises ValueError for text that is not a distinguished name."""
    if isinstance(value, x509.Name):
        pairs = [(a.oid.dotted_string, a.value) for a in value]
    else:
        pairs = []
        for part in _RDN_SEPARATOR.split((value or "").strip().lstrip("/")):
            name, equals, text = part.partition("=")
            name = name.strip()
            oid = _OIDS.get(name.upper()) or (
                name if re.fullmatch(r"\d+(\.\d+)+", name) else None
            )
            if not equals or not oid:
                raise ValueError(f"Not a distinguished name attribute: {part!r}")
            pairs.append((oid, text.replace("\\", "")))
    return tuple(
        sorted((oid, " ".join(str(text).split()).upper()) for oid, text in pairs)
    )


def key_fingerprint(certificate):
    """Hex SHA-256 of a certificate's public key (SubjectPublicKeyInfo, DER)."""
    return hashlib.sha256(
        certificate.public_key().public_bytes(
            serialization.Encoding.DER,
            serialization.PublicFormat.SubjectPublicKeyInfo,
        )
    ).hexdigest()


def normalise_fingerprint(value):
    """``AB:CD:…`` or ``abcd…`` as 64 lowercase hex digits (ValueError else)."""
    digits = re.sub(r"[\s:]", "", value or "").lower()
    if not re.fullmatch(r"[0-9a-f]{64}", digits):
        raise ValueError(f"Not a SHA-256 fingerprint: {value!r}")
    return digits


def load_certificates(pem):
    """All certificates of a PEM bundle (bytes or str)."""
    if isinstance(pem, str):
        pem = pem.encode("ascii")
    if not pem:
        return []
    return x509.load_pem_x509_certificates(pem)
