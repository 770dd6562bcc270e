# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A test PKI for the SCSP simulator, generated on the machine (never committed).

A test certification authority issues two certificates: the requester's
electronic seal (the town hall: its NIF in the subject's serial number, the
seal policy OID of the Spanish administration) and the simulator's platform
seal. Files under one folder:

- ``ca.pem``: the authority (both sides trust it);
- ``requester.p12``: the town hall's key and seal (PKCS#12, with a password);
- ``simulator.pem`` / ``simulator.key``: the simulator's seal and key.
"""

import datetime
import hashlib
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

# Sello electrónico de Administración, nivel medio
SEAL_POLICY = "2.16.724.1.3.5.6.2"
TEST_PASSWORD = "confirma-test"  # noqa: S105 - a throwaway test PKI


def _name(common_name, organisation, serial=None):
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ES"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
    ]
    if serial:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _issue(subject, key, issuer, issuer_key, ca=False, days=3650, now=None):
    now = now or datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        # valid from two years back: tests may run on a frozen, earlier date
        .not_valid_before(now - datetime.timedelta(days=730))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    # what the certificate may do: an authority signs certificates; a seal
    # signs (SOAP messages, PDFs: digital signature and non-repudiation, as
    # the qualified seals of Spanish administrations) and receives encrypted
    # answers (key encipherment)
    builder = builder.add_extension(
        x509.KeyUsage(
            digital_signature=not ca,
            content_commitment=not ca,
            key_encipherment=not ca,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=ca,
            crl_sign=ca,
            encipher_only=False,
            decipher_only=False,
        ),
        critical=True,
    )
    if not ca:
        builder = builder.add_extension(
            x509.CertificatePolicies(
                [x509.PolicyInformation(x509.ObjectIdentifier(SEAL_POLICY), None)]
            ),
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256())


def pem(certificate):
    return certificate.public_bytes(serialization.Encoding.PEM)


def key_pem(key):
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


class TestPki:
    """The three certificates and two keys, in memory."""

    def __init__(self, requester_nif="P4600000J", requester_name="AJUNTAMENT"):
        self.ca_key = _key()
        ca_name = _name("CONFIRMA TEST CA - NO VALIDA", "CONFIRMA PRUEBAS")
        self.ca = _issue(ca_name, self.ca_key, ca_name, self.ca_key, ca=True)
        self.requester_key = _key()
        self.requester = _issue(
            _name(
                f"SELLO DE PRUEBAS {requester_name}"[:64],
                requester_name[:64],
                requester_nif,
            ),
            self.requester_key,
            ca_name,
            self.ca_key,
        )
        self.simulator_key = _key()
        self.simulator = _issue(
            _name(
                "PLATAFORMA DE INTERMEDIACION - SIMULADOR",
                "CONFIRMA PRUEBAS",
                "S0000000Z",
            ),
            self.simulator_key,
            ca_name,
            self.ca_key,
        )

    def issue(self, common_name, serial="S0000000Z", organisation="CONFIRMA PRUEBAS"):
        """Another seal issued by the test authority: (key, certificate), e.g.
        someone else's, trusted like the simulator's but not the platform."""
        key = _key()
        certificate = _issue(
            _name(common_name, organisation, serial), key, self.ca.subject, self.ca_key
        )
        return key, certificate

    def requester_p12(self, password=TEST_PASSWORD):
        return pkcs12.serialize_key_and_certificates(
            b"requester",
            self.requester_key,
            self.requester,
            [self.ca],
            serialization.BestAvailableEncryption(password.encode()),
        )

    def save(self, folder, password=TEST_PASSWORD):
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        files = {
            "ca.pem": pem(self.ca),
            "requester.p12": self.requester_p12(password),
            "simulator.pem": pem(self.simulator),
            "simulator.key": key_pem(self.simulator_key),
        }
        for name, content in files.items():
            path = folder / name
            path.write_bytes(content)
            if name.endswith((".key", ".p12")):
                os.chmod(path, 0o600)
        return folder


def ensure_test_pki(folder, requester_nif="P4600000J", requester_name="AJUNTAMENT"):
    """The test PKI in ``folder``, generated the first time."""
    folder = Path(folder)
    if not all(
        (folder / name).exists()
        for name in ("ca.pem", "requester.p12", "simulator.pem", "simulator.key")
    ):
        TestPki(requester_nif, requester_name).save(folder)
    return folder


#: Seals opened in this process: (file digest, password digest) -> PEMs.
_P12_OPENED = {}
_P12_OPENED_MAX = 8


def load_p12(data, password):
    """(key PEM, certificate PEM, chain PEMs) of a PKCS#12 file's bytes.

    Opening a PKCS#12 file derives its key from the password (tens of
    milliseconds, by design): what it holds is kept for the process, by
    digest of the file and of the password, for the few seals a server uses."""
    digest = (
        hashlib.sha256(data).digest(),
        hashlib.sha256((password or "").encode()).digest(),
    )
    opened = _P12_OPENED.get(digest)
    if opened is None:
        key, certificate, chain = pkcs12.load_key_and_certificates(
            data, password.encode() if password else None
        )
        if key is None or certificate is None:
            raise ValueError("The PKCS#12 file holds no key and certificate.")
        opened = (key_pem(key), pem(certificate), tuple(pem(c) for c in chain or []))
        if len(_P12_OPENED) >= _P12_OPENED_MAX:
            _P12_OPENED.pop(next(iter(_P12_OPENED)), None)
        _P12_OPENED[digest] = opened
    return opened[0], opened[1], list(opened[2])
