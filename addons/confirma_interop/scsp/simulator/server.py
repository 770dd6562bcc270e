# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A local SCSP v3 platform: a real SOAP-over-HTTP server (WSGI) for demo and
tests, answering the shipped services from the synthetic population.

- ``POST /servicios/SVD/<Issuer>.<Service>[.Asincrona]`` with a signed SOAP
  envelope: ``Peticion`` (synchronous: one holder; asynchronous: up to 1000,
  acknowledged with 0002 and the estimated time) or ``SolicitudRespuesta``
  (the answer of an asynchronous request once it is ready). Unsigned or
  badly signed requests get a SOAP fault with 0305; every answer is signed
  with the simulator's own certificate, SOAP faults included (as the real
  platforms do). Request bodies need a ``Content-Length`` (411, 400 when
  unreadable) of at most :data:`MAX_BODY` bytes (413).
- Answers come from a :class:`Registry` of people: the synthetic town (same
  residents, seed and monthly changes as the demo, so demo residents verify
  consistently), with what other administrations would know of them
  (income, tax and social security standing, unemployment, disability,
  large-family titles) derived deterministically from each document.
- :class:`Faults` switches, set in code or with ``POST /_control`` (JSON):
  latency, timeouts, holder errors 0231/0233/0238 (all holders or some
  documents), authorisation errors 0301/0314, SOAP faults, unsigned SOAP
  faults, HTTP errors, malformed or hostile XML, answers that stay pending
  for N polls, and failing the next N requests only (retry, then success).
  ``/_control`` answers only on loopback: ``GET`` shows the switches,
  ``POST`` changes them with the control token given at start
  (``X-Control-Token`` header; without a token, switches are set in code
  only).
"""

import concurrent.futures
import dataclasses
import datetime
import hashlib
import hmac
import ipaddress
import json
import logging
import os
import secrets
import threading
import time
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from lxml import etree

from .. import messages, services, xmlenc
from ..messages import PETICION, RESPUESTA, parser, text
from ..wssec import (
    SOAP11,
    WS_SECURITY,
    SignatureError,
    Signer,
    Verifier,
    soap_envelope,
    verify_intact,
)
from . import answers
from .people import Person, Registry, fold  # noqa: F401

_logger = logging.getLogger(__name__)
MAX_ELEMENTS = 1000
# seconds a poll waits for an answer still being prepared
ANSWER_WAIT = 120
# a signed Peticion of 1,000 holders is about 2 MB
MAX_BODY = 10 * 1024 * 1024
CONTROL_TOKEN_FILE = "control-token"
CONTROL_HEADER = "HTTP_X_CONTROL_TOKEN"
HOLDER_LITERALS = {
    "0231": "DOCUMENTO INCORRECTO",
    "0233": "TITULAR NO IDENTIFICADO",
    "0238": "INFORMACION NO DISPONIBLE",
}
REQUEST_LITERALS = {
    "0301": "ORGANISMO NO AUTORIZADO",
    "0305": "FIRMA NO VALIDA",
    "0314": "PROCEDIMIENTO NO AUTORIZADO",
    "0229": "IDENTIFICADOR DE PETICION REPETIDO",
    "0244": "PETICION DESCONOCIDA",
    "0401": "LA ESTRUCTURA DEL FICHERO NO ES CORRECTA",
    "0415": "MAS DE UNA SOLICITUD: USE EL MODO ASINCRONO",
}

REQUEST_FAULTS_OFF = {
    "timeout": 0.0,
    "http_status": 0,
    "malformed": False,
    "soap_fault": False,
    "request_code": "",
    "hostile": "",
}
HOSTILE = ("", "entities", "depth")
# the request's elements, copied into the answer's namespace (in C: echoing
# 1,000 holders' DatosGenericos element by element in Python cost more than
# answering them). Renaming the tags of a copy in place is not enough: the
# copy keeps the namespace declarations it came with, and a request that
# declared the peticion namespace as the default (as Java clients write
# them) was echoed in it once serialized.
_TO_RESPUESTA = f"""<xsl:stylesheet version="1.0"
        xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
        xmlns:p="{PETICION}">
    <xsl:template match="p:*">
        <xsl:element name="{{local-name()}}" namespace="{RESPUESTA}">
            <xsl:apply-templates select="@*|node()"/>
        </xsl:element>
    </xsl:template>
    <xsl:template match="@*|node()">
        <xsl:copy><xsl:apply-templates select="@*|node()"/></xsl:copy>
    </xsl:template>
</xsl:stylesheet>"""
_transforms = threading.local()


def TO_RESPUESTA(node):  # noqa: N802 - used as the transform it is
    """``node`` copied into the answer's namespace (an XSLT transform is
    not shared between threads: one per thread)."""
    transform = getattr(_transforms, "to_respuesta", None)
    if transform is None:
        transform = _transforms.to_respuesta = etree.XSLT(etree.XML(_TO_RESPUESTA))
    return transform(node)


MISMATCHES = ("", "id_peticion", "certificate", "holder", "solicitud")


@dataclasses.dataclass
class Faults:
    latency: float = 0.0  # seconds before every answer
    timeout: float = 0.0  # seconds to hang (longer than the client waits)
    holder_code: str = ""  # 0231 / 0233 / 0238 for the holders below
    holder_documents: list = dataclasses.field(default_factory=list)  # [] = all
    # synchronous holder errors answered as a SOAP fault carrying the code,
    # as some platforms do, instead of a Respuesta
    holder_as_fault: bool = False
    # answers that disagree with their request (see _mismatch): "id_peticion",
    # "certificate", "holder" or "solicitud"
    mismatch: str = ""
    request_code: str = ""  # 0301 / 0314...: the whole request refused
    soap_fault: bool = False  # a plain SOAP fault (server error)
    unsigned_faults: bool = False  # SOAP faults sent without a signature
    http_status: int = 0  # e.g. 503
    malformed: bool = False  # an answer that is not XML
    hostile: str = ""  # "entities" (billion laughs) / "depth": hostile XML
    pending_polls: int = 0  # polls answered "still in process" (0002)
    ter: int = 0  # TiempoEstimadoRespuesta announced (hours)
    fail_next: int = 0  # only the next N requests get the fault above

    def update(self, values):
        """Set switches from ``values`` (e.g. JSON): all or none, each of
        its own type (ValueError otherwise)."""
        if not isinstance(values, dict):
            raise ValueError("The fault switches are a JSON object.")
        checked = {}
        types = {f.name: f.type for f in dataclasses.fields(self)}
        for key, value in values.items():
            kind = types.get(key)
            if kind is None:
                raise ValueError(f"Unknown fault switch {key!r}")
            if kind is float and type(value) is int:
                value = float(value)
            if kind is list:
                valid = isinstance(value, list) and all(
                    isinstance(item, str) for item in value
                )
            else:  # exactly the type: JSON true is not a number
                valid = type(value) is kind
            if key == "hostile":
                valid = valid and value in HOSTILE
            elif key == "mismatch":
                valid = valid and value in MISMATCHES
            elif key == "http_status":
                valid = valid and (value == 0 or 100 <= value <= 599)
            if not valid:
                raise ValueError(f"Bad value for fault switch {key!r}: {value!r}")
            checked[key] = value
        for key, value in checked.items():
            setattr(self, key, value)


class Simulator:
    """The WSGI application (see the module's documentation)."""

    def __init__(
        self,
        registry,
        key_pem,
        cert_pem,
        trusted_pem,
        region="10",
        today=None,
        algorithm="rsa-sha1",
        control_token=None,
        accept_untrusted=False,
    ):
        self.registry = registry
        # replay mode: a request's signature must be intact, but its
        # certificate need not be trusted or current (messages captured
        # from other systems)
        self.accept_untrusted = accept_untrusted
        self.control_token = control_token or None
        self.signer = Signer(key_pem, cert_pem, algorithm)
        self.verifier = Verifier(trusted_pem)
        # the security profile each service answers in, when not the one
        # of the catalogue (services.Service.profile): CodigoCertificado ->
        # wssec.WS_SECURITY / XML_SIGNATURE. Requests are verified in either.
        self.profiles = {}
        # the services that answer encrypted to the requester's certificate,
        # as the TGSS does (CodigoCertificado -> (key transport, cipher) of
        # xmlenc.KEY_TRANSPORTS / CIPHERS): DatosEspecificos of synchronous
        # answers, Transmisiones of asynchronous ones
        self.encryption = {}
        # a certificate (PEM) to encrypt to instead of the requester's: a
        # platform that encrypts to the wrong key (tests)
        self.encrypt_to = None
        self.region = region
        self.today = today
        self.faults = Faults()
        self.pending = {}
        # asynchronous requests are answered one after another, in the
        # background (see _prepare)
        self.workers = concurrent.futures.ThreadPoolExecutor(1)
        self.seen = set()
        self.lock = threading.Lock()
        self.requests = 0

    # ---- WSGI --------------------------------------------------------------------
    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        length = (environ.get("CONTENT_LENGTH") or "").strip()
        if not length:
            if method == "POST":
                return _plain(start_response, "411 Length Required", "")
            length = "0"
        if not length.isdigit():
            return _plain(start_response, "400 Bad Request", "Bad Content-Length")
        if int(length) > MAX_BODY:
            return _plain(
                start_response,
                "413 Content Too Large",
                f"At most {MAX_BODY} bytes",
            )
        length = int(length)
        body = environ["wsgi.input"].read(length) if length else b""
        if path == "/_control":
            return self._control(environ, method, body, start_response)
        if method != "POST" or not path.startswith("/servicios/"):
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"SCSP simulator: POST signed SOAP to /servicios/SVD/<service>\n"]
        status, payload = self.handle(path, body)
        start_response(
            status,
            [
                ("Content-Type", "text/xml; charset=utf-8"),
                ("Content-Length", str(len(payload))),
            ],
        )
        return [payload]

    def _control(self, environ, method, body, start_response):
        """The fault switches: loopback only; changing them needs the token."""
        if not _loopback(environ.get("REMOTE_ADDR")):
            return _plain(start_response, "403 Forbidden", "Loopback only")
        if method == "POST":
            token = environ.get(CONTROL_HEADER) or ""
            if not self.control_token or not hmac.compare_digest(
                token.encode(), self.control_token.encode()
            ):
                return _plain(
                    start_response,
                    "403 Forbidden",
                    "Give the simulator's control token (X-Control-Token)",
                )
            try:
                values = json.loads(body or b"{}")
                with self.lock:
                    self.faults.update(values)
            except (ValueError, TypeError) as error:
                return _plain(start_response, "400 Bad Request", str(error))
        elif method not in ("GET", "HEAD"):
            return _plain(start_response, "405 Method Not Allowed", "GET or POST")
        payload = json.dumps(
            dict(dataclasses.asdict(self.faults), requests=self.requests)
        ).encode()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [payload]

    # ---- SOAP ----------------------------------------------------------------------
    def handle(self, path, body):
        """(HTTP status line, bytes) for one SOAP request."""
        with self.lock:
            self.requests += 1
            faults = dataclasses.replace(self.faults)
            if self.faults.fail_next:
                self.faults.fail_next -= 1
                if not self.faults.fail_next:
                    # the next requests are answered normally
                    self.faults.update(REQUEST_FAULTS_OFF)
        if faults.latency:
            time.sleep(faults.latency)
        if faults.timeout:
            time.sleep(faults.timeout)
        if faults.http_status:
            return f"{faults.http_status} Service Unavailable", b"Service Unavailable"
        if faults.malformed:
            return "200 OK", b"<html><body>Proxy error"
        if faults.hostile:
            return "200 OK", HOSTILE_ANSWERS[faults.hostile]()
        if faults.soap_fault:
            return self._fault(
                "soapenv:Server", "Internal error", None, faults.unsigned_faults
            )
        envelope, requester, refusal = self._read_request(body)
        if refusal:
            return refusal
        root = envelope.find(f"{{{SOAP11}}}Body")
        root = root[0] if root is not None and len(root) else None
        if root is None:
            return self._fault("soapenv:Client", "Empty body", "0401")
        if faults.request_code:
            return self._fault(
                "soapenv:Client",
                REQUEST_LITERALS.get(faults.request_code, "ERROR"),
                faults.request_code,
                faults.unsigned_faults,
            )
        name = etree.QName(root).localname
        if name == "Peticion":
            return self._peticion(root, path.endswith(".Asincrona"), faults, requester)
        if name == "SolicitudRespuesta":
            return self._poll(root, faults, requester)
        return self._fault("soapenv:Client", "Unknown operation", "0401")

    def _read_request(self, body):
        """(envelope, requester's certificate, None), or (None, None, the
        fault to answer): the request must be XML without a document type,
        signed by a trusted seal (replay mode: signed and intact)."""
        try:
            envelope = etree.fromstring(body, parser())
        except etree.XMLSyntaxError:
            return None, None, self._fault("soapenv:Client", "Malformed XML", "0401")
        if envelope.getroottree().docinfo.doctype:
            return None, None, self._fault("soapenv:Client", "DTD not allowed", "0401")
        try:
            if self.accept_untrusted:
                requester, _profile = verify_intact(envelope)
            else:
                requester = self.verifier.verify(envelope)
        except SignatureError as error:
            return None, None, self._fault("soapenv:Client", str(error), "0305")
        return envelope, requester, None

    def _context(self):
        today = self.today or datetime.date.today()
        return {"today": today, "year": today.year - 1, "region": self.region}

    def _peticion(self, root, asynchronous, faults, requester=None):
        atributos = root.find(f"{{{PETICION}}}Atributos")
        code = text(atributos, "CodigoCertificado")
        id_peticion = text(atributos, "IdPeticion")
        service = services.SERVICES.get(code)
        if service is None:
            return self._fault(
                "soapenv:Client", "CODIGO DE CERTIFICADO DESCONOCIDO", "0234"
            )
        solicitudes = root.findall(
            f"{{{PETICION}}}Solicitudes/{{{PETICION}}}SolicitudTransmision"
        )
        if not solicitudes or len(solicitudes) > MAX_ELEMENTS:
            return self._fault(
                "soapenv:Client", "NUMERO DE ELEMENTOS INCORRECTO", "0237"
            )
        with self.lock:
            if id_peticion in self.seen:
                return self._fault("soapenv:Client", REQUEST_LITERALS["0229"], "0229")
            self.seen.add(id_peticion)
        if not asynchronous:
            if len(solicitudes) > 1:
                return self._fault("soapenv:Client", REQUEST_LITERALS["0415"], "0415")
            transmissions = self._answers(service, solicitudes, faults)
            holder_code = transmissions[0][2]
            if holder_code and faults.holder_as_fault:
                return self._fault(
                    "soapenv:Client", HOLDER_LITERALS[holder_code], holder_code
                )
            if holder_code:
                # synchronous: the platform answers the holder error itself
                answer = messages.respuesta(
                    code,
                    id_peticion,
                    {"code": holder_code, "literal": HOLDER_LITERALS[holder_code]},
                )
            else:
                answer = self._respuesta(code, id_peticion, transmissions)
            return self._ok(answer, faults, requester, "DatosEspecificos")
        if not service.asynchronous:
            return self._fault("soapenv:Client", "MODO NO SOPORTADO", "0902")
        # acknowledged at once and answered in the background, as the
        # platforms do: the requester prepares its next message meanwhile
        entry = {
            "code": code,
            "transmissions": None,
            "polls": faults.pending_polls,
            "ready": threading.Event(),
        }
        with self.lock:
            self.pending[id_peticion] = entry
        self.workers.submit(self._prepare, entry, service, solicitudes, faults)
        return self._ok(
            messages.confirmacion(
                code,
                id_peticion,
                len(solicitudes),
                {"code": "0002", "literal": "EN PROCESO", "ter": faults.ter},
            ),
            faults,
        )

    def _poll(self, root, faults, requester=None):
        namespace = etree.QName(root).namespace
        atributos = root.find(f"{{{namespace}}}Atributos")
        id_peticion = text(atributos, "IdPeticion")
        code = text(atributos, "CodigoCertificado")
        with self.lock:
            pending = self.pending.get(id_peticion)
            if pending is None:
                return self._fault("soapenv:Client", REQUEST_LITERALS["0244"], "0244")
            if pending["polls"] > 0:
                pending["polls"] -= 1
                still = True
            else:
                still = False
                del self.pending[id_peticion]
        if still:
            return self._ok(
                messages.respuesta(
                    code,
                    id_peticion,
                    {"code": "0002", "literal": "EN PROCESO", "ter": faults.ter},
                ),
                faults,
            )
        # a poll that comes before the answer is ready waits for it
        if not pending["ready"].wait(ANSWER_WAIT) or pending["transmissions"] is None:
            return self._fault("soapenv:Server", "Internal error", None)
        return self._ok(
            self._respuesta(pending["code"], id_peticion, pending["transmissions"]),
            faults,
            requester,
            "Transmisiones",
        )

    def _prepare(self, entry, service, solicitudes, faults):
        """The answers of an asynchronous request (a background thread)."""
        try:
            entry["transmissions"] = self._answers(service, solicitudes, faults)
        except Exception:
            _logger.exception("The simulator could not answer a request")
        finally:
            entry["ready"].set()

    def _answers(self, service, solicitudes, faults):
        """(DatosGenericos, DatosEspecificos, holder error code) per holder."""
        context = self._context()
        targeted = {d.upper() for d in faults.holder_documents or ()}
        results = []
        # the request's generic parts in the answer's namespace, all at once
        renamed = TO_RESPUESTA(solicitudes[0].getparent()).getroot()
        echoes = [
            node.find(f"{{{RESPUESTA}}}DatosGenericos")
            for node in renamed.iterchildren(f"{{{RESPUESTA}}}SolicitudTransmision")
        ]
        for number, solicitud in enumerate(solicitudes, 1):
            generic = solicitud.find(f"{{{PETICION}}}DatosGenericos")
            request = solicitud.find(f"{{{messages.DE}}}DatosEspecificos")
            document = text(generic, "Titular", "Documentacion").upper()
            person = self.registry.get(document)
            holder_code = ""
            if faults.holder_code and (not targeted or document in targeted):
                holder_code = faults.holder_code
            elif person is None:
                holder_code = "0233"
            if holder_code:
                specific = answers.holder_error(
                    service,
                    holder_code,
                    HOLDER_LITERALS[holder_code],
                    context,
                    request,
                )
            else:
                context["names_match"] = fold(
                    text(generic, "Titular", "Apellido1")
                ) in ("", fold(person.surname1))
                specific = answers.answer(service, person, context, request)
            results.append(
                (self._echo(echoes[number - 1], number), specific, holder_code)
            )
        return results

    @staticmethod
    def _echo(generic, number):
        """The request's DatosGenericos in the answer's namespace, with the
        transmission id and date the emitter sets."""
        echo = generic
        if etree.QName(generic).namespace != RESPUESTA:
            echo = TO_RESPUESTA(generic).getroot()
        transmision = echo.find(f"{{{RESPUESTA}}}Transmision")
        for tag in ("IdTransmision", "FechaGeneracion"):
            old = transmision.find(f"{{{RESPUESTA}}}{tag}")
            if old is not None:
                transmision.remove(old)
        id_solicitud = text(transmision, "IdSolicitud")
        digest = hashlib.sha1(id_solicitud.encode()).hexdigest()[:16].upper()  # noqa: S324
        transmision.append(
            messages.element(RESPUESTA, "IdTransmision", f"SIM{number:06d}{digest}")
        )
        transmision.append(
            messages.element(RESPUESTA, "FechaGeneracion", messages.timestamp())
        )
        return echo

    @staticmethod
    def _respuesta(code, id_peticion, transmissions):
        root = etree.Element(
            f"{{{RESPUESTA}}}Respuesta",
            nsmap={None: RESPUESTA, "de": messages.DE},
        )
        root.append(
            messages._atributos(
                RESPUESTA,
                id_peticion,
                len(transmissions),
                code,
                state={"code": "0003", "literal": "TRAMITADA"},
            )
        )
        node = messages.element(RESPUESTA, "Transmisiones")
        for generic, specific, _holder in transmissions:
            node.append(
                messages.element(RESPUESTA, "TransmisionDatos", None, generic, specific)
            )
        root.append(node)
        return root

    # ---- envelopes -----------------------------------------------------------------
    def _ok(self, content, faults=None, requester=None, encrypted=None):
        """A signed 200 answer; the ``encrypted`` elements of it (by local
        name) encrypted to the ``requester``'s certificate first when its
        service answers encrypted (see ``encryption``)."""
        service = text(
            content.find(f"{{{etree.QName(content).namespace}}}Atributos"),
            "CodigoCertificado",
        )
        if faults and faults.mismatch:
            _mismatch(content, faults.mismatch)
        envelope = soap_envelope(content)
        encryption = self.encryption.get(service)
        if encryption and encrypted and requester is not None:
            nodes = [
                node
                for node in content.iter()
                if isinstance(node.tag, str)
                and etree.QName(node).localname == encrypted
            ]
            xmlenc.encrypt_content(
                envelope,
                nodes,
                self.encrypt_to or requester.public_bytes(serialization.Encoding.PEM),
                *encryption,
            )
            # signed as it will be sent: the namespaces xmlsec left in the
            # tree settle as serialized (inclusive C14N sees them)
            envelope = etree.fromstring(etree.tostring(envelope), parser())
        known = services.SERVICES.get(service)
        profile = self.profiles.get(service, known.profile if known else WS_SECURITY)
        self.signer.for_profile(profile).sign(envelope)
        return "200 OK", etree.tostring(
            envelope, xml_declaration=True, encoding="UTF-8"
        )

    def _fault(self, faultcode, faultstring, code, unsigned=False):
        """A SOAP fault, signed like every answer (``unsigned``: as some
        proxies and misconfigured platforms send them)."""
        fault = etree.Element(f"{{{SOAP11}}}Fault")
        etree.SubElement(fault, "faultcode").text = faultcode
        etree.SubElement(fault, "faultstring").text = faultstring
        if code:
            detail = etree.SubElement(fault, "detail")
            detail.append(
                messages.fault_detail(
                    "",
                    "",
                    {
                        "code": code,
                        "literal": REQUEST_LITERALS.get(
                            code, HOLDER_LITERALS.get(code, faultstring)
                        ),
                    },
                )
            )
        envelope = soap_envelope(fault)
        if not unsigned:
            self.signer.sign(envelope)
        return "500 Internal Server Error", etree.tostring(
            envelope, xml_declaration=True, encoding="UTF-8"
        )


def _mismatch(content, what):
    """Make a signed answer disagree with its request, as a replayed or
    mixed-up answer would: another ``IdPeticion``, another service's
    ``CodigoCertificado``, another holder, or a transmission nobody asked
    for."""
    for node in content.iter():
        if not isinstance(node.tag, str):
            continue
        name = etree.QName(node).localname
        parent = (
            etree.QName(node.getparent()).localname
            if node.getparent() is not None
            else ""
        )
        if what == "id_peticion" and name == "IdPeticion" and parent == "Atributos":
            node.text = "REPLAYED" + (node.text or "")[8:]
        elif (
            what == "certificate"
            and name == "CodigoCertificado"
            and (parent == "Atributos")
        ):
            node.text = "SVDDGPCIWS02" if node.text != "SVDDGPCIWS02" else "NIVRENTI"
        elif what == "holder" and name == "Documentacion" and parent == "Titular":
            node.text = "00000000T"
        elif what == "solicitud" and name == "IdSolicitud":
            node.text = "UNASKED" + (node.text or "")


def _plain(start_response, status, text):
    start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
    return [f"{text}\n".encode()]


def _loopback(address):
    try:
        ip = ipaddress.ip_address((address or "").split("%")[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return (mapped or ip).is_loopback


def _billion_laughs():
    """Entities that expand to gigabytes if a parser substitutes them."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE Envelope [' + "".join(entities) + "]>"
        f'<soapenv:Envelope xmlns:soapenv="{SOAP11}"><soapenv:Body>'
        "<Respuesta>&lol9;</Respuesta></soapenv:Body></soapenv:Envelope>"
    ).encode()


def _deep_nesting(depth=100_000):
    """A Body nested far deeper than any SCSP message (and lxml's limit)."""
    return (
        f'<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="{SOAP11}">'
        "<soapenv:Body>" + "<a>" * depth + "</a>" * depth + "</soapenv:Body>"
        "</soapenv:Envelope>"
    ).encode()


HOSTILE_ANSWERS = {"entities": _billion_laughs, "depth": _deep_nesting}


# ---- serving -------------------------------------------------------------------------
def ensure_control_token(folder):
    """The control token kept next to the test PKI (``control-token``, only
    readable by its owner), generated the first time."""
    path = Path(folder) / CONTROL_TOKEN_FILE
    if not path.exists():
        # written aside, then linked in place: readers never see half a file
        draft = path.with_name(f".{CONTROL_TOKEN_FILE}-{secrets.token_hex(8)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_urlsafe(32) + "\n")
        try:
            os.link(draft, path)
        except FileExistsError:
            _logger.debug("Another simulator wrote %s first: theirs is used", path)
        finally:
            draft.unlink()
    return path.read_text().strip()


def from_pki(folder, registry, **kwargs):
    """A simulator signing with the test PKI of ``folder`` (see :mod:`.certs`)."""
    folder = Path(folder)
    return Simulator(
        registry,
        (folder / "simulator.key").read_bytes(),
        (folder / "simulator.pem").read_bytes(),
        (folder / "ca.pem").read_bytes(),
        **kwargs,
    )


def start(app, host="127.0.0.1", port=0):
    """Serve ``app`` in a background thread; returns the server (``.port``)."""
    from werkzeug.serving import WSGIRequestHandler, make_server  # noqa: PLC0415

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):
            pass

    server = make_server(host, port, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server
