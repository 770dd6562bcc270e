# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Secure verification codes and PAdES seals, as plain Python.

A *Código Seguro de Verificación* (CSV, Ley 39/2015 art. 27.3.a, Ley 40/2015
art. 42.b) identifies one document and lets anyone fetch the original from
the town hall's sede. It must be unguessable: 26 characters of an alphabet
of 32 carry 130 random bits.

>>> code = new_csv()
>>> len(code), CSV_BITS
(26, 130)
>>> set(code) <= set(ALPHABET)
True
>>> format_csv("ABCDEFGHJKLMNPQRSTUVWXYZ23")
'ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2-3'

What a person types is read back leniently (case, spaces and dashes do not
matter); anything else is no code at all:

>>> normalize_csv(" abcde-fghjk lmnpq-rstuv-wxyz2-3 ")
'ABCDEFGHJKLMNPQRSTUVWXYZ23'
>>> normalize_csv("too short") is None
True
>>> normalize_csv("ABCDEFGHJKLMNPQRSTUVWXYZ2I") is None
True

The seal is a PAdES signature (``ETSI.CAdES.detached``) made with the town
hall's seal certificate, see ``seal_pdf``; ``verify_pdf`` explains one.
"""

import functools
import hashlib
import io
import logging
import secrets
from dataclasses import dataclass

#: Crockford-like base 32: no I, O (confused with 1, 0), digits 2-9.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CSV_LENGTH = 26
CSV_BITS = CSV_LENGTH * 5


def new_csv():
    """A new code: 26 characters drawn by the system's secure generator."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CSV_LENGTH))


def format_csv(code):
    """The code as printed: groups of five, easier to read out and type."""
    return "-".join(code[i : i + 5] for i in range(0, len(code), 5))


def normalize_csv(text):
    """The code ``text`` spells (as ``new_csv`` made it), or None."""
    code = "".join((text or "").split()).replace("-", "").upper()
    if len(code) != CSV_LENGTH or not set(code) <= set(ALPHABET):
        return None
    return code


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def subject_label(cert_pem):
    """How a seal's certificate is named to people: its common name, and its
    holder's tax number (``serialNumber`` or ``organizationIdentifier``)."""
    from cryptography import x509  # noqa: PLC0415
    from cryptography.x509.oid import NameOID  # noqa: PLC0415

    subject = x509.load_pem_x509_certificate(cert_pem).subject

    def first(oid):
        values = subject.get_attributes_for_oid(oid)
        return values[0].value if values else ""

    name = first(NameOID.COMMON_NAME) or subject.rfc4514_string()
    number = first(NameOID.SERIAL_NUMBER) or first(
        x509.ObjectIdentifier("2.5.4.97")  # organizationIdentifier
    )
    return f"{name} ({number})" if number else name


def _signer(key_pem, cert_pem, chain_pems):
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415
    from pyhanko.keys import (  # noqa: PLC0415
        load_certs_from_pemder_data,
        load_private_key_from_pemder_data,
    )
    from pyhanko_certvalidator.registry import SimpleCertificateStore  # noqa: PLC0415

    certificate = next(iter(load_certs_from_pemder_data(cert_pem)))
    chain = [c for pem in chain_pems for c in load_certs_from_pemder_data(pem)]
    signing_key = load_private_key_from_pemder_data(key_pem, None)
    return _key_signer_class()(
        signing_cert=certificate,
        signing_key=signing_key,
        cert_registry=SimpleCertificateStore.from_certs([certificate, *chain]),
        private_key=serialization.load_der_private_key(
            signing_key.dump(), password=None
        ),
    )


@functools.cache
def _key_signer_class():
    from cryptography.hazmat.primitives.asymmetric.padding import (  # noqa: PLC0415
        PKCS1v15,
    )
    from pyhanko.sign import signers  # noqa: PLC0415
    from pyhanko.sign.general import get_pyca_cryptography_hash  # noqa: PLC0415

    class KeySigner(signers.SimpleSigner):
        """pyHanko's signer with its key read once: pyHanko reads it again
        at every signature (twice a seal, with the size estimate), and
        reading an RSA key checks it, which takes longer than the signing."""

        def __init__(self, *args, private_key, **kwargs):
            super().__init__(*args, **kwargs)
            self.private_key = private_key

        def sign_raw(self, data, digest_algorithm):
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            if mechanism.signature_algo != "rsassa_pkcs1v15":
                return super().sign_raw(data, digest_algorithm)
            return self.private_key.sign(
                data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm)
            )

    return KeySigner


class Sealer:
    """A seal certificate ready to seal many PDFs (a campaign's letters):
    its key and certificates are read once, and the room the signature
    takes in the PDF is estimated once (pyHanko makes a trial signature for
    it each time), from the first seal, with pyHanko's own margin."""

    def __init__(self, key_pem, cert_pem, chain_pems=(), timestamp_url=None):
        self.signer = _signer(key_pem, cert_pem, chain_pems)
        self.timestamp_url = timestamp_url
        self.bytes_reserved = None

    def seal(self, pdf, reason=None, location=None, field_name="Seal"):
        """``pdf`` (bytes) sealed as PAdES baseline: the signing time is in
        the signature, and a timestamp token from the sealer's
        ``timestamp_url`` (an RFC 3161 authority) when it has one.
        ``reason`` and ``location`` are printed by PDF readers; Confirm@
        puts the CSV in the reason."""
        from pyhanko.pdf_utils.incremental_writer import (  # noqa: PLC0415
            IncrementalPdfFileWriter,
        )
        from pyhanko.sign import fields, signers, timestamps  # noqa: PLC0415

        metadata = signers.PdfSignatureMetadata(
            field_name=field_name,
            reason=reason,
            location=location,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
        )
        timestamper = (
            timestamps.HTTPTimeStamper(self.timestamp_url)
            if self.timestamp_url
            else None
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        out = signers.sign_pdf(
            writer,
            metadata,
            signer=self.signer,
            timestamper=timestamper,
            bytes_reserved=self.bytes_reserved,
        ).getvalue()
        if self.bytes_reserved is None:
            from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: PLC0415

            size = len(
                PdfFileReader(io.BytesIO(out)).embedded_signatures[-1].pkcs7_content
            )
            self.bytes_reserved = 2 * ((size + 2 * (size // 4)) // 2 + 1)
        return out


def seal_pdf(pdf, key_pem, cert_pem, chain_pems=(), reason=None, location=None,
             timestamp_url=None, field_name="Seal"):  # fmt: skip
    """``pdf`` sealed with this key and certificate (see ``Sealer.seal``)."""
    return Sealer(key_pem, cert_pem, chain_pems, timestamp_url).seal(
        pdf, reason=reason, location=location, field_name=field_name
    )


@dataclass
class Verdict:
    """What ``verify_pdf`` found in a PDF's first seal."""

    sealed: bool
    intact: bool = False
    trusted: bool = False
    whole_file: bool = False
    signer: str = ""
    signing_time: object = None
    timestamp: object = None
    reason: str = ""
    problem: str = ""

    @property
    def valid(self):
        """Unchanged since it was sealed, by a trusted seal."""
        return self.sealed and self.intact and self.trusted and self.whole_file


def verify_pdf(pdf, trust_pems=()):
    """The ``Verdict`` of ``pdf``'s seal, judged against the trusted
    certificates ``trust_pems`` (PEM bytes: the seal's authority)."""
    from pyhanko.keys import load_certs_from_pemder_data  # noqa: PLC0415
    from pyhanko.pdf_utils.misc import PdfReadError  # noqa: PLC0415
    from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: PLC0415
    from pyhanko.sign.validation import validate_pdf_signature  # noqa: PLC0415
    from pyhanko.sign.validation.settings import KeyUsageConstraints  # noqa: PLC0415
    from pyhanko_certvalidator import ValidationContext  # noqa: PLC0415

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError) as error:
        return Verdict(sealed=False, problem=f"not a readable PDF ({error})")
    if not signatures:
        return Verdict(sealed=False, problem="the PDF carries no seal")
    signature = signatures[0]
    roots = [c for pem in trust_pems for c in load_certs_from_pemder_data(pem)]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    # RFC 5280: a certificate without the key usage extension may sign; one
    # with it must allow signatures (digital signature or non-repudiation)
    usages = (
        {"digital_signature", "non_repudiation"}
        if signature.signer_cert.key_usage_value is not None
        else set()
    )
    quiet = logging.getLogger("pyhanko")
    level = quiet.level
    # pyHanko logs each failed check with its traceback: the verdict says it
    quiet.setLevel(logging.CRITICAL)
    try:
        status = validate_pdf_signature(
            signature,
            context,
            key_usage_settings=KeyUsageConstraints(key_usage=usages),
        )
    except Exception as error:  # noqa: BLE001 - any failure is "not valid"
        return Verdict(sealed=True, problem=str(error))
    finally:
        quiet.setLevel(level)
    from pyhanko.sign.validation.status import (  # noqa: PLC0415
        SignatureCoverageLevel,
    )

    timestamp = status.timestamp_validity
    return Verdict(
        sealed=True,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer=status.signing_cert.subject.human_friendly,
        signing_time=status.signer_reported_dt,
        timestamp=timestamp.timestamp if timestamp else None,
        reason=str(signature.sig_object.get("/Reason", "")),
        problem=""
        if status.trusted
        else "the seal's certificate is not one of the trusted ones",
    )
