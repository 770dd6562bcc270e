# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""WS-Security X.509 signature of a SOAP Body, as the SCSP v3 platforms use it.

``wsse:Security`` (mustUnderstand) holds an X509v3 ``BinarySecurityToken`` and a
``ds:Signature`` (exclusive C14N, RSA-SHA1 or RSA-SHA256) with one Reference to
the Body through its ``wsu:Id``, or through a plain ``Id`` attribute as some
issuers sign it (the TGSS: ``<soapenv:Body Id="TGSS00">``); the KeyInfo points
to the token. Requests carry no Timestamp; an answer's ``wsu:Timestamp`` is
accepted within a clock skew (``Verifier(skew=...)``, seconds), and may be
signed too, by a second reference.
Some services (the padrón's SCDCPAJU/SCDHPAJU, the catalogue's TIPOSEGURIDAD
``XMLSignature``) use the legacy profile instead: an enveloped ``ds:Signature``
directly in the Header (inclusive C14N), the certificate in its ``X509Data``
and one reference to the Body's ``Id``. Both are signed and verified here.
Verification checks the only reference is the Body (no signature wrapping),
through whichever of the two attributes it names, the
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


#: the id attributes a signed Body may carry: ``wsu:Id`` or a plain ``Id``
BODY_ID_NAMESPACES = {"wsu": WSU, "plain": None}
#: the two security profiles of SCSP services (TIPOSEGURIDAD)
WS_SECURITY, XML_SIGNATURE = "ws-security", "xml-signature"
PROFILES = (WS_SECURITY, XML_SIGNATURE)


class SignatureError(Exception):
    """The message is unsigned, badly signed or signed by an untrusted key."""


def soap_envelope(content):
    """A SOAP 1.1 envelope (an empty Header) with ``content`` moved into
    its Body."""
    root = etree.Element(f"{{{SOAP11}}}Envelope", nsmap={"soapenv": SOAP11})
    etree.SubElement(root, f"{{{SOAP11}}}Header")
    etree.SubElement(root, f"{{{SOAP11}}}Body").append(content)
    return root


def ensure_header(envelope):
    """The envelope's SOAP Header, created if missing."""
    soap = etree.QName(envelope).namespace or SOAP11
    header = envelope.find(f"{{{soap}}}Header")
    if header is None:
        header = etree.Element(f"{{{soap}}}Header")
        envelope.insert(0, header)
    return header


def ensure_security(envelope):
    """The envelope's ``wsse:Security`` header (mustUnderstand), created if
    missing."""
    header = ensure_header(envelope)
    security = header.find(f"{{{WSSE}}}Security")
    if security is None:
        soap = etree.QName(envelope).namespace or SOAP11
        security = etree.SubElement(
            header, f"{{{WSSE}}}Security", nsmap={"wsse": WSSE, "wsu": WSU}
        )
        security.set(f"{{{soap}}}mustUnderstand", "1")
    return security


def _child_path(node, *names):
    """The element at ``names`` (XML Signature children) under ``node``, or
    None; compared by tag, which also holds for elements xmlsec has just
    written (lxml's ``find`` does not always see those)."""
    for name in names:
        tag = f"{{{DS}}}{name}"
        node = next((child for child in node if child.tag == tag), None)
        if node is None:
            return None
    return node


def _id_attribute(namespace):
    return f"{{{namespace}}}Id" if namespace else "Id"


def signed_body_id(body, uris, timestamp=None):
    """The namespace of the Body's id attribute that the signature's only
    reference names (``WSU`` for ``wsu:Id``, None for a plain ``Id``), or
    :class:`SignatureError`: another reference, a second one, or none, is
    refused (no signature wrapping). A second reference is allowed to the
    ``timestamp`` of the Security header (its ``wsu:Id``), and only to it.

    >>> from lxml import etree
    >>> body = etree.fromstring('<Body Id="TGSS00"/>')
    >>> signed_body_id(body, ["#TGSS00"]) is None
    True
    >>> body.set(f"{{{WSU}}}Id", "Body-1")
    >>> signed_body_id(body, ["#Body-1"]) == WSU
    True
    >>> stamp = etree.fromstring(f'<T xmlns:wsu="{WSU}" wsu:Id="TS-1"/>')
    >>> signed_body_id(body, ["#TS-1", "#Body-1"], stamp) == WSU
    True
    >>> for uris in (["#Body-1", "#Token"], ["#Other"], [""], [], ["#TS-1"],
    ...              ["#Body-1", "#TS-1", "#TS-1"]):
    ...     try:
    ...         signed_body_id(body, uris, stamp)
    ...     except SignatureError as error:
    ...         print(error)
    The signature does not cover the message body.
    The signature does not cover the message body.
    The signature does not cover the message body.
    The signature does not cover the message body.
    The signature does not cover the message body.
    The signature does not cover the message body.
    """
    stamp_id = timestamp.get(f"{{{WSU}}}Id") if timestamp is not None else None
    if stamp_id and len(uris) == 2 and f"#{stamp_id}" in uris:
        uris = [uri for uri in uris if uri != f"#{stamp_id}"]
    if len(uris) == 1 and uris[0] and uris[0].startswith("#"):
        target = uris[0][1:]
        for namespace in BODY_ID_NAMESPACES.values():
            if target and body.get(_id_attribute(namespace)) == target:
                return namespace
    raise SignatureError("The signature does not cover the message body.")


def _instant(value):
    """An xs:dateTime of a Timestamp, as an aware datetime (UTC when it
    has no offset), or None."""
    value = (value or "").strip()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def check_timestamp(timestamp, now=None, skew=300):
    """Raise :class:`SignatureError` unless ``timestamp`` (a wsu:Timestamp,
    or None: nothing to check) was created no later than ``now`` and
    expires no earlier, give or take ``skew`` seconds (None: not checked,
    as when replaying captured messages).

    >>> from lxml import etree
    >>> def stamp(created, expires):
    ...     return etree.fromstring(
    ...         f'<wsu:Timestamp xmlns:wsu="{WSU}"><wsu:Created>{created}'
    ...         f"</wsu:Created><wsu:Expires>{expires}</wsu:Expires>"
    ...         "</wsu:Timestamp>")
    >>> now = datetime.datetime(2026, 4, 22, 10, 0, tzinfo=datetime.UTC)
    >>> check_timestamp(stamp("2026-04-22T10:03:00Z", "2026-04-22T10:08:00Z"), now)
    >>> for created, expires in (("2026-04-22T10:06:00Z", "2026-04-22T10:10:00Z"),
    ...                          ("2026-04-22T09:40:00Z", "2026-04-22T09:54:00Z"),
    ...                          ("yesterday", "")):
    ...     try:
    ...         check_timestamp(stamp(created, expires), now)
    ...     except SignatureError as error:
    ...         print(error)
    The message's time stamp is in the future (check the clocks).
    The message's time stamp has expired.
    The message's time stamp is unreadable.
    """
    if timestamp is None or skew is None:
        return
    now = now or datetime.datetime.now(datetime.UTC)
    margin = datetime.timedelta(seconds=skew or 0)
    created = timestamp.find(f"{{{WSU}}}Created")
    expires = timestamp.find(f"{{{WSU}}}Expires")
    created_at = _instant(created.text) if created is not None else None
    expires_at = _instant(expires.text) if expires is not None else None
    if (created is not None and created_at is None) or (
        expires is not None and expires_at is None
    ):
        raise SignatureError("The message's time stamp is unreadable.")
    if created_at and created_at > now + margin:
        raise SignatureError(
            "The message's time stamp is in the future (check the clocks)."
        )
    if expires_at and expires_at < now - margin:
        raise SignatureError("The message's time stamp has expired.")


class Signer:
    """Signs envelopes with one private key and its certificate (PEM bytes)."""

    def __init__(
        self,
        key_pem,
        cert_pem,
        algorithm="rsa-sha256",
        body_id="wsu",
        profile=WS_SECURITY,
        timestamp=None,
        clock=None,
    ):
        """``body_id``: the Body's id attribute, ``wsu`` (``wsu:Id``) or
        ``plain`` (``Id``, as the TGSS signs its answers; always so in the
        legacy profile); ``profile``: ``WS_SECURITY`` or ``XML_SIGNATURE``;
        ``timestamp``: seconds of life of a signed ``wsu:Timestamp`` added to
        WS-Security messages, as some platforms answer (None: none), created
        at ``clock()`` (an aware datetime; now by default)."""
        if algorithm not in ALGORITHMS:
            raise ValueError(f"Unknown signature algorithm {algorithm!r}")
        if body_id not in BODY_ID_NAMESPACES:
            raise ValueError(f"Unknown Body id attribute {body_id!r}")
        if profile not in PROFILES:
            raise ValueError(f"Unknown security profile {profile!r}")
        self.profile = profile
        self.body_id_ns = (
            BODY_ID_NAMESPACES[body_id] if profile == WS_SECURITY else None
        )
        self.key_pem, self.cert_pem, self.body_id = key_pem, cert_pem, body_id
        self.key = xmlsec.Key.from_memory(key_pem, xmlsec.KeyFormat.PEM)
        self.key.load_cert_from_memory(cert_pem, xmlsec.KeyFormat.CERT_PEM)
        self.cert_der = x509.load_pem_x509_certificate(cert_pem).public_bytes(
            serialization.Encoding.DER
        )
        self.algorithm = algorithm
        self.timestamp, self.clock = timestamp, clock

    def for_profile(self, profile):
        """This signer (same key and certificate) in ``profile``."""
        if profile == self.profile:
            return self
        return type(self)(
            self.key_pem,
            self.cert_pem,
            self.algorithm,
            body_id=self.body_id,
            profile=profile,
            timestamp=self.timestamp,
            clock=self.clock,
        )

    def sign(self, envelope):
        """Sign ``envelope`` (an lxml SOAP 1.1 Envelope) in place."""
        soap = etree.QName(envelope).namespace or SOAP11
        header = ensure_header(envelope)
        body = envelope.find(f"{{{soap}}}Body")
        id_attribute = _id_attribute(self.body_id_ns)
        default_id = "MsgBody" if self.profile == XML_SIGNATURE else None
        body_id = body.get(id_attribute) or default_id or f"Body-{uuid.uuid4()}"
        body.set(id_attribute, body_id)
        if self.profile == XML_SIGNATURE:
            return self._sign_xml_signature(envelope, header, body, body_id)
        # one Security header: an encrypted answer already has one (its key)
        security = ensure_security(envelope)
        token_id = f"X509-{uuid.uuid4()}"
        token = etree.Element(
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
        # the token and the signature first, before an encrypted key
        security.insert(0, token)
        security.insert(1, signature)
        reference = xmlsec.template.add_reference(
            signature, digest_method, uri=f"#{body_id}"
        )
        xmlsec.template.add_transform(reference, xmlsec.Transform.EXCL_C14N)
        stamp = None
        if self.timestamp is not None:
            stamp = self._timestamp()
            security.insert(0, stamp)
            reference = xmlsec.template.add_reference(
                signature, digest_method, uri=f"#{stamp.get(f'{{{WSU}}}Id')}"
            )
            xmlsec.template.add_transform(reference, xmlsec.Transform.EXCL_C14N)
        key_info = xmlsec.template.ensure_key_info(signature)
        str_ = etree.SubElement(key_info, f"{{{WSSE}}}SecurityTokenReference")
        etree.SubElement(
            str_, f"{{{WSSE}}}Reference", URI=f"#{token_id}", ValueType=X509V3
        )
        context = xmlsec.SignatureContext()
        context.key = self.key
        context.register_id(body, "Id", self.body_id_ns)
        if stamp is not None:
            context.register_id(stamp, "Id", WSU)
        context.sign(signature)
        return envelope

    def _timestamp(self):
        created = (self.clock or (lambda: datetime.datetime.now(datetime.UTC)))()
        created = created.astimezone(datetime.UTC)
        stamp = etree.Element(f"{{{WSU}}}Timestamp")
        stamp.set(f"{{{WSU}}}Id", f"TS-{uuid.uuid4()}")
        for tag, moment in (
            ("Created", created),
            ("Expires", created + datetime.timedelta(seconds=self.timestamp)),
        ):
            etree.SubElement(stamp, f"{{{WSU}}}{tag}").text = (
                moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
            )
        return stamp

    def _sign_xml_signature(self, envelope, header, body, body_id):
        """The legacy profile: ``ds:Signature`` in the Header, inclusive
        C14N, the certificate in ``X509Data``, the Body by its ``Id``."""
        sign_method, digest_method = ALGORITHMS[self.algorithm]
        signature = xmlsec.template.create(
            envelope, xmlsec.Transform.C14N, sign_method, ns="ds"
        )
        header.append(signature)
        reference = xmlsec.template.add_reference(
            signature, digest_method, uri=f"#{body_id}"
        )
        xmlsec.template.add_transform(reference, xmlsec.Transform.C14N)
        key_info = xmlsec.template.ensure_key_info(signature)
        xmlsec.template.x509_data_add_certificate(
            xmlsec.template.add_x509_data(key_info)
        )
        context = xmlsec.SignatureContext()
        context.key = self.key
        context.register_id(body, "Id")
        context.sign(signature)
        return envelope


def carried_certificate(envelope):
    """(certificate or None, profile) the message says it is signed with, in
    either profile (``"none"``: not signed), without judging it."""
    soap = etree.QName(envelope).namespace or SOAP11
    header = envelope.find(f"{{{soap}}}Header")
    if header is None:
        return None, "none"
    security = header.find(f"{{{WSSE}}}Security")
    signature = security.find(f"{{{DS}}}Signature") if security is not None else None
    if signature is not None:
        token, profile = Verifier._token(security, signature), WS_SECURITY
    else:
        signature = header.find(f"{{{DS}}}Signature")
        if signature is None:
            return None, "none"
        token = _child_path(signature, "KeyInfo", "X509Data", "X509Certificate")
        profile = XML_SIGNATURE
    if token is None or not (token.text or "").strip():
        return None, profile
    try:
        return x509.load_der_x509_certificate(base64.b64decode(token.text)), profile
    except ValueError:
        return None, profile


def verify_intact(envelope):
    """(certificate, profile) of a message whose signature is intact, checked
    against the certificate it carries: not whether that certificate is
    trusted or current (replaying captured messages, inspecting them), or
    :class:`SignatureError`."""
    certificate, profile = carried_certificate(envelope)
    if profile == "none":
        raise SignatureError("The message is not signed.")
    if certificate is None:
        raise SignatureError("The signing certificate is missing.")
    own = certificate.public_bytes(serialization.Encoding.PEM)
    Verifier(own, skew=None).verify_profile(
        envelope, now=certificate.not_valid_before_utc
    )
    return certificate, profile


class Verifier:
    """Verifies signed envelopes against a trust store (PEM certificates),
    optionally pinned to the signer's ``subjects`` (distinguished names,
    see :func:`subject_key`) and/or ``key_sha256`` (hex SHA-256 of the
    signer's public key, see :func:`key_fingerprint`): when pins are given,
    a certificate must match them all."""

    def __init__(self, trusted_pem, subjects=(), key_sha256=(), skew=300):
        self.trusted = load_certificates(trusted_pem)
        # seconds of clock difference accepted on an answer's wsu:Timestamp
        self.skew = skew
        self.subjects = {subject_key(subject) for subject in subjects if subject}
        self.key_sha256 = {
            normalise_fingerprint(value) for value in key_sha256 if value
        }
        # signing certificates already found trusted and pinned (DER ->
        # (certificate, PEM)): a platform signs every answer with the same one
        self._accepted = {}

    def verify(self, envelope, now=None):
        """Return the signer's certificate, or raise :class:`SignatureError`."""
        return self.verify_profile(envelope, now)[0]

    def verify_profile(self, envelope, now=None):
        """(signer's certificate, profile) of a message signed in either
        profile, or :class:`SignatureError`."""
        soap = etree.QName(envelope).namespace or SOAP11
        body = envelope.find(f"{{{soap}}}Body")
        header = envelope.find(f"{{{soap}}}Header")
        security = header.find(f"{{{WSSE}}}Security") if header is not None else None
        signature = (
            security.find(f"{{{DS}}}Signature") if security is not None else None
        )
        profile = WS_SECURITY
        if signature is None and header is not None:
            signature = header.find(f"{{{DS}}}Signature")
            profile = XML_SIGNATURE
        if body is None or signature is None:
            raise SignatureError("The message is not signed.")
        references = signature.findall(f"{{{DS}}}SignedInfo/{{{DS}}}Reference")
        timestamp = (
            security.find(f"{{{WSU}}}Timestamp") if security is not None else None
        )
        body_id_ns = signed_body_id(body, [r.get("URI") for r in references], timestamp)
        check_timestamp(timestamp, now, self.skew)
        if profile == WS_SECURITY:
            token = self._token(security, signature)
        else:
            token = _child_path(signature, "KeyInfo", "X509Data", "X509Certificate")
        if token is None or not (token.text or "").strip():
            raise SignatureError("The signing certificate is missing.")
        certificate, certificate_pem = self._signer(token.text, now)
        context = xmlsec.SignatureContext()
        context.key = xmlsec.Key.from_memory(certificate_pem, xmlsec.KeyFormat.CERT_PEM)
        context.register_id(body, "Id", body_id_ns)
        if timestamp is not None and timestamp.get(f"{{{WSU}}}Id"):
            context.register_id(timestamp, "Id", WSU)
        try:
            context.verify(signature)
        except xmlsec.Error as error:
            raise SignatureError("The signature does not match the message.") from (
                error
            )
        return certificate, profile

    @staticmethod
    def _token(security, signature):
        """The BinarySecurityToken the signature's KeyInfo points to."""
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
        return token

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
