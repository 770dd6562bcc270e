# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Building and reading SCSP v3 messages (lxml), one code path for every
service: what differs per service lives in :mod:`.services`.

The generic part follows the common denominator of the official schemas:
element order as declared (every ``xs:all`` accepts it, every
``xs:sequence`` needs it), no empty elements, no ``Titular/NombreCompleto``
(the DGP schema forbids it), ``Consentimiento`` ``Si`` or ``Ley`` only,
``IdExpediente`` at most 25 characters, time stamps with milliseconds
(29 characters).
"""

import copy
import datetime
import threading
from dataclasses import dataclass, field

from lxml import etree

from odoo.addons.confirma_citizen.padron import identity

_parsers = threading.local()


def parser():
    """The parser of every message read (answers, requests to the
    simulator, inspected files), one per thread: an lxml parser must not be
    shared between threads (the simulator, answering on several, read a
    sound request now and then as malformed XML). lxml's default limits
    stay (no huge_tree: depth 256, names and attribute values 10 MB, entity
    amplification); no entity is expanded, no DTD or anything else is
    fetched (and a document type is refused by who reads an envelope)."""
    current = getattr(_parsers, "parser", None)
    if current is None:
        current = _parsers.parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
        )
    return current


V3 = "http://intermediacion.redsara.es/scsp/esquemas/V3/"
PETICION = V3 + "peticion"
RESPUESTA = V3 + "respuesta"
CONFIRMACION = V3 + "confirmacionPeticion"
SOLICITUD_RESPUESTA = V3 + "solicitudRespuesta"
FAULT_ATTRIBUTES = V3 + "soapfaultatributos"
DE = "http://intermediacion.redsara.es/scsp/esquemas/datosespecificos"


def timestamp(moment=None):
    """``2026-03-14T10:15:30.123+01:00``: ISO with milliseconds and offset."""
    moment = moment or datetime.datetime.now(datetime.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.isoformat(timespec="milliseconds")


def _clean(value, size=None):
    text = " ".join(str(value).split()) if value not in (None, False) else ""
    return text[:size] if size else text


def element(namespace, tag, text=None, *children, size=None):
    node = etree.Element(f"{{{namespace}}}{tag}")
    if text is not None:
        node.text = _clean(text, size)
    for child in children:
        if child is not None:
            node.append(child)
    return node


def _optional(namespace, tag, text, size=None):
    """The element, or None when the value is empty (no empty elements)."""
    text = _clean(text, size)
    return element(namespace, tag, text) if text else None


@dataclass
class Solicitud:
    """One holder asked about in one Peticion (a SolicitudTransmision)."""

    id_solicitud: str
    issuer_nif: str
    issuer_name: str
    requester_nif: str
    requester_name: str
    procedure_code: str
    procedure_name: str
    purpose: str
    consent: str
    official_name: str
    official_nif: str
    document_type: str
    document: str
    unit: str = ""
    # the unit's DIR3 code: sent to the services whose schema knows
    # CodigoUnidadTramitadora (see services.Service.unit_code), when valid
    unit_code: str = ""
    case: str = ""
    first_name: str = ""
    surname1: str = ""
    surname2: str = ""
    specific: etree._Element | None = None
    extra: dict = field(default_factory=dict)


def _atributos(namespace, id_peticion, count, code, moment=None, state=None):
    atributos = element(
        namespace,
        "Atributos",
        None,
        element(namespace, "IdPeticion", id_peticion),
        element(namespace, "NumElementos", str(count)),
        element(namespace, "TimeStamp", timestamp(moment)),
    )
    if state:
        estado = element(namespace, "Estado")
        for tag, value, size in (
            ("CodigoEstado", state.get("code"), 4),
            ("CodigoEstadoSecundario", state.get("secondary"), 16),
            ("LiteralError", state.get("literal"), 255),
            ("TiempoEstimadoRespuesta", state.get("ter"), None),
        ):
            if value not in (None, ""):
                estado.append(element(namespace, tag, str(value), size=size))
        atributos.append(estado)
    atributos.append(element(namespace, "CodigoCertificado", code))
    return atributos


def datos_genericos(
    namespace, code, solicitud, id_transmision=None, moment=None, cache=None
):
    """The DatosGenericos of ``solicitud``. ``cache``: a dict shared by the
    holders of one message, whose Emisor and Solicitante (the same for all
    but the case number) are then built once and copied."""
    s = solicitud
    titular = element(
        namespace,
        "Titular",
        None,
        element(namespace, "TipoDocumentacion", s.document_type),
        element(namespace, "Documentacion", s.document, size=14),
        _optional(namespace, "Nombre", s.first_name, 40),
        _optional(namespace, "Apellido1", s.surname1, 40),
        _optional(namespace, "Apellido2", s.surname2, 40),
    )
    transmision = element(
        namespace,
        "Transmision",
        None,
        element(namespace, "CodigoCertificado", code),
        element(namespace, "IdSolicitud", s.id_solicitud, size=40),
    )
    if id_transmision:
        transmision.append(element(namespace, "IdTransmision", id_transmision, size=29))
    transmision.append(element(namespace, "FechaGeneracion", timestamp(moment)))
    key = (
        namespace,
        s.issuer_nif,
        s.issuer_name,
        s.requester_nif,
        s.requester_name,
        s.unit,
        s.unit_code,
        s.procedure_code,
        s.procedure_name,
        s.purpose,
        s.consent,
        s.official_name,
        s.official_nif,
    )
    if cache is None or key not in cache:
        parts = _emisor_solicitante(namespace, s)
        if cache is not None:
            cache[key] = parts
    else:
        parts = cache[key]
    emisor, solicitante = (copy.deepcopy(part) for part in parts)
    expediente = _optional(namespace, "IdExpediente", s.case, 25)
    if expediente is not None:
        solicitante.append(expediente)
    return element(
        namespace, "DatosGenericos", None, emisor, solicitante, titular, transmision
    )


def _emisor_solicitante(namespace, s):
    """The Emisor and the Solicitante (without IdExpediente, its last
    element) of a holder's DatosGenericos."""
    consent = s.consent if s.consent in ("Si", "Ley") else "Ley"
    emisor = element(
        namespace,
        "Emisor",
        None,
        element(namespace, "NifEmisor", s.issuer_nif),
        element(namespace, "NombreEmisor", s.issuer_name, size=50),
    )
    solicitante = element(
        namespace,
        "Solicitante",
        None,
        element(namespace, "IdentificadorSolicitante", s.requester_nif),
        element(namespace, "NombreSolicitante", s.requester_name, size=50),
        _optional(namespace, "UnidadTramitadora", s.unit, 250),
        _optional(namespace, "CodigoUnidadTramitadora", identity.dir3(s.unit_code)),
        element(
            namespace,
            "Procedimiento",
            None,
            element(namespace, "CodProcedimiento", s.procedure_code, size=20),
            element(namespace, "NombreProcedimiento", s.procedure_name, size=100),
        ),
        element(namespace, "Finalidad", s.purpose, size=250),
        element(namespace, "Consentimiento", consent),
        element(
            namespace,
            "Funcionario",
            None,
            element(namespace, "NombreCompletoFuncionario", s.official_name, size=122),
            element(namespace, "NifFuncionario", s.official_nif),
        ),
    )
    return emisor, solicitante


def peticion(code, id_peticion, solicitudes, moment=None):
    """The ``Peticion`` of ``solicitudes`` (a list of :class:`Solicitud`)."""
    solicitudes_node = element(PETICION, "Solicitudes")
    cache = {}
    moment = moment or datetime.datetime.now(datetime.UTC)
    for solicitud in solicitudes:
        node = element(
            PETICION,
            "SolicitudTransmision",
            None,
            datos_genericos(PETICION, code, solicitud, moment=moment, cache=cache),
        )
        if solicitud.specific is not None:
            node.append(solicitud.specific)
        solicitudes_node.append(node)
    root = etree.Element(f"{{{PETICION}}}Peticion", nsmap={None: PETICION, "de": DE})
    root.append(_atributos(PETICION, id_peticion, len(solicitudes), code, moment))
    root.append(solicitudes_node)
    return root


def solicitud_respuesta(code, id_peticion, count, moment=None):
    root = etree.Element(
        f"{{{SOLICITUD_RESPUESTA}}}SolicitudRespuesta",
        nsmap={None: SOLICITUD_RESPUESTA},
    )
    root.append(_atributos(SOLICITUD_RESPUESTA, id_peticion, count, code, moment))
    return root


def confirmacion(code, id_peticion, count, state, moment=None):
    root = etree.Element(
        f"{{{CONFIRMACION}}}ConfirmacionPeticion", nsmap={None: CONFIRMACION}
    )
    root.append(_atributos(CONFIRMACION, id_peticion, count, code, moment, state))
    return root


def respuesta(code, id_peticion, state, transmissions=(), moment=None):
    """A ``Respuesta``; ``transmissions`` are (Solicitud, IdTransmision,
    DatosEspecificos element) triples."""
    root = etree.Element(f"{{{RESPUESTA}}}Respuesta", nsmap={None: RESPUESTA, "de": DE})
    transmissions = list(transmissions)
    root.append(
        _atributos(
            RESPUESTA, id_peticion, max(len(transmissions), 1), code, moment, state
        )
    )
    if transmissions:
        node = element(RESPUESTA, "Transmisiones")
        for solicitud, id_transmision, specific in transmissions:
            node.append(
                element(
                    RESPUESTA,
                    "TransmisionDatos",
                    None,
                    datos_genericos(RESPUESTA, code, solicitud, id_transmision, moment),
                    specific,
                )
            )
        root.append(node)
    return root


def fault_detail(code, id_peticion, state):
    """The SOAP fault detail of the SCSP platforms (``soapfaultatributos``)."""
    root = etree.Element(
        f"{{{FAULT_ATTRIBUTES}}}Atributos", nsmap={None: FAULT_ATTRIBUTES}
    )
    for tag, value in (("IdPeticion", id_peticion), ("NumElementos", "0")):
        root.append(element(FAULT_ATTRIBUTES, tag, value))
    root.append(element(FAULT_ATTRIBUTES, "TimeStamp", timestamp()))
    estado = element(FAULT_ATTRIBUTES, "Estado")
    estado.append(element(FAULT_ATTRIBUTES, "CodigoEstado", state["code"]))
    estado.append(element(FAULT_ATTRIBUTES, "LiteralError", state["literal"]))
    root.append(estado)
    root.append(element(FAULT_ATTRIBUTES, "CodigoCertificado", code))
    return root


# ---- reading ---------------------------------------------------------------------
@dataclass
class Transmission:
    id_solicitud: str
    id_transmision: str
    document: str
    specific: etree._Element | None


@dataclass
class Answer:
    """What came back: a ``Respuesta`` or a ``ConfirmacionPeticion``."""

    kind: str  # "respuesta" | "confirmacion" | other root name
    id_peticion: str
    certificate: str  # the service's CodigoCertificado
    code: str
    literal: str
    ter: int
    transmissions: list


def _local(node):
    return etree.QName(node).localname


def _child(node, name):
    """The first child element called ``name``, whatever its namespace."""
    if node is None:
        return None
    return node.find(f"{{*}}{name}")


def _path(node, *names):
    for name in names:
        node = _child(node, name)
    return node


def text(node, *names):
    node = _path(node, *names)
    return (node.text or "").strip() if node is not None else ""


def read(root):
    """An :class:`Answer` from the root element of an answer's Body."""
    name = _local(root)
    atributos = _child(root, "Atributos")
    try:
        ter = int(text(atributos, "Estado", "TiempoEstimadoRespuesta") or 0)
    except ValueError:
        ter = 0
    transmissions = []
    node = _child(root, "Transmisiones")
    for item in node.iterfind("{*}TransmisionDatos") if node is not None else ():
        generic = _child(item, "DatosGenericos")
        transmissions.append(
            Transmission(
                id_solicitud=text(generic, "Transmision", "IdSolicitud"),
                id_transmision=text(generic, "Transmision", "IdTransmision"),
                document=text(generic, "Titular", "Documentacion"),
                specific=_child(item, "DatosEspecificos"),
            )
        )
    return Answer(
        kind={"Respuesta": "respuesta", "ConfirmacionPeticion": "confirmacion"}.get(
            name, name
        ),
        id_peticion=text(atributos, "IdPeticion"),
        certificate=text(atributos, "CodigoCertificado"),
        code=text(atributos, "Estado", "CodigoEstado"),
        literal=text(atributos, "Estado", "LiteralError"),
        ter=ter,
        transmissions=transmissions,
    )
