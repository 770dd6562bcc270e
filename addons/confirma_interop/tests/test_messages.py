# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import copy
import datetime

from lxml import etree

from odoo.tests import BaseCase, TransactionCase, tagged

from ..scsp import certs, explain, messages, services, simulator, xmlenc
from ..scsp.client import ScspClient, ScspError
from ..scsp.simulator import answers
from ..scsp.wssec import (
    DS,
    SOAP11,
    WS_SECURITY,
    WSSE,
    WSU,
    XML_SIGNATURE,
    SignatureError,
    Signer,
    Verifier,
    soap_envelope,
)
from .common import XSD

FOLDERS = {code: f"{code}v3" for code in services.SERVICES}
# the services whose official schemas are shipped beside the project; the
# others (SVDDGPCIWS02, SCDCPAJU, SCDHPAJU, SVDDGTVEHICULODATOSWS01) are
# checked by reading their answers back and against captured messages
WITH_SCHEMA = {
    "SVDDGPVIWS02",
    "SVDREXTFECHAWS01",
    "NIVRENTI",
    "ECOT103I",
    "Q2827003ATGSS001",
    "SVDSEPESITWS02",
    "SVDSCDDWS01",
    "SVDSCTFNWS01",
}
CONTEXT = {
    "today": datetime.date(2026, 6, 15),
    "year": 2025,
    "birthdate": datetime.date(1985, 3, 12),
    "sex": "F",
    "municipality": "46900",
    "region": "10",
    "threshold": 20000,
}


def specifics(envelope):
    """The DatosEspecificos elements of ``envelope``, whatever their
    namespace."""
    return [
        node
        for node in envelope.iter()
        if isinstance(node.tag, str)
        and etree.QName(node).localname == "DatosEspecificos"
    ]


def solicitud(service, number, document="12345678Z", kind="dni"):
    return messages.Solicitud(
        id_solicitud=f"CONFIRMA{number:018d}-0001",
        issuer_nif=service.issuer_nif,
        issuer_name=service.issuer_name,
        requester_nif="P4690000A",
        requester_name="Ajuntament de Vilademo",
        procedure_code="998877",
        procedure_name="Ajuda al lloguer",
        purpose="Comprobacion de requisitos: Ajuda al lloguer",
        consent="NoOpo",
        official_name="SECRETARIA MUNICIPAL",
        official_nif="00000000T",
        unit="Serveis socials",
        case="CAS/2026/000123",
        document_type=service.document_type(kind),
        document=document,
        first_name="María",
        surname1="García",
        surname2="López",
        specific=service.request(
            dict(
                CONTEXT,
                document_type=service.document_type(kind),
                document=document,
                subject="1234 BCD",
            )
        ),
    )


@tagged("post_install", "-at_install")
class TestMessages(BaseCase):
    """Messages against the official schemas; signatures with xmlsec."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        assert (
            XSD.is_dir()
        ), f"The official SCSP schemas are needed at {XSD} (set CONFIRMA_SCSP_XSD)."
        cls.schemas = {}
        cls.pki = certs.TestPki()

    def schema(self, code, name):
        key = (code, name)
        if key not in self.schemas:
            path = XSD / FOLDERS[code] / f"{name}.xsd"
            self.schemas[key] = etree.XMLSchema(etree.parse(str(path)))
        return self.schemas[key]

    def assertValid(self, code, name, element):
        schema = self.schema(code, name)
        # validated as sent: serialized and parsed again
        document = etree.fromstring(etree.tostring(element))
        self.assertTrue(schema.validate(document), f"{code} {name}: {schema.error_log}")

    def test_peticion_valid_for_every_service(self):
        """One builder, valid Peticion messages for the eight official schemas
        (DNI and NIE holders, two holders per request)."""
        self.assertLessEqual(WITH_SCHEMA, set(services.SERVICES))
        for code in sorted(WITH_SCHEMA):
            service = services.SERVICES[code]
            with self.subTest(code=code):
                element = messages.peticion(
                    code,
                    "CONFIRMA000000000000000001",
                    [solicitud(service, 1), solicitud(service, 2, "X1234567L", "nie")],
                )
                self.assertValid(code, "peticion", element)
                consent = element.find(f".//{{{messages.PETICION}}}Consentimiento")
                # NoOpo is not in the v3 schemas: sent as Ley
                self.assertEqual(consent.text, "Ley")

    def test_answers_valid_for_every_service(self):
        """The simulator's answers (data, holder errors, acknowledgements and
        polls) follow the official schemas too."""
        person = simulator.Person(
            document="12345678Z",
            first_name="MARIA",
            surname1="GARCIA",
            municipality_name="VILADEMO",
            residence_since=datetime.date(2019, 4, 12),
            income=18543.27,
            disability=45,
            large_family_until=datetime.date(2030, 1, 1),
            children=3,
        )
        for code in sorted(WITH_SCHEMA):
            service = services.SERVICES[code]
            with self.subTest(code=code):
                sol = solicitud(service, 1)
                generic = messages.datos_genericos(messages.PETICION, code, sol)
                echo = simulator.Simulator._echo(generic, 1)
                answer = simulator.Simulator._respuesta(
                    code,
                    "CONFIRMA000000000000000001",
                    [
                        (echo, answers.answer(service, person, CONTEXT), ""),
                        (
                            simulator.Simulator._echo(generic, 2),
                            answers.holder_error(
                                service, "0233", "TITULAR NO IDENTIFICADO", CONTEXT
                            ),
                            "0233",
                        ),
                    ],
                )
                self.assertValid(code, "respuesta", answer)
                read = messages.read(answer)
                self.assertEqual(read.code, "0003")
                first, second = (
                    service.reading(t.specific, CONTEXT) for t in read.transmissions
                )
                self.assertNotEqual(first.result, "unknown")
                self.assertEqual(second.result, "unknown")
                if not service.asynchronous:
                    continue
                self.assertValid(
                    code,
                    "confirmacion-peticion",
                    messages.confirmacion(
                        code,
                        "CONFIRMA000000000000000001",
                        2,
                        {"code": "0002", "ter": 0},
                    ),
                )
                self.assertValid(
                    code,
                    "solicitud-respuesta",
                    messages.solicitud_respuesta(code, "CONFIRMA000000000000000001", 2),
                )

    def test_readings(self):
        """Service answers become met / not met / unknown as documented."""
        person = simulator.Person(
            document="12345678Z", income=25000.5, disability=20, aeat_clear=False
        )
        income = services.SERVICES["NIVRENTI"]
        reading = income.reading(answers.answer(income, person, CONTEXT), CONTEXT)
        self.assertEqual(reading.result, "not_met")
        # why, never the amount (it stays in the raw answer)
        self.assertEqual(str(reading.note), "Income level above the threshold")
        person.income = 19999.99
        self.assertEqual(
            income.reading(answers.answer(income, person, CONTEXT), CONTEXT).result,
            "met",
        )
        disability = services.SERVICES["SVDSCDDWS01"]
        reading = disability.reading(
            answers.answer(disability, person, CONTEXT), dict(CONTEXT, threshold=33)
        )
        self.assertEqual(reading.result, "not_met")
        aeat = services.SERVICES["ECOT103I"]
        self.assertEqual(
            aeat.reading(answers.answer(aeat, person, CONTEXT), CONTEXT).result,
            "not_met",
        )
        residence = services.SERVICES["SVDREXTFECHAWS01"]
        person.municipality = "28079"
        self.assertEqual(
            residence.reading(
                answers.answer(residence, person, CONTEXT), CONTEXT
            ).result,
            "not_met",
        )

    def test_catalogue(self):
        """One module per service: its code, one answer kind each, a
        simulator answer for each, and a record shipped for each."""
        self.assertEqual(len(services.CATALOGUE), 12)
        kinds = {service.answer_kind for service in services.CATALOGUE}
        self.assertEqual(len(kinds), len(services.CATALOGUE))
        self.assertEqual(set(answers.MODULES), set(services.SERVICES))

    def test_new_services_read_their_answers(self):
        """Identity data, padrón residence and history, vehicle data: the
        simulator's answers read back as met / not met / unknown."""
        today = CONTEXT["today"]
        person = simulator.Person(
            document="12345678Z",
            first_name="MARIA",
            surname1="GARCIA",
            sex="F",
            birthdate=datetime.date(1985, 3, 12),
            document_expiry=datetime.date(2030, 1, 1),
            residence_since=datetime.date(2015, 6, 1),
            household_size=3,
        )

        def read(code, context=None, who=person):
            service = services.SERVICES[code]
            context = dict(
                CONTEXT,
                threshold=0,
                document_type="NIF",
                document=who.document,
                subject="1234-bcd",
            ) | (context or {})
            request = service.request(context)
            answer = answers.answer(service, who, context, request)
            # as sent: serialized and read again
            answer = etree.fromstring(etree.tostring(answer))
            return service.reading(answer, context)

        self.assertEqual(read("SVDDGPCIWS02").result, "met")
        person.document_expiry = today - datetime.timedelta(days=1)
        reading = read("SVDDGPCIWS02")
        self.assertEqual(reading.result, "not_met")
        self.assertEqual(str(reading.note), "Identity document expired")
        person.document_expiry = None  # a NIE never expires
        self.assertEqual(read("SVDDGPCIWS02").result, "met")

        self.assertEqual(read("SCDCPAJU").result, "met")
        self.assertEqual(read("SCDCPAJU", {"threshold": 3}).result, "met")
        self.assertEqual(read("SCDCPAJU", {"threshold": 4}).result, "not_met")
        # not in that padrón: nothing known, a document is asked for
        reading = read("SCDCPAJU", {"municipality": "28079"})
        self.assertEqual((reading.result, reading.holder_error), ("unknown", True))

        self.assertEqual(read("SCDHPAJU", {"threshold": 11}).result, "met")
        self.assertEqual(read("SCDHPAJU", {"threshold": 12}).result, "not_met")
        person.residence_until = datetime.date(2024, 1, 1)  # moved away
        self.assertEqual(read("SCDHPAJU", {"threshold": 1}).result, "not_met")

        vehicle = services.SERVICES["SVDDGTVEHICULODATOSWS01"]
        registered, gone = answers.MODULES[vehicle.code].vehicle("1234BCD")
        self.assertFalse(gone)
        age = services.base.years_between(registered, today)
        self.assertEqual(read(vehicle.code, {"threshold": age}).result, "met")
        self.assertEqual(read(vehicle.code, {"threshold": age + 1}).result, "not_met")
        # the plate is asked as the DGT writes it
        request = vehicle.request(dict(CONTEXT, subject=" 1234-bcd "))
        self.assertEqual(messages.text(request, "Consulta", "Matricula"), "1234BCD")
        for code in ("SVDDGPCIWS02", "SCDCPAJU", "SCDHPAJU", vehicle.code):
            with self.subTest(code=code):
                service = services.SERVICES[code]
                error = answers.holder_error(
                    service,
                    "0233",
                    "TITULAR NO IDENTIFICADO",
                    CONTEXT,
                    service.request(dict(CONTEXT, subject="1234BCD")),
                )
                reading = service.reading(
                    etree.fromstring(etree.tostring(error)), CONTEXT
                )
                self.assertEqual(
                    (reading.result, reading.holder_error), ("unknown", True)
                )

    def test_captured_answer_shapes(self):
        """Answers written the way production platforms write them (shapes
        of captured messages, names changed): prefixed and default
        namespaces, empty elements, dates in the padrón's format."""
        dgp = (
            '<ns1:DatosEspecificos xmlns:ns1="%s" xmlns="%s"><ns1:Retorno>'
            "<ns1:Estado><ns1:CodigoEstado>00</ns1:CodigoEstado>"
            "<ns1:LiteralError>INFORMACION CORRECTA</ns1:LiteralError></ns1:Estado>"
            "<ns1:DatosTitular><ns1:Nombre>LAIA</ns1:Nombre>"
            "<ns1:Apellido1>SERRA</ns1:Apellido1><ns1:Nacionalidad>ESPAÑA-ESP"
            "</ns1:Nacionalidad><ns1:Sexo>F</ns1:Sexo><ns1:DatosNacimiento>"
            "<ns1:Fecha>19800515</ns1:Fecha></ns1:DatosNacimiento>"
            "<ns1:FechaCaducidad>20380118</ns1:FechaCaducidad></ns1:DatosTitular>"
            "</ns1:Retorno></ns1:DatosEspecificos>"
        ) % (messages.DE, messages.RESPUESTA)
        padron = (
            '<DatosEspecificos xmlns="%s"><Estado><CodigoEstado>0003</CodigoEstado>'
            "<LiteralError>TRAMITADA</LiteralError></Estado><Solicitud>"
            "<ProvinciaSolicitud>07</ProvinciaSolicitud><MunicipioSolicitud>032"
            "</MunicipioSolicitud><Titular><Documentacion><Tipo>NIF</Tipo>"
            "<Valor>12345678Z</Valor></Documentacion></Titular></Solicitud>"
            "<Resultado><ClaveHojaPadronal><Distrito>03</Distrito><Seccion>002"
            "</Seccion><Hoja>0003708</Hoja></ClaveHojaPadronal><Domicilio><Via>"
            "<Codigo>00088</Codigo><Tipo>AV</Tipo><Nombre>MAJOR</Nombre></Via>"
            "<Numero><Calificador/><Valor>0044</Valor></Numero><Kmt/><Hmt/>"
            "<Planta>P03</Planta><CodPostal>07703</CodPostal></Domicilio><Personas>"
            "<Persona><Nombre>JORDI</Nombre><Particula1/><Apellido1>PONS</Apellido1>"
            "<FechaNacimiento>1991-04-23</FechaNacimiento><NIA>003200000078776</NIA>"
            "<PeriodoInscripcion><Desde>2023-11-24</Desde><MotivoInscripcion>"
            "<CodigoVariacion>A</CodigoVariacion><CausaVariacion>CR</CausaVariacion>"
            "<Descripcion>Alta por cambio de residencia</Descripcion>"
            "</MotivoInscripcion></PeriodoInscripcion></Persona><Persona><Nombre>"
            "LARA</Nombre><Apellido1>MAS</Apellido1><NIA>003200000078777</NIA>"
            "</Persona></Personas><FechaExpedicion>2024-02-01</FechaExpedicion>"
            "</Resultado></DatosEspecificos>"
        ) % messages.DE
        context = dict(CONTEXT, threshold=2)
        identity = services.SERVICES["SVDDGPCIWS02"]
        self.assertEqual(
            identity.reading(etree.fromstring(dgp.encode()), context).result, "met"
        )
        cohabitation = services.SERVICES["SCDCPAJU"]
        self.assertEqual(
            cohabitation.reading(etree.fromstring(padron.encode()), context).result,
            "met",
        )

    def test_unit_code_sent_where_the_schema_takes_it(self):
        """CodigoUnidadTramitadora: a valid DIR3 code, to the services whose
        schema knows it; never to the others (their schemas refuse it)."""
        for code, expected in (
            ("SVDDGPCIWS02", "L01469006"),
            ("SVDDGTVEHICULODATOSWS01", "L01469006"),
            ("SVDDGPVIWS02", None),
        ):
            with self.subTest(code=code):
                service = services.SERVICES[code]
                sol = solicitud(service, 1)
                sol.unit_code = "L01469006" if service.unit_code else ""
                generic = messages.datos_genericos(messages.PETICION, code, sol)
                node = generic.find(
                    f".//{{{messages.PETICION}}}CodigoUnidadTramitadora"
                )
                self.assertEqual(node.text if node is not None else None, expected)
        sol = solicitud(services.SERVICES["SVDDGPCIWS02"], 1)
        sol.unit_code = "Serveis socials"  # not a DIR3 code: not sent
        generic = messages.datos_genericos(messages.PETICION, "SVDDGPCIWS02", sol)
        self.assertIsNone(
            generic.find(f".//{{{messages.PETICION}}}CodigoUnidadTramitadora")
        )
        # the generic part with the unit code still follows the schema's order
        self.assertEqual(
            [
                etree.QName(n).localname
                for n in generic.find(f"{{{messages.PETICION}}}Solicitante")
            ][:3],
            ["IdentificadorSolicitante", "NombreSolicitante", "UnidadTramitadora"],
        )

    def test_default_namespace_requests_get_valid_answers(self):
        """A request written by another client, with the peticion namespace
        declared as the default on every element (as Java clients write
        them), gets answers that follow the official schema: signed,
        sent to the simulator over its WSGI entry, read back."""
        sim = self._simulator()
        sim.registry.add(
            simulator.Person(
                document="X1234567L", surname1="GARCIA", income=10000, disability=40
            )
        )
        signer = Signer(
            certs.key_pem(self.pki.requester_key), certs.pem(self.pki.requester)
        )
        for number, code in enumerate(sorted(WITH_SCHEMA), 40):
            service = services.SERVICES[code]
            with self.subTest(code=code):
                element = messages.peticion(
                    code,
                    f"CONFIRMA0000000000000000{number}",
                    [solicitud(service, number)],
                )
                xml = etree.tostring(element).decode()
                for tag in ("DatosGenericos", "Titular", "Transmision"):
                    xml = xml.replace(
                        f"<{tag}>", f'<{tag} xmlns="{messages.PETICION}">'
                    )
                envelope = signer.sign(soap_envelope(etree.fromstring(xml)))
                status, payload = sim.handle(
                    f"/servicios/SVD/{service.endpoint}", etree.tostring(envelope)
                )
                self.assertEqual(status, "200 OK", payload[:300])
                answer = etree.fromstring(payload)
                respuesta = answer.find(f".//{{{messages.RESPUESTA}}}Respuesta")
                self.assertValid(code, "respuesta", respuesta)

    def _envelope(self):
        service = services.SERVICES["SVDDGPVIWS02"]
        return soap_envelope(
            messages.peticion(
                service.code, "CONFIRMA000000000000000001", [solicitud(service, 1)]
            )
        )

    def _simulator(self):
        """An in-process simulator knowing one person (12345678Z)."""
        registry = simulator.Registry()
        registry.add(simulator.Person(document="12345678Z", surname1="GARCIA"))
        return simulator.Simulator(
            registry,
            certs.key_pem(self.pki.simulator_key),
            certs.pem(self.pki.simulator),
            certs.pem(self.pki.ca),
        )

    def _tgss_signer(self):
        """The simulator's seal signing as the TGSS does (RSA-SHA1, the
        Body through a plain Id)."""
        return Signer(
            certs.key_pem(self.pki.simulator_key),
            certs.pem(self.pki.simulator),
            "rsa-sha1",
            body_id="plain",
        )

    def test_signature_verifies_and_tampering_does_not(self):
        """A signed request verifies (exc-c14n, BinarySecurityToken, Body by
        wsu:Id); changing one character of the Body breaks it; a signature
        by a key the store does not trust is refused."""
        for algorithm in ("rsa-sha1", "rsa-sha256"):
            with self.subTest(algorithm=algorithm):
                signer = Signer(
                    certs.key_pem(self.pki.requester_key),
                    certs.pem(self.pki.requester),
                    algorithm,
                )
                verifier = Verifier(certs.pem(self.pki.ca))
                envelope = signer.sign(self._envelope())
                signed = etree.tostring(envelope)
                certificate = verifier.verify(etree.fromstring(signed))
                self.assertEqual(certificate, self.pki.requester)
                tampered = signed.replace(b"12345678Z", b"12345679S")
                with self.assertRaisesRegex(SignatureError, "does not match"):
                    verifier.verify(etree.fromstring(tampered))
        other = certs.TestPki()
        stranger = Signer(
            certs.key_pem(other.requester_key), certs.pem(other.requester)
        )
        with self.assertRaisesRegex(SignatureError, "not trusted"):
            Verifier(certs.pem(self.pki.ca)).verify(stranger.sign(self._envelope()))
        with self.assertRaisesRegex(SignatureError, "not signed"):
            Verifier(certs.pem(self.pki.ca)).verify(self._envelope())

    def test_signature_wrapping_refused(self):
        """A signature that does not reference the Body is refused."""
        signer = Signer(
            certs.key_pem(self.pki.requester_key), certs.pem(self.pki.requester)
        )
        envelope = signer.sign(self._envelope())
        body = envelope.find(f"{{{SOAP11}}}Body")
        body.set(
            "{http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd}Id",
            "other",
        )
        with self.assertRaisesRegex(SignatureError, "does not cover"):
            Verifier(certs.pem(self.pki.ca)).verify(envelope)

    def test_answer_timestamps_within_the_clock_skew(self):
        """An answer's signed wsu:Timestamp (a second reference beside the
        Body's) is accepted within the verifier's clock skew and refused
        out of it; once signed it cannot be changed; the client refuses an
        answer from a platform whose clock is an hour ahead."""
        now = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC)
        verifier = Verifier(certs.pem(self.pki.ca), skew=300)

        def signed(offset):
            signer = Signer(
                certs.key_pem(self.pki.simulator_key),
                certs.pem(self.pki.simulator),
                timestamp=300,
                clock=lambda: now + datetime.timedelta(seconds=offset),
            )
            return signer.sign(self._envelope())

        for offset in (0, 240, -400):
            with self.subTest(offset=offset):
                envelope = signed(offset)
                self.assertIsNotNone(envelope.find(f".//{{{WSU}}}Timestamp"))
                self.assertEqual(len(envelope.findall(f".//{{{DS}}}Reference")), 2)
                verifier.verify(envelope, now=now)
        for offset, error in ((400, "future"), (-1000, "expired")):
            with self.subTest(offset=offset):
                with self.assertRaisesRegex(SignatureError, error):
                    verifier.verify(signed(offset), now=now)
        # a wider skew accepts the same clocks
        Verifier(certs.pem(self.pki.ca), skew=1200).verify(signed(-1000), now=now)
        tampered = signed(0)
        expires = tampered.find(f".//{{{WSU}}}Expires")
        expires.text = "2099-01-01T00:00:00.000Z"
        with self.assertRaisesRegex(SignatureError, "does not match"):
            verifier.verify(tampered, now=now)
        sim = self._simulator()
        sim.signer.timestamp = 300
        sim.signer.clock = lambda: datetime.datetime.now(
            datetime.UTC
        ) + datetime.timedelta(hours=1)
        server = simulator.start(sim)
        self.addCleanup(server.shutdown)
        client = ScspClient(
            Signer(
                certs.key_pem(self.pki.requester_key), certs.pem(self.pki.requester)
            ),
            Verifier(certs.pem(self.pki.ca), skew=300),
            timeout=5,
        )
        service = services.SERVICES["SVDDGPVIWS02"]
        with self.assertRaises(ScspError):
            client.call(
                f"http://127.0.0.1:{server.port}/servicios/SVD/{service.endpoint}",
                "peticionSincrona",
                messages.peticion(
                    service.code, "CONFIRMA000000000000000031", [solicitud(service, 31)]
                ),
            )
        sim.signer.clock = None  # the right time: accepted
        exchange = client.call(
            f"http://127.0.0.1:{server.port}/servicios/SVD/{service.endpoint}",
            "peticionSincrona",
            messages.peticion(
                service.code, "CONFIRMA000000000000000032", [solicitud(service, 32)]
            ),
        )
        self.assertIn(b"Timestamp", exchange.response_xml)

    def test_body_signed_through_a_plain_id(self):
        """Some issuers (the TGSS) sign the Body through a plain ``Id``
        attribute: accepted, and still refused when tampered with, when the
        reference names another element, or when a second reference rides
        along (wrapping)."""
        signer = self._tgss_signer()
        verifier = Verifier(certs.pem(self.pki.ca))
        signed = etree.tostring(signer.sign(self._envelope()))
        envelope = etree.fromstring(signed)
        body = envelope.find(f"{{{SOAP11}}}Body")
        self.assertTrue(body.get("Id"))
        self.assertIsNone(body.get(f"{{{WSU}}}Id"))
        self.assertEqual(verifier.verify(envelope), self.pki.simulator)
        with self.assertRaisesRegex(SignatureError, "does not match"):
            verifier.verify(
                etree.fromstring(signed.replace(b"12345678Z", b"12345679S"))
            )
        # the reference must name the Body's own id
        moved = etree.fromstring(signed)
        moved_body = moved.find(f"{{{SOAP11}}}Body")
        decoy = etree.SubElement(moved.find(f"{{{SOAP11}}}Header"), "Decoy")
        decoy.set("Id", moved_body.get("Id"))
        moved_body.set("Id", "elsewhere")
        with self.assertRaisesRegex(SignatureError, "does not cover"):
            verifier.verify(moved)
        # one reference only
        doubled = etree.fromstring(signed)
        info = doubled.find(f".//{{{DS}}}SignedInfo")
        info.append(copy.deepcopy(info.find(f"{{{DS}}}Reference")))
        with self.assertRaisesRegex(SignatureError, "does not cover"):
            verifier.verify(doubled)
        with self.assertRaises(ValueError):
            Signer(
                certs.key_pem(self.pki.simulator_key),
                certs.pem(self.pki.simulator),
                body_id="xml:id",
            )

    def test_legacy_xml_signature_profile(self):
        """The legacy profile (SCDCPAJU, SCDHPAJU): ``ds:Signature`` directly
        in the Header, inclusive C14N, the certificate in ``X509Data``, the
        Body by its ``Id``. Signed and verified; tampering, another reference
        and an untrusted certificate are refused."""
        signer = Signer(
            certs.key_pem(self.pki.requester_key),
            certs.pem(self.pki.requester),
            "rsa-sha1",
            profile=XML_SIGNATURE,
        )
        verifier = Verifier(certs.pem(self.pki.ca))
        signed = etree.tostring(signer.sign(self._envelope()))
        envelope = etree.fromstring(signed)
        header = envelope.find(f"{{{SOAP11}}}Header")
        self.assertIsNone(header.find(f"{{{WSSE}}}Security"))
        signature = header.find(f"{{{DS}}}Signature")
        self.assertEqual(
            signature.find(f"{{{DS}}}SignedInfo/{{{DS}}}CanonicalizationMethod").get(
                "Algorithm"
            ),
            "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
        )
        self.assertTrue(signature.findtext(f".//{{{DS}}}X509Certificate"))
        self.assertEqual(envelope.find(f"{{{SOAP11}}}Body").get("Id"), "MsgBody")
        self.assertEqual(
            verifier.verify_profile(envelope), (self.pki.requester, XML_SIGNATURE)
        )
        with self.assertRaisesRegex(SignatureError, "does not match"):
            verifier.verify(
                etree.fromstring(signed.replace(b"12345678Z", b"12345679S"))
            )
        moved = etree.fromstring(signed)
        moved.find(f"{{{SOAP11}}}Body").set("Id", "elsewhere")
        with self.assertRaisesRegex(SignatureError, "does not cover"):
            verifier.verify(moved)
        other = certs.TestPki()
        stranger = Signer(
            certs.key_pem(other.requester_key),
            certs.pem(other.requester),
            profile=XML_SIGNATURE,
        )
        with self.assertRaisesRegex(SignatureError, "not trusted"):
            verifier.verify(stranger.sign(self._envelope()))
        # the same key in WS-Security still verifies, and says so
        self.assertEqual(
            verifier.verify_profile(
                signer.for_profile(WS_SECURITY).sign(self._envelope())
            )[1],
            WS_SECURITY,
        )

    def test_encrypted_answers(self):
        """An answer encrypted as the TGSS does (the DatosEspecificos content
        to the requester's certificate, the key in the Security header, then
        signed): every key transport and cipher verifies, decrypts with the
        seal's key to the very content, and nothing else opens it."""
        signer = self._tgss_signer()
        verifier = Verifier(certs.pem(self.pki.ca))
        requester_key = certs.key_pem(self.pki.requester_key)
        for transport in xmlenc.KEY_TRANSPORTS:
            for cipher in xmlenc.CIPHERS:
                with self.subTest(transport=transport, cipher=cipher):
                    envelope = self._envelope()
                    (specific,) = specifics(envelope)
                    before = etree.tostring(specific)
                    xmlenc.encrypt_content(
                        envelope,
                        [specific],
                        certs.pem(self.pki.requester),
                        transport,
                        cipher,
                    )
                    signed = etree.tostring(signer.sign(envelope))
                    self.assertIn(b"EncryptedKey", signed.split(b"<soapenv:Body")[0])
                    received = etree.fromstring(signed)
                    verifier.verify(received)
                    self.assertEqual(len(xmlenc.encrypted_parts(received)), 1)
                    self.assertEqual(xmlenc.decrypt(received, requester_key), 1)
                    self.assertFalse(xmlenc.encrypted_parts(received))
                    (after,) = specifics(received)
                    self.assertEqual(
                        etree.tostring(after, method="c14n"),
                        etree.tostring(etree.fromstring(before), method="c14n"),
                    )
        # another key, or none: an explicit error, never an empty answer
        envelope = self._envelope()
        xmlenc.encrypt_content(
            envelope,
            specifics(envelope),
            certs.pem(self.pki.requester),
        )
        other = certs.TestPki()
        with self.assertRaisesRegex(
            xmlenc.DecryptionError, "not encrypted to this seal"
        ):
            xmlenc.decrypt(copy.deepcopy(envelope), certs.key_pem(other.requester_key))
        with self.assertRaisesRegex(xmlenc.DecryptionError, "no key"):
            xmlenc.decrypt(copy.deepcopy(envelope), None)
        self.assertEqual(xmlenc.decrypt(self._envelope(), None), 0)

    def test_explain_messages(self):
        """``explain`` (``./confirma interop inspect``) reads what the client
        reads: an encrypted answer in the legacy profile, decrypted with the
        seal's key, down to each transmission's outcome; a signed fault; an
        unsigned message; something that is not SOAP."""
        sim = self._simulator()
        sim.profiles["SVDDGPVIWS02"] = XML_SIGNATURE
        sim.encryption["SVDDGPVIWS02"] = ("rsa-1_5", "aes128-cbc")
        signer = Signer(
            certs.key_pem(self.pki.requester_key), certs.pem(self.pki.requester)
        )
        request = etree.tostring(signer.sign(self._envelope()))
        status, answer = sim.handle("/servicios/SVD/S2816015H.SVDDGPVIWS02", request)
        self.assertTrue(status.startswith("200"), answer)
        trusted = certs.pem(self.pki.ca)
        key = certs.key_pem(self.pki.requester_key)
        explained = explain.explain(answer, trusted, key_pem=key)
        self.assertEqual(explained["kind"], "respuesta")
        self.assertEqual(explained["signature"]["profile"], "xml-signature")
        self.assertTrue(explained["signature"]["valid"])
        self.assertTrue(explained["signature"]["trusted"])
        self.assertEqual((explained["encrypted"], explained["decrypted"]), (True, True))
        self.assertEqual(
            [(t["holder"], t["outcome"]) for t in explained["transmissions"]],
            [("12345678Z", "met")],
        )
        # without the key: said so, and no transmission read from it
        locked = explain.explain(answer, trusted)
        self.assertEqual((locked["encrypted"], locked["decrypted"]), (True, False))
        self.assertEqual(locked["transmissions"], [])
        # a signed fault: its status
        sim.faults.update({"request_code": "0314"})
        _status, fault = sim.handle("/servicios/SVD/S2816015H.SVDDGPVIWS02", request)
        explained = explain.explain(fault, trusted)
        self.assertEqual(explained["kind"], "fault")
        self.assertEqual(explained["estado"]["codigo"], "0314")
        self.assertTrue(explained["signature"]["trusted"])
        unsigned = explain.explain(etree.tostring(self._envelope()), trusted)
        self.assertEqual(unsigned["signature"]["profile"], "none")
        self.assertIsNone(unsigned["signature"]["valid"])
        self.assertEqual(unsigned["kind"], "peticion")
        with self.assertRaises(explain.UnreadableMessage):
            explain.explain(b"<html>proxy error</html>")

    def test_client_against_simulator(self):
        """The client and the simulator over HTTP: sync, async, unsigned request."""
        sim = self._simulator()
        server = simulator.start(sim)
        self.addCleanup(server.shutdown)
        url = f"http://127.0.0.1:{server.port}/servicios/SVD/S2816015H.SVDDGPVIWS02"
        client = ScspClient(
            Signer(
                certs.key_pem(self.pki.requester_key), certs.pem(self.pki.requester)
            ),
            Verifier(certs.pem(self.pki.ca)),
            timeout=5,
        )
        service = services.SERVICES["SVDDGPVIWS02"]
        exchange = client.call(
            url,
            "peticionSincrona",
            messages.peticion(
                service.code, "CONFIRMA000000000000000011", [solicitud(service, 11)]
            ),
        )
        self.assertIn(b"BinarySecurityToken", exchange.request_xml)
        answer = messages.read(exchange.root)
        self.assertEqual((answer.kind, answer.code), ("respuesta", "0003"))
        self.assertEqual(
            service.reading(answer.transmissions[0].specific, CONTEXT).result, "met"
        )
        # two holders need the asynchronous mode
        with self.assertRaises(ScspError) as caught:
            client.call(
                url,
                "peticionSincrona",
                messages.peticion(
                    service.code,
                    "CONFIRMA000000000000000012",
                    [solicitud(service, 12), solicitud(service, 13)],
                ),
            )
        self.assertEqual(caught.exception.code, "0415")
        # an unsigned request is refused with 0305
        unsigned = ScspClient(
            type(
                "NoSignature",
                (),
                {
                    "sign": lambda self, e: e,
                    "for_profile": lambda self, profile: self,
                },
            )(),
            Verifier(certs.pem(self.pki.ca)),
            timeout=5,
        )
        with self.assertRaises(ScspError) as caught:
            unsigned.call(
                url,
                "peticionSincrona",
                messages.peticion(
                    service.code, "CONFIRMA000000000000000014", [solicitud(service, 14)]
                ),
            )
        self.assertEqual(caught.exception.code, "0305")


@tagged("post_install", "-at_install")
class TestShippedServices(TransactionCase):
    def test_a_record_per_catalogue_service(self):
        """The default platform ships one service record per catalogue
        entry, with the catalogue's answer kind, profile and mode."""
        shipped = self.env["confirma.interop.service"].search(
            [("platform_id", "=", self.env.ref("confirma_interop.platform_default").id)]
        )
        self.assertEqual(set(shipped.mapped("code")), set(services.SERVICES))
        for record in shipped:
            definition = services.SERVICES[record.code]
            self.assertEqual(record.answer_kind, definition.answer_kind)
            self.assertEqual(record.security_profile, definition.profile)
            self.assertEqual(record.async_supported, definition.asynchronous)
