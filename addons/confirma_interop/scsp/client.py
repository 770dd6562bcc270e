# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SCSP v3 client: SOAP 1.1 document/literal over HTTP as the project's
generic WSDL (``wsdl/scsp_v3.wsdl``) describes it, every request signed in
its service's security profile, every answer verified.

The envelope is built with lxml and posted with requests: a SOAP library
re-serialized each Peticion of 1,000 holders through its schema (half a
second each) for nothing the WSDL adds to a message the project already
builds to the official schemas.

``ScspClient.call(url, operation, element)`` sends the ``Peticion`` or
``SolicitudRespuesta`` element through ``peticionSincrona``,
``peticionAsincrona`` or ``solicitudRespuesta`` and returns an
:class:`Exchange` with the raw request and answer (for the audit) and the
answer's root element, once its signature is verified. Failures raise
:class:`ScspError` with the SCSP code that best says what happened:
0101 unreachable, 0102 no answer in time, 0103 not XML (or XML a SOAP
message may not hold: a document type, entities, excessive depth or size),
0305 bad signature, a SOAP fault's own code (or 0502), HTTP errors as 0502.

Every answer is verified before it is acted on, SOAP faults included: an
unsigned or badly signed fault is 0305 (a protocol error, retried), never
the holder or request error it claims to be.
"""

from pathlib import Path

import requests
from lxml import etree

from . import codes, xmlenc
from .messages import parser
from .wssec import SOAP11, WS_SECURITY, SignatureError, soap_envelope

WSDL = Path(__file__).parent / "wsdl" / "scsp_v3.wsdl"
# the WSDL's operations, each its own soapAction
OPERATIONS = ("peticionSincrona", "peticionAsincrona", "solicitudRespuesta")


class ScspError(Exception):
    """A request that got no usable answer; ``code`` is an SCSP status code,
    ``detail`` what the platform (or the transport) said."""

    def __init__(self, code, detail=None, exchange=None):
        self.code = code
        self.detail = detail
        self.exchange = exchange
        super().__init__(self.text())

    def text(self, lang=None):
        """The error in plain words, in ``lang``."""
        return codes.describe(self.code, self.detail, lang)

    @property
    def message(self):
        return self.text()

    @property
    def kind(self):
        return codes.kind(self.code)


class Exchange:
    """One HTTP round trip: raw bytes both ways and the verified answer."""

    def __init__(self, request_xml):
        self.request_xml = request_xml
        self.response_xml = b""
        self.status = None
        self.root = None


class ScspClient:
    def __init__(self, signer, verifier, timeout=60, session=None, decrypt_key=None):
        """``decrypt_key``: the seal's private key (PEM), to decrypt answers
        encrypted to its certificate."""
        self.signer = signer
        self.verifier = verifier
        self.timeout = timeout
        self.decrypt_key = decrypt_key
        self.session = session or requests.Session()

    def call(self, url, operation, element, profile=WS_SECURITY):
        """Send ``element`` to ``url`` through ``operation``, signed in the
        service's security ``profile`` (``wssec.PROFILES``); see the module.
        Answers are verified in whichever profile they are signed."""
        if operation not in OPERATIONS:
            raise ValueError(f"Unknown SCSP operation {operation!r}")
        envelope = soap_envelope(element)
        self.signer.for_profile(profile).sign(envelope)
        exchange = Exchange(
            etree.tostring(envelope, xml_declaration=True, encoding="utf-8")
        )
        try:
            response = self.session.post(
                url,
                data=exchange.request_xml,
                headers={
                    "Content-Type": "text/xml; charset=utf-8",
                    "SOAPAction": f'"{operation}"',
                },
                timeout=self.timeout,
            )
        except requests.Timeout as error:
            raise ScspError("0102", None, exchange) from error
        except requests.RequestException as error:
            raise ScspError("0101", None, exchange) from error
        exchange.status = response.status_code
        exchange.response_xml = response.content
        envelope = self._parse(exchange)
        # nothing in an answer is believed before its signature, faults included
        try:
            self.verifier.verify(envelope)
        except SignatureError as error:
            raise ScspError("0305", str(error), exchange) from error
        # encrypted before it was signed: decrypted once verified, and never
        # read while any part of it stays encrypted
        try:
            xmlenc.decrypt(envelope, self.decrypt_key)
        except xmlenc.DecryptionError as error:
            raise ScspError(codes.ENCRYPTED, str(error), exchange) from error
        body = envelope.find(f"{{{SOAP11}}}Body")
        fault = body.find(f"{{{SOAP11}}}Fault") if body is not None else None
        if fault is not None:
            raise self._fault(fault, exchange)
        if response.status_code >= 400:
            raise ScspError("0502", f"HTTP {response.status_code}", exchange)
        if body is None or not len(body):
            raise ScspError("0103", None, exchange)
        exchange.root = body[0]
        return exchange

    @staticmethod
    def _parse(exchange):
        try:
            envelope = etree.fromstring(exchange.response_xml, parser())
        except etree.XMLSyntaxError as error:
            if exchange.status and exchange.status >= 400:
                raise ScspError("0502", f"HTTP {exchange.status}", exchange) from error
            raise ScspError("0103", None, exchange) from error
        # SOAP 1.1 (section 3): a message must not hold a document type
        # declaration (entities: "billion laughs" and the like)
        if envelope.getroottree().docinfo.doctype or (
            etree.QName(envelope).localname != "Envelope"
        ):
            raise ScspError("0103", None, exchange)
        return envelope

    @staticmethod
    def _fault(fault, exchange):
        """A SOAP fault, with the SCSP status of its detail when there is one."""
        code, literal = fault_status(fault)
        return ScspError(code or "0502", literal or None, exchange)


def fault_status(fault):
    """(CodigoEstado, LiteralError or else the faultstring) of a SOAP fault;
    empty strings for what it does not say."""
    code = literal = ""
    for element in fault.iter():
        name = etree.QName(element).localname if isinstance(element.tag, str) else ""
        if name == "CodigoEstado" and element.text:
            code = element.text.strip()
        elif name == "LiteralError" and element.text:
            literal = element.text.strip()
    return code, literal or (fault.findtext("faultstring") or "").strip()
