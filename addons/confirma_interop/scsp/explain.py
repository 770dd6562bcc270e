# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One SCSP message, explained: ``./confirma interop inspect``.

Operators debugging a real connection read one captured message (a
Peticion, Respuesta, ConfirmacionPeticion, SolicitudRespuesta or SOAP fault)
through the same code the client uses: the signature is checked in either
profile (is it intact? is its signer trusted, on a given day, since captured
certificates expire?), the encrypted parts are decrypted when the seal's key
is given, and the answer is read as the client would read it, down to each
transmission's outcome. The result is one JSON-ready dict.
"""

import datetime

from cryptography import x509
from lxml import etree

from . import messages, services, xmlenc
from .client import fault_status
from .messages import parser
from .wssec import (
    SOAP11,
    SignatureError,
    Verifier,
    carried_certificate,
    verify_intact,
)

KINDS = {
    "Peticion": "peticion",
    "Respuesta": "respuesta",
    "ConfirmacionPeticion": "confirmacion",
    "SolicitudRespuesta": "solicitud_respuesta",
    "Fault": "fault",
}


class UnreadableMessage(Exception):
    """Not a SOAP message this command can read."""


def explain(data, trusted_pem=b"", at=None, key_pem=None):
    """The explanation of the message ``data`` (bytes): see the module.
    ``trusted_pem``: certificates to trust; ``at``: the day to judge the
    certificates' validity on (default: now); ``key_pem``: the seal's private
    key, to decrypt. :class:`UnreadableMessage` if it is not a SOAP message."""
    try:
        envelope = etree.fromstring(data, parser())
    except (etree.XMLSyntaxError, ValueError) as error:
        raise UnreadableMessage(f"Not XML: {error}") from error
    if envelope.getroottree().docinfo.doctype or (
        etree.QName(envelope).localname != "Envelope"
    ):
        raise UnreadableMessage("Not a SOAP envelope.")
    soap = etree.QName(envelope).namespace or SOAP11
    body = envelope.find(f"{{{soap}}}Body")
    if body is None or not len(body):
        raise UnreadableMessage("The SOAP envelope has no body.")
    moment = _moment(at)
    signature = _signature(envelope, trusted_pem, moment)
    encrypted = bool(xmlenc.encrypted_parts(body))
    decrypted = False
    if encrypted and key_pem:
        try:
            decrypted = bool(xmlenc.decrypt(envelope, key_pem))
        except xmlenc.DecryptionError as error:
            signature.setdefault("notes", []).append(str(error))
    root = body[0]
    kind = KINDS.get(etree.QName(root).localname, etree.QName(root).localname)
    result = {
        "kind": kind,
        "service": "",
        "id_peticion": "",
        "signature": {key: value for key, value in signature.items() if key != "notes"},
        "encrypted": encrypted,
        "decrypted": decrypted,
        "estado": None,
        "transmissions": [],
    }
    if signature.get("notes"):
        result["notes"] = signature["notes"]
    if kind == "fault":
        code, literal = fault_status(root)
        result["estado"] = {"codigo": code, "literal": literal}
        result["id_peticion"] = _first_text(root, "IdPeticion")
        result["service"] = _first_text(root, "CodigoCertificado")
        return result
    atributos = messages._child(root, "Atributos")
    result["service"] = messages.text(atributos, "CodigoCertificado")
    result["id_peticion"] = messages.text(atributos, "IdPeticion")
    code = messages.text(atributos, "Estado", "CodigoEstado")
    if code:
        result["estado"] = {
            "codigo": code,
            "literal": messages.text(atributos, "Estado", "LiteralError"),
        }
    if kind == "peticion":
        result["transmissions"] = _requested(root)
    elif kind == "respuesta" and not (encrypted and not decrypted):
        result["transmissions"] = _answered(root, result["service"], moment)
    return result


def _moment(at):
    if at is None:
        return datetime.datetime.now(datetime.UTC)
    if isinstance(at, datetime.datetime):
        return at if at.tzinfo else at.replace(tzinfo=datetime.UTC)
    return datetime.datetime.combine(at, datetime.time(12), tzinfo=datetime.UTC)


def _signature(envelope, trusted_pem, moment):
    certificate, profile = carried_certificate(envelope)
    signature = {
        "profile": profile,
        "valid": None,
        "trusted": False,
        "signer": "",
        "error": None,
    }
    if profile == "none":
        signature["error"] = "The message is not signed."
        return signature
    if certificate is None:
        signature["valid"] = False
        signature["error"] = "The signing certificate is missing."
        return signature
    names = certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    signature["signer"] = (
        names[0].value if names else certificate.subject.rfc4514_string()
    )
    # intact? (whoever signed it)
    try:
        verify_intact(envelope)
        signature["valid"] = True
    except SignatureError as error:
        signature["valid"] = False
        signature["error"] = str(error)
        return signature
    # trusted? the client's own check, on the day asked
    if not trusted_pem:
        signature["error"] = "No trusted certificate was given."
        return signature
    try:
        Verifier(trusted_pem).verify(envelope, now=moment)
        signature["trusted"] = True
    except SignatureError as error:
        signature["error"] = str(error)
    return signature


def _first_text(node, name):
    for element in node.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname == name:
            return (element.text or "").strip()
    return ""


def _requested(root):
    found = []
    for item in root.iter():
        if not isinstance(item.tag, str):
            continue
        if etree.QName(item).localname != "SolicitudTransmision":
            continue
        generic = messages._child(item, "DatosGenericos")
        found.append(
            {
                "id": messages.text(generic, "Transmision", "IdSolicitud"),
                "holder": messages.text(generic, "Titular", "Documentacion"),
                "estado": None,
                "outcome": None,
            }
        )
    return found


def _answered(root, service_code, moment):
    answer = messages.read(root)
    definition = services.SERVICES.get(service_code)
    today = moment.date()
    context = {"today": today, "year": today.year - 1, "threshold": 0}
    found = []
    for transmission in answer.transmissions:
        outcome = code = None
        if definition is not None and transmission.specific is not None:
            try:
                reading = definition.reading(transmission.specific, context)
                outcome, code = reading.result, reading.code
            except (ValueError, TypeError, AttributeError):
                outcome = None
        found.append(
            {
                "id": transmission.id_transmision or transmission.id_solicitud,
                "holder": transmission.document,
                "estado": code,
                "outcome": outcome,
            }
        )
    return found
