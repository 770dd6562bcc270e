# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SCSP client and simulator against hostile or forged answers and
requests: faults verified before they are believed, the platform's
certificate pinned, lxml's limits kept, the simulator's own limits."""

import http.client
import io
import json
import os
import stat
import tempfile
from pathlib import Path

from lxml import etree

from odoo.tests import BaseCase, tagged

from ..scsp import certs, client, messages, services, simulator
from ..scsp.client import ScspClient, ScspError
from ..scsp.wssec import (
    NAME_ALIASES,
    Signer,
    Verifier,
    key_fingerprint,
    subject_key,
)
from .test_messages import solicitud

TOKEN = "control-token-for-tests"
DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def dni(number):
    return f"{number:08d}{DNI_LETTERS[number % 23]}"


def wsgi(app, method, path, body=b"", length="auto", remote="127.0.0.1", **headers):
    """Call the simulator's WSGI application: (status code, body bytes)."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "REMOTE_ADDR": remote,
        "wsgi.input": body if hasattr(body, "read") else io.BytesIO(body),
    }
    if length == "auto":
        length = str(len(body))
    if length is not None:
        environ["CONTENT_LENGTH"] = length
    for name, value in headers.items():
        environ[f"HTTP_{name.upper()}"] = value
    seen = {}

    def start_response(status, _headers):
        seen["status"] = int(status.split()[0])

    payload = b"".join(app(environ, start_response))
    return seen["status"], payload


def _refuse(*args):
    raise AssertionError("the simulator read a body it should refuse")


class Unread:
    """A request body that must not be read."""

    read = staticmethod(_refuse)


@tagged("post_install", "-at_install")
class TestProtocol(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pki = certs.TestPki()
        cls.people = simulator.Registry()
        cls.people.add(simulator.Person(document="12345678Z", surname1="GARCIA"))
        cls.sim = cls.make_simulator(
            certs.key_pem(cls.pki.simulator_key), cls.pki.simulator
        )
        cls.server = simulator.start(cls.sim)
        cls.addClassCleanup(cls.server.shutdown)
        cls.base = f"http://127.0.0.1:{cls.server.port}"
        cls.url = f"{cls.base}/servicios/SVD/S2816015H.SVDDGPVIWS02"
        cls.service = services.SERVICES["SVDDGPVIWS02"]
        cls.number = 0

    @classmethod
    def make_simulator(cls, key_pem, certificate, ca=None):
        return simulator.Simulator(
            cls.people,
            key_pem,
            certs.pem(certificate),
            certs.pem(ca or cls.pki.ca),
            control_token=TOKEN,
        )

    def setUp(self):
        super().setUp()
        self.sim.faults = simulator.Faults()
        self.sim.requests = 0

    def client(self, subjects=None, key_sha256=None):
        """A client trusting the test authority, pinned (by default) to the
        simulator's certificate, subject and public key."""
        if subjects is None:
            subjects = [self.pki.simulator.subject.rfc4514_string(NAME_ALIASES)]
        if key_sha256 is None:
            key_sha256 = [key_fingerprint(self.pki.simulator)]
        return ScspClient(
            Signer(
                certs.key_pem(self.pki.requester_key), certs.pem(self.pki.requester)
            ),
            Verifier(certs.pem(self.pki.ca), subjects, key_sha256),
            timeout=10,
        )

    def peticion(self, count=1, code="SVDDGPVIWS02", documents=None):
        service = services.SERVICES[code]
        type(self).number += 1
        id_peticion = f"CONFIRMAPROTO{self.number:013d}"
        documents = documents or ["12345678Z"] * count
        return messages.peticion(
            code,
            id_peticion,
            [
                solicitud(service, self.number * 10000 + n, document)
                for n, document in enumerate(documents, 1)
            ],
        )

    def call(self, scsp_client=None, url=None):
        """A synchronous Peticion of one holder."""
        return (scsp_client or self.client()).call(
            url or self.url, "peticionSincrona", self.peticion()
        )

    # ---- SOAP faults ----------------------------------------------------------------
    def test_faults_are_verified_before_they_are_believed(self):
        """A fault is believed only once its signature is verified: an
        unsigned one claiming a holder error (0233) or an authorisation
        error (0301) is a protocol error, 0305; signed, it says what it says."""
        for switches in (
            {"request_code": "0233"},
            {"request_code": "0301"},
            {"soap_fault": True},
        ):
            with self.subTest(**switches):
                self.sim.faults = simulator.Faults()
                self.sim.faults.update(dict(switches, unsigned_faults=True))
                with self.assertRaises(ScspError) as caught:
                    self.call()
                self.assertEqual(caught.exception.code, "0305")
                self.assertIn("not signed", caught.exception.detail)
                # the raw answer is kept for the audit all the same
                self.assertIn(b"Fault", caught.exception.exchange.response_xml)
        # signed by the platform (as real platforms do): taken as it comes
        self.sim.faults = simulator.Faults()
        self.sim.faults.update({"request_code": "0301"})
        with self.assertRaises(ScspError) as caught:
            self.call()
        self.assertEqual(caught.exception.code, "0301")

    def test_fault_signed_by_a_stranger_is_refused(self):
        """A fault signed by a key nobody trusts is a protocol error too."""
        stranger = certs.TestPki()
        forger = simulator.Simulator(
            self.people,
            certs.key_pem(stranger.simulator_key),
            certs.pem(stranger.simulator),
            certs.pem(self.pki.ca),
        )
        forger.faults.update({"request_code": "0233"})
        server = simulator.start(forger)
        self.addCleanup(server.shutdown)
        url = f"http://127.0.0.1:{server.port}/servicios/SVD/S2816015H.SVDDGPVIWS02"
        with self.assertRaises(ScspError) as caught:
            self.call(url=url)
        self.assertEqual(caught.exception.code, "0305")
        self.assertIn("not trusted", caught.exception.detail)

    # ---- the platform's certificate, pinned ----------------------------------------
    def test_other_certificate_of_the_same_authority_refused(self):
        """The test authority issues a second seal: trusted by the store,
        its answers (and faults) are refused by a client pinned to the
        platform's subject and public key."""
        key, other = self.pki.issue("OTRO ORGANISMO - MISMA AC", "S1111111A")
        impostor = self.make_simulator(certs.key_pem(key), other)
        server = simulator.start(impostor)
        self.addCleanup(server.shutdown)
        url = f"http://127.0.0.1:{server.port}/servicios/SVD/S2816015H.SVDDGPVIWS02"
        # the authority alone does not tell them apart
        unpinned = self.client(subjects=[], key_sha256=[])
        self.assertEqual(messages.read(self.call(unpinned, url).root).code, "0003")
        for pins in (
            {},
            {"key_sha256": []},  # subject pinned only
            {"subjects": []},  # public key pinned only
        ):
            with self.subTest(**{k: "none" for k in pins}):
                with self.assertRaises(ScspError) as caught:
                    self.call(self.client(**pins), url)
                self.assertEqual(caught.exception.code, "0305")
                self.assertIn("pinned", caught.exception.detail)
        impostor.faults.update({"request_code": "0233"})
        with self.assertRaises(ScspError) as caught:
            self.call(url=url)
        self.assertEqual(caught.exception.code, "0305")
        # the platform itself still gets through
        self.assertEqual(messages.read(self.call().root).code, "0003")

    def test_same_subject_other_key_refused_by_key_pin(self):
        """A certificate with the platform's very subject but another key
        passes a subject pin; the public key pin stops it."""
        key, twin = self.pki.issue(
            "PLATAFORMA DE INTERMEDIACION - SIMULADOR", "S0000000Z"
        )
        self.assertEqual(twin.subject, self.pki.simulator.subject)
        twin_sim = self.make_simulator(certs.key_pem(key), twin)
        server = simulator.start(twin_sim)
        self.addCleanup(server.shutdown)
        url = f"http://127.0.0.1:{server.port}/servicios/SVD/S2816015H.SVDDGPVIWS02"
        subject_only = self.client(key_sha256=[])
        self.assertEqual(messages.read(self.call(subject_only, url).root).code, "0003")
        with self.assertRaises(ScspError) as caught:
            self.call(url=url)
        self.assertEqual(caught.exception.code, "0305")
        self.assertIn(key_fingerprint(twin), caught.exception.detail)

    def test_subject_formats(self):
        """The pinned subject may be pasted as RFC 4514 or as OpenSSL shows it."""
        expected = subject_key(self.pki.simulator.subject)
        for text in (
            self.pki.simulator.subject.rfc4514_string(NAME_ALIASES),
            "C = ES, O = CONFIRMA PRUEBAS, serialNumber = S0000000Z, "
            "CN = PLATAFORMA DE INTERMEDIACION - SIMULADOR",
            "/C=ES/O=CONFIRMA PRUEBAS/serialNumber=S0000000Z"
            "/CN=Plataforma de Intermediacion - Simulador",
            "CN=PLATAFORMA DE INTERMEDIACION - SIMULADOR,2.5.4.5=S0000000Z,"
            "O=CONFIRMA PRUEBAS,C=ES",
        ):
            with self.subTest(text=text):
                self.assertEqual(subject_key(text), expected)
        self.assertNotEqual(
            subject_key("CN=PLATAFORMA DE INTERMEDIACION - SIMULADOR,C=ES"), expected
        )
        for junk in ("", "PLATAFORMA", "XX=1,CN=A"):
            with self.subTest(junk=junk), self.assertRaises(ValueError):
                subject_key(junk)

    # ---- XML limits -----------------------------------------------------------------
    def test_hostile_answers_are_protocol_errors(self):
        """Billion laughs (a DTD with nested entities) and a Body nested
        100,000 deep: refused as not valid XML (0103), nothing expanded."""
        for hostile in ("entities", "depth"):
            with self.subTest(hostile=hostile):
                self.sim.faults = simulator.Faults()
                self.sim.faults.update({"hostile": hostile})
                with self.assertRaises(ScspError) as caught:
                    self.call()
                self.assertEqual(caught.exception.code, "0103")
                self.assertIsNone(caught.exception.exchange.root)

    def test_parser_per_thread(self):
        """Each thread reads with its own parser (one lxml parser shared by
        the simulator's threads read sound requests as malformed XML now
        and then: 0401), the same one on every call, each as strict."""
        import concurrent.futures  # noqa: PLC0415

        entity = b'<!DOCTYPE a [<!ENTITY x "secret">]><a>&x;</a>'

        def read(_number):
            parser = messages.parser()
            self.assertIs(messages.parser(), parser)
            return parser, etree.fromstring(entity, parser).text

        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            read_in_threads = list(pool.map(read, range(8)))
        parsers = {id(parser) for parser, _text in read_in_threads}
        self.assertNotIn(id(messages.parser()), parsers)
        self.assertLessEqual(len(parsers), 4)
        # no entity expanded by any of them
        self.assertEqual({text for _parser, text in read_in_threads}, {None})

    def test_parser_keeps_lxml_limits(self):
        """The answers' parser keeps lxml's default limits (no huge_tree):
        1,000 levels deep or an attribute value over 10 MB are refused; a
        document type (entities) is refused before anything else."""
        soap = f'<e:Envelope xmlns:e="{client.SOAP11}"><e:Body>%s</e:Body></e:Envelope>'
        deep = soap % ("<a>" * 1000 + "</a>" * 1000)
        with self.assertRaises(etree.XMLSyntaxError):
            etree.fromstring(deep.encode(), messages.parser())
        huge = soap % ('<a b="' + "x" * 11_000_000 + '"/>')
        with self.assertRaises(etree.XMLSyntaxError):
            etree.fromstring(huge.encode(), messages.parser())
        for answer in (
            deep,
            '<!DOCTYPE e:Envelope [<!ENTITY a "secret">]>' + soap % "<a>&a;</a>",
        ):
            exchange = client.Exchange(b"")
            exchange.status, exchange.response_xml = 200, answer.encode()
            with self.assertRaises(ScspError) as caught:
                ScspClient._parse(exchange)
            self.assertEqual(caught.exception.code, "0103")

    def test_asynchronous_answer_of_1000_holders(self):
        """A legitimate asynchronous answer of 1,000 holders (the batch the
        benchmark sends) stays well within lxml's default limits: sent,
        polled, parsed and verified."""
        documents = [dni(20_000_000 + n) for n in range(1000)]
        for document in documents:
            self.people.add(simulator.Person(document=document, surname1="GARCIA"))
        self.addCleanup(lambda: [self.people.pop(d) for d in documents])
        url = f"{self.base}/servicios/SVD/Q2826039F.SVDREXTFECHAWS01.Asincrona"
        element = self.peticion(code="SVDREXTFECHAWS01", documents=documents)
        scsp = self.client()
        sent = scsp.call(url, "peticionAsincrona", element)
        self.assertEqual(messages.read(sent.root).code, "0002")
        id_peticion = messages.read(sent.root).id_peticion
        answer = scsp.call(
            url,
            "solicitudRespuesta",
            messages.solicitud_respuesta("SVDREXTFECHAWS01", id_peticion, 1000),
        )
        read = messages.read(answer.root)
        self.assertEqual(read.code, "0003")
        self.assertEqual(len(read.transmissions), 1000)
        # about 1.5 MB: far from a limit (no text node over 10 MB, depth < 20)
        self.assertGreater(len(answer.response_xml), 1_000_000)
        self.assertLess(len(answer.response_xml), 10_000_000)

    # ---- the simulator's own limits --------------------------------------------------
    def test_simulator_body_limits(self):
        path = "/servicios/SVD/S2816015H.SVDDGPVIWS02"
        self.assertEqual(wsgi(self.sim, "POST", path, length=None)[0], 411)
        for length in ("abc", "-5", "1e3"):
            with self.subTest(length=length):
                self.assertEqual(wsgi(self.sim, "POST", path, length=length)[0], 400)
        too_big = str(simulator.MAX_BODY + 1)
        status, _body = wsgi(self.sim, "POST", path, Unread(), length=too_big)
        self.assertEqual(status, 413)
        # over HTTP: refused before the body is sent
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, 10)
        self.addCleanup(connection.close)
        connection.putrequest("POST", path)
        connection.putheader("Content-Length", str(20 * 1024 * 1024))
        connection.putheader("Connection", "close")
        connection.endheaders()
        self.assertEqual(connection.getresponse().status, 413)
        self.assertEqual(self.sim.requests, 0)

    def test_control_endpoint(self):
        """/_control: loopback only; GET shows the switches (no secret),
        POST needs the control token and takes valid switches only."""
        status, body = wsgi(self.sim, "GET", "/_control")
        self.assertEqual(status, 200)
        state = json.loads(body)
        self.assertEqual(state["request_code"], "")
        self.assertNotIn(TOKEN, body.decode())
        change = json.dumps({"request_code": "0301"}).encode()
        for remote in ("10.1.2.3", "192.168.1.10", "::ffff:10.0.0.1"):
            with self.subTest(remote=remote):
                status, _body = wsgi(self.sim, "GET", "/_control", remote=remote)
                self.assertEqual(status, 403)
                status, _body = wsgi(
                    self.sim, "POST", "/_control", change, remote=remote,
                    x_control_token=TOKEN,
                )  # fmt: skip
                self.assertEqual(status, 403)
        self.assertEqual(wsgi(self.sim, "POST", "/_control", change)[0], 403)
        status, _body = wsgi(
            self.sim, "POST", "/_control", change, x_control_token="wrong"
        )
        self.assertEqual(status, 403)
        self.assertEqual(self.sim.faults.request_code, "")
        for bad in ({"request_code": "0301", "timeout": "long"}, {"nope": 1}, [1]):
            with self.subTest(bad=bad):
                status, _body = wsgi(
                    self.sim, "POST", "/_control", json.dumps(bad).encode(),
                    x_control_token=TOKEN,
                )  # fmt: skip
                self.assertEqual(status, 400)
                # all or nothing
                self.assertEqual(self.sim.faults.request_code, "")
        status, body = wsgi(
            self.sim, "POST", "/_control", change, x_control_token=TOKEN
        )
        self.assertEqual((status, json.loads(body)["request_code"]), (200, "0301"))
        # over HTTP from this machine
        request = http.client.HTTPConnection("127.0.0.1", self.server.port, 10)
        self.addCleanup(request.close)
        request.request(
            "POST", "/_control", json.dumps({"request_code": ""}),
            {"X-Control-Token": TOKEN, "Content-Type": "application/json"},
        )  # fmt: skip
        self.assertEqual(request.getresponse().status, 200)
        self.assertEqual(self.sim.faults.request_code, "")
        # a simulator started without a token takes switches in code only
        closed = simulator.Simulator(
            self.people,
            certs.key_pem(self.pki.simulator_key),
            certs.pem(self.pki.simulator),
            certs.pem(self.pki.ca),
        )
        self.assertEqual(wsgi(closed, "GET", "/_control")[0], 200)
        status, _body = wsgi(closed, "POST", "/_control", change, x_control_token="")
        self.assertEqual(status, 403)

    def test_control_token_file(self):
        """Generated once next to the test PKI, readable by its owner only."""
        with tempfile.TemporaryDirectory() as folder:
            token = simulator.ensure_control_token(folder)
            path = Path(folder) / simulator.CONTROL_TOKEN_FILE
            self.assertGreaterEqual(len(token), 40)
            self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
            self.assertEqual(simulator.ensure_control_token(folder), token)
            self.assertEqual(sorted(os.listdir(folder)), [path.name])
