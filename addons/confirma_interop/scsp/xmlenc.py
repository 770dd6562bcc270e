# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""XML Encryption of SCSP answers, as the TGSS sends them.

Some issuers encrypt what they answer to the requester's certificate (the
town hall's seal): the ``DatosEspecificos`` of a synchronous answer, the
``Transmisiones`` of an asynchronous one. The content of each element becomes
an ``xenc:EncryptedData`` (Type Content; AES-128/256 in CBC or GCM) under one
session key, and that key travels as an ``xenc:EncryptedKey`` (RSA 1.5 or
RSA-OAEP key transport) in the ``wsse:Security`` header, with a
``ReferenceList`` naming the encrypted parts. The answer is encrypted before
it is signed: its signature is verified first, then it is decrypted with the
seal's private key, then read.

A key given inside the ``EncryptedData``'s own ``KeyInfo`` (plain XML
Encryption) is read as well. Whatever cannot be decrypted raises
:class:`DecryptionError`: an answer never reads as empty because its content
stayed encrypted.
"""

import os
import uuid

import xmlsec
from lxml import etree

from .wssec import DS, SOAP11, WSSE, ensure_security

XENC = "http://www.w3.org/2001/04/xmlenc#"
CONTENT = f"{XENC}Content"
#: key transport algorithms (their XML Encryption names)
KEY_TRANSPORTS = {
    "rsa-1_5": xmlsec.Transform.RSA_PKCS1,
    "rsa-oaep": xmlsec.Transform.RSA_OAEP,
}
#: content ciphers: (transform, key bytes)
CIPHERS = {
    "aes128-cbc": (xmlsec.Transform.AES128, 16),
    "aes256-cbc": (xmlsec.Transform.AES256, 32),
    "aes128-gcm": (xmlsec.Transform.AES128_GCM, 16),
    "aes256-gcm": (xmlsec.Transform.AES256_GCM, 32),
}


class DecryptionError(Exception):
    """Part of the answer is encrypted and could not be decrypted."""


def encrypted_parts(node):
    """The ``xenc:EncryptedData`` elements under ``node``."""
    return list(node.iter(f"{{{XENC}}}EncryptedData"))


def encrypt_content(
    envelope, nodes, recipient_pem, key_transport="rsa-1_5", cipher="aes128-cbc"
):
    """Encrypt the content of each of ``nodes`` of ``envelope`` in place, to
    the certificate ``recipient_pem``, as the TGSS does: one session key,
    sent as an ``EncryptedKey`` in the ``wsse:Security`` header (created if
    needed) whose ``ReferenceList`` names every ``EncryptedData``. Sign the
    envelope afterwards."""
    if key_transport not in KEY_TRANSPORTS:
        raise ValueError(f"Unknown key transport {key_transport!r}")
    if cipher not in CIPHERS:
        raise ValueError(f"Unknown content cipher {cipher!r}")
    nodes = [node for node in nodes if len(node) or (node.text or "").strip()]
    if not nodes:
        return envelope
    transform, size = CIPHERS[cipher]
    session = os.urandom(size)
    key_id = f"EncKeyId-{uuid.uuid4()}"
    recipient = xmlsec.KeysManager()
    recipient.add_key(xmlsec.Key.from_memory(recipient_pem, xmlsec.KeyFormat.CERT_PEM))
    encrypted_key, data_ids = None, []
    for node in nodes:
        data_id = f"EncDataId-{uuid.uuid4()}"
        template = xmlsec.template.encrypted_data_create(
            envelope, transform, id=data_id, type=CONTENT, ns="xenc"
        )
        xmlsec.template.encrypted_data_ensure_cipher_value(template)
        key_info = xmlsec.template.encrypted_data_ensure_key_info(template, ns="ds")
        if encrypted_key is None:
            # the first part carries the session key, encrypted by xmlsec to
            # the recipient; it moves to the Security header below
            template_key = xmlsec.template.add_encrypted_key(
                key_info, KEY_TRANSPORTS[key_transport], id=key_id
            )
            xmlsec.template.encrypted_data_ensure_cipher_value(template_key)
            context = xmlsec.EncryptionContext(recipient)
        else:
            context = xmlsec.EncryptionContext()
        context.key = xmlsec.Key.from_binary_data(xmlsec.constants.KeyDataAes, session)
        encrypted = context.encrypt_xml(template, node)
        key_info = _child(encrypted, DS, "KeyInfo")
        if encrypted_key is None:
            encrypted_key = _child(key_info, XENC, "EncryptedKey")
            key_info.remove(encrypted_key)
        reference = etree.SubElement(key_info, f"{{{WSSE}}}SecurityTokenReference")
        etree.SubElement(reference, f"{{{WSSE}}}Reference", URI=f"#{key_id}")
        data_ids.append(data_id)
    references = etree.SubElement(encrypted_key, f"{{{XENC}}}ReferenceList")
    for data_id in data_ids:
        etree.SubElement(references, f"{{{XENC}}}DataReference", URI=f"#{data_id}")
    ensure_security(envelope).append(encrypted_key)
    return envelope


def _child(node, namespace, name):
    """A child by tag (elements xmlsec has just written included)."""
    tag = f"{{{namespace}}}{name}"
    return next(child for child in node if child.tag == tag)


def decrypt(envelope, key_pem):
    """Decrypt in place every ``EncryptedData`` of ``envelope``'s Body with
    the private key ``key_pem`` (PEM bytes; None: no key). Returns how many
    parts were decrypted; :class:`DecryptionError` if any stays encrypted."""
    soap = etree.QName(envelope).namespace or SOAP11
    body = envelope.find(f"{{{soap}}}Body")
    parts = encrypted_parts(body) if body is not None else []
    if not parts:
        return 0
    if not key_pem:
        raise DecryptionError("The answer is encrypted and no key was given.")
    private = xmlsec.Key.from_memory(key_pem, xmlsec.KeyFormat.PEM)
    sessions = {}  # EncryptedData Id (or the element) -> session key bytes
    for encrypted_key in envelope.iter(f"{{{XENC}}}EncryptedKey"):
        context = xmlsec.EncryptionContext()
        context.key = private
        try:
            session = context.decrypt(encrypted_key)
        except xmlsec.Error as error:
            raise DecryptionError(
                "The answer's key is not encrypted to this seal."
            ) from error
        names = [
            (reference.get("URI") or "").lstrip("#")
            for reference in encrypted_key.iter(f"{{{XENC}}}DataReference")
        ]
        for name in names:
            sessions[name] = session
        owner = _enclosing_encrypted_data(encrypted_key)
        if owner is not None:
            sessions[owner] = session
    decrypted = 0
    for part in parts:
        session = sessions.get(part) or sessions.get(part.get("Id") or "")
        if session is None:
            raise DecryptionError("No key of the answer opens one of its parts.")
        context = xmlsec.EncryptionContext()
        context.key = xmlsec.Key.from_binary_data(xmlsec.constants.KeyDataAes, session)
        try:
            context.decrypt(part)
        except xmlsec.Error as error:
            raise DecryptionError("Part of the answer could not be decrypted.") from (
                error
            )
        decrypted += 1
    if encrypted_parts(body):
        raise DecryptionError("Part of the answer is still encrypted.")
    return decrypted


def _enclosing_encrypted_data(node):
    for ancestor in node.iterancestors(f"{{{XENC}}}EncryptedData"):
        return ancestor
    return None
