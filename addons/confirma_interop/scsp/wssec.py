# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""WS-Security X.509 signature of a SOAP Body, as the SCSP v3 platforms use it.

``wsse:Security`` (mustUnderstand) holds an X509v3 ``BinarySecurityToken`` and a
``ds:Signature`` (exclusive C14N, RSA-SHA1 or RSA-SHA256) with one Reference to
the Body through its ``wsu:Id``; the KeyInfo points to the token. No Timestamp.
Verification checks the reference is the Body (no signature wrapping), the
token's certificate is trusted (one of the trusted certificates, or issued by
one of them, and valid now), then the signature with xmlsec.
"""

import base64
import datetime
import uuid

import xmlsec
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
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
    """Verifies signed envelopes against a trust store (PEM certificates)."""

    def __init__(self, trusted_pem):
        self.trusted = load_certificates(trusted_pem)

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
        try:
            certificate = x509.load_der_x509_certificate(base64.b64decode(token.text))
        except ValueError as error:
            raise SignatureError("The signing certificate is unreadable.") from error
        self._check_trusted(certificate, now)
        context = xmlsec.SignatureContext()
        context.key = xmlsec.Key.from_memory(
            certificate.public_bytes(serialization.Encoding.PEM),
            xmlsec.KeyFormat.CERT_PEM,
        )
        context.register_id(body, "Id", WSU)
        try:
            context.verify(signature)
        except xmlsec.Error as error:
            raise SignatureError("The signature does not match the message.") from (
                error
            )
        return certificate

    def _check_trusted(self, certificate, now=None):
        now = now or datetime.datetime.now(datetime.UTC)
        if not (
            certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc
        ):
            raise SignatureError("The signing certificate is expired or not valid yet.")
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


def load_certificates(pem):
    """All certificates of a PEM bundle (bytes or str)."""
    if isinstance(pem, str):
        pem = pem.encode("ascii")
    if not pem:
        return []
    return x509.load_pem_x509_certificates(pem)
