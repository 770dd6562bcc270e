# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Seals with a timestamp from an RFC 3161 authority: a timestamp authority
of the test PKI, served over HTTP on a loopback port (pyHanko's own TSA
responder behind a plain HTTP server), as a town's TSA would answer."""

import asyncio
import datetime
import http.server
import threading

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from odoo.tests import tagged

from odoo.addons.confirma_interop.scsp import certs

from .. import seal
from .common import ConfirmaLegalCommon


def tsa_certificate(pki):
    """(key, certificate) of a timestamp authority issued by the test CA."""
    key = certs._key()
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CONFIRMA TEST TSA")])
        )
        .issuer_name(pki.ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=730))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
        .sign(pki.ca_key, hashes.SHA256())
    )
    return key, certificate


class TsaServer(http.server.ThreadingHTTPServer):
    def __init__(self, stamper):
        self.stamper = stamper
        self.requests = 0
        super().__init__(("127.0.0.1", 0), TsaHandler)


class TsaHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server's name
        from asn1crypto import tsp

        body = self.rfile.read(int(self.headers["Content-Length"]))
        request = tsp.TimeStampReq.load(body)
        response = asyncio.run(self.server.stamper.async_request_tsa_response(request))
        self.server.requests += 1
        data = response.dump()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_args):
        pass


@tagged("post_install", "-at_install")
class TestTimestamp(ConfirmaLegalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from pyhanko.keys import (
            load_certs_from_pemder_data,
            load_private_key_from_pemder_data,
        )
        from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

        key, certificate = tsa_certificate(cls.pki)
        stamper = DummyTimeStamper(
            tsa_cert=next(iter(load_certs_from_pemder_data(certs.pem(certificate)))),
            tsa_key=load_private_key_from_pemder_data(certs.key_pem(key), None),
        )
        cls.tsa = TsaServer(stamper)
        threading.Thread(target=cls.tsa.serve_forever, daemon=True).start()
        cls.addClassCleanup(cls.tsa.shutdown)

    def test_seal_carries_the_authority_timestamp(self):
        self.company.confirma_tsa_url = f"http://127.0.0.1:{self.tsa.server_port}/"
        self.confirm_at_counter()
        document = self.case._receipt_document()
        # pyHanko asks once for the size of a token, once for the real one
        self.assertGreaterEqual(self.tsa.requests, 1)
        verdict = seal.verify_pdf(document._pdf(), [self.ca_pem])
        self.assertTrue(verdict.valid, verdict.problem)
        self.assertTrue(verdict.timestamp)
        self.assertLess(
            abs((verdict.timestamp - verdict.signing_time).total_seconds()), 60
        )
