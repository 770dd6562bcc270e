# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SCSP services Confirm@ knows: what each asks and how its answer reads.

For each certificate code: the issuing body, the document types its schema
accepts, the request's DatosEspecificos (``request(context)``), the
simulator's answer for a person (``answer(person, context)``) and the
reading of an answer into a requirement result (``read(specific, context)``
returns a :class:`Reading`). The element shapes follow the official schemas
(checked by the tests against ``scsp/xsd``).

A reading says met / not met / unknown, the service's code and why in fixed,
translated words: never the data's values (income, degree, address, dates)
nor the data holder's free text, which stay in the raw messages only (the
auditors').
"""

import datetime
from dataclasses import dataclass

from odoo.tools.translate import LazyTranslate

from . import codes, messages
from .messages import DE, text

_lt = LazyTranslate(__name__)
MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"


@dataclass
class Reading:
    result: str  # met / not_met / unknown
    code: str  # the service's own status code, for the audit
    note: str  # why, in fixed translated words: no value of the data
    holder_error: bool = False  # 0231/0233/0238-like: nothing known of the holder


def de(tag, value=None, *children):
    return messages.element(DE, tag, value, *children)


def _date(value, fmt):
    return value.strftime(fmt) if value else None


def _parse_date(value, fmt):
    try:
        return datetime.datetime.strptime(value, fmt).date()
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Service:
    code: str
    issuer_nif: str
    issuer_name: str
    name: str
    endpoint: str
    answer_kind: str
    asynchronous: bool
    document_types: dict  # holder's document kind (dni/nie/passport) -> value

    def document_type(self, kind):
        return self.document_types.get(kind)

    def request(self, context):
        return globals()[f"_request_{self.answer_kind}"](context)

    def answer(self, person, context):
        return globals()[f"_answer_{self.answer_kind}"](person, context)

    def reading(self, specific, context):
        if specific is None:
            return Reading(UNKNOWN, "", _lt("No data in the answer"), holder_error=True)
        return globals()[f"_read_{self.answer_kind}"](specific, context)


ALL_TYPES = {"dni": "NIF", "nie": "NIE", "passport": "Pasaporte"}
SERVICES = {
    service.code: service
    for service in (
        Service(
            "SVDDGPVIWS02",
            "S2816015H",
            "DIRECCION GENERAL DE LA POLICIA",
            "Identity verification (DGP)",
            "S2816015H.SVDDGPVIWS02",
            "identity",
            True,
            {"dni": "DNI", "nie": "NIE"},
        ),
        Service(
            "SVDREXTFECHAWS01",
            "Q2826039F",
            "INSTITUTO NACIONAL DE ESTADISTICA",
            "Residence with date (INE)",
            "Q2826039F.SVDREXTFECHAWS01",
            "residence",
            True,
            ALL_TYPES,
        ),
        Service(
            "NIVRENTI",
            "Q2826000H",
            "AGENCIA ESTATAL DE ADMINISTRACION TRIBUTARIA",
            "Income level (AEAT)",
            "Q2826000H.NIVRENTI",
            "income",
            False,
            {"dni": "NIF", "nie": "NIE"},
        ),
        Service(
            "ECOT103I",
            "Q2826000H",
            "AGENCIA ESTATAL DE ADMINISTRACION TRIBUTARIA",
            "Up to date with the Tax Agency, grants (AEAT)",
            "Q2826000H.ECOT103I",
            "aeat_clear",
            False,
            {"dni": "NIF", "nie": "NIE"},
        ),
        Service(
            "Q2827003ATGSS001",
            "Q2827003A",
            "TESORERIA GENERAL DE LA SEGURIDAD SOCIAL",
            "Up to date with Social Security (TGSS)",
            "Q2827003A.TGSS001",
            "tgss_clear",
            True,
            ALL_TYPES,
        ),
        Service(
            "SVDSEPESITWS02",
            "Q2819009H",
            "SERVICIO PUBLICO DE EMPLEO ESTATAL",
            "Unemployment situation (SEPE)",
            "Q2819009H.SVDSEPESITWS02",
            "unemployed",
            True,
            {"dni": "NIF", "nie": "NIE"},
        ),
        Service(
            "SVDSCDDWS01",
            "S2833002E",
            "COMUNIDADES AUTONOMAS",
            "Disability degree (regions)",
            "S2833002E.SVDSCDDWS01",
            "disability",
            True,
            ALL_TYPES,
        ),
        Service(
            "SVDSCTFNWS01",
            "S2833002E",
            "COMUNIDADES AUTONOMAS",
            "Large-family title (regions)",
            "S2833002E.SVDSCTFNWS01",
            "large_family",
            True,
            ALL_TYPES,
        ),
    )
}


# ---- requests (context: birthdate, sex, municipality, region, year, today) ------
def _request_identity(context):
    consulta = de("Consulta")
    if context.get("sex") in ("M", "F"):
        consulta.append(de("Sexo", context["sex"]))
    if context.get("birthdate"):
        consulta.append(
            de(
                "DatosNacimiento",
                None,
                de("Fecha", _date(context["birthdate"], "%Y%m%d")),
            )
        )
    return de("DatosEspecificos", None, consulta) if len(consulta) else None


def _request_residence(context):
    municipality = context.get("municipality") or ""
    solicitud = de("Solicitud", None, de("Espanol", context.get("spanish", "s")))
    if len(municipality) == 5:
        solicitud.append(
            de(
                "Residencia",
                None,
                de("Provincia", municipality[:2]),
                de("Municipio", municipality[2:]),
            )
        )
    return de("DatosEspecificos", None, solicitud)


def _request_income(context):
    return de("DatosEspecificos", None, de("Ejercicio", str(context["year"])))


def _request_aeat_clear(context):
    return None  # the schema has no request shape


def _request_tgss_clear(context):
    return None


def _request_unemployed(context):
    return None  # SEPE's schema forbids DatosEspecificos in the request


def _birth(context):
    if not context.get("birthdate"):
        return None
    return de(
        "DatosAdicionalesTitular",
        None,
        de("FechaNacimiento", _date(context["birthdate"], "%d/%m/%Y")),
    )


def _request_disability(context):
    return de(
        "DatosEspecificos",
        None,
        de(
            "Consulta",
            None,
            de("CodigoComunidadAutonoma", context.get("region") or "10"),
            de("FechaConsulta", _date(context["today"], "%d/%m/%Y")),
            _birth(context),
            de("ConsentimientoTiposDiscapacidad", "N"),
        ),
    )


def _request_large_family(context):
    return de(
        "DatosEspecificos",
        None,
        de(
            "Consulta",
            None,
            de(
                "TituloFamiliaNumerosa",
                None,
                de("CodigoComunidadAutonoma", context.get("region") or "10"),
                de("FechaConsulta", _date(context["today"], "%d/%m/%Y")),
            ),
            _birth(context),
        ),
    )


# ---- the simulator's answers (person: a simulator.Person) ----------------------
def _estado(code, literal):
    return de("Estado", None, de("CodigoEstado", code), de("LiteralError", literal))


def _answer_identity(person, context):
    same = context.get("names_match", True)
    return de(
        "DatosEspecificos",
        None,
        de(
            "Retorno",
            None,
            _estado("00", "VERIFICACION POSITIVA")
            if same
            else _estado("01", "VERIFICACION NEGATIVA: LOS DATOS NO COINCIDEN"),
        ),
    )


def _answer_residence(person, context):
    municipality = person.municipality
    return de(
        "DatosEspecificos",
        None,
        de(
            "Retorno",
            None,
            _estado("0003", "TRAMITADA"),
            de(
                "Domicilio",
                None,
                de(
                    "ProvinciaRespuesta",
                    None,
                    de("Codigo", municipality[:2]),
                    de("Nombre", context.get("province_name") or municipality[:2]),
                ),
                de(
                    "MunicipioRespuesta",
                    None,
                    de("Codigo", municipality[2:]),
                    de("Nombre", person.municipality_name or municipality),
                ),
                de(
                    "UltimaVariacion",
                    None,
                    de("Fecha", _date(person.residence_since, "%Y%m%d")),
                ),
            ),
        ),
    )


def _cabecera(code, description="", year=None):
    cabecera = de(
        "Cabecera",
        None,
        de("CodRet", code),
        de("DescripcionError", description),
        de("Referencia", "00000000000"),
        de("FechaEmision", datetime.date.today().isoformat()),
    )
    if year:
        cabecera.append(de("Ejercicio", str(year)))
        cabecera.append(de("TipoRespuesta", "IR"))
    return cabecera


def _answer_income(person, context):
    if person.income is None:
        return de(
            "DatosEspecificos",
            None,
            _cabecera("1008", "NO CONSTA DECLARACION", context.get("year")),
        )
    whole, cents = divmod(round(person.income * 100), 100)
    return de(
        "DatosEspecificos",
        None,
        _cabecera("1000", "", context.get("year")),
        de(
            "irpf",
            None,
            de(
                "CabeceraRenta",
                None,
                de("NifSolicitante", context.get("requester_nif", "")),
                de("NombreSolicitante", context.get("requester_name", "")),
                de("PrimerDeclarante", person.full_name),
                de("Modelo", "100"),
                de("Tributacion", "INDIVIDUAL"),
                de("OrigenDatos", "DECLARACION"),
            ),
            de(
                "NivelRenta",
                None,
                de("NRLiteral", "NIVEL DE RENTA"),
                de("NREnteros", str(whole)),
                de("NRDecimales", str(cents)),
            ),
            de("DatosCola"),
        ),
    )


def _answer_aeat_clear(person, context):
    positive = person.aeat_clear
    obligations = de(
        "ObligacionesTributarias",
        None,
        de("CodigoCertificado", "POSITIVO" if positive else "NEGATIVO"),
    )
    if not positive:
        obligations.append(de("TipoNegativo", "A"))
    obligations.append(
        de("CausaNegatividad", "" if positive else "DEUDAS PENDIENTES DE PAGO")
    )
    return de("DatosEspecificos", None, _cabecera("1000"), obligations)


def _answer_tgss_clear(person, context):
    return de(
        "DatosEspecificos",
        None,
        de(
            "Retorno",
            None,
            de("Codigo", "0"),
            de("Resultado", "S" if person.tgss_clear else "N"),
            de(
                "Descripcion",
                "ESTA AL CORRIENTE DE PAGO"
                if person.tgss_clear
                else "NO ESTA AL CORRIENTE DE PAGO",
            ),
        ),
    )


def _answer_unemployed(person, context):
    return de(
        "DatosEspecificos",
        None,
        de("EstadoResultado", None, de("CodigoEstado", "0003")),
        de(
            "DatosDesempleo",
            None,
            de("indSituacion", "SI" if person.unemployed else "NO"),
            de("situacion", "ALTA" if person.unemployed else "BAJA"),
        ),
    )


def _answer_disability(person, context):
    if not person.disability:
        return de(
            "DatosEspecificos",
            None,
            de("Retorno", None, _estado("1", "TITULAR NO ENCONTRADO")),
        )
    return de(
        "DatosEspecificos",
        None,
        de(
            "Retorno",
            None,
            _estado("0", "PETICION CORRECTA"),
            de(
                "CertificadoDatosDiscapacidad",
                None,
                de("CodigoComunidadAutonoma", context.get("region") or "10"),
                de("GradoDiscapacidad", str(person.disability)),
                de("FechaEfectos", "01/01/2020"),
                de("ValidezPermanente", "S"),
            ),
        ),
    )


def _answer_large_family(person, context):
    if not person.large_family_until:
        return de(
            "DatosEspecificos",
            None,
            de("Retorno", None, _estado("1", "TITULO NO ENCONTRADO")),
        )
    valid = person.large_family_until >= context["today"]
    return de(
        "DatosEspecificos",
        None,
        de(
            "Retorno",
            None,
            _estado("0", "PETICION CORRECTA"),
            de(
                "TituloFamiliaNumerosaRetorno",
                None,
                de("CodigoComunidadAutonoma", context.get("region") or "10"),
                de(
                    "NumeroTitulo", f"{context.get('region') or '10'}/{person.document}"
                ),
                de("Categoria", "G"),
                de("TituloVigente", "S" if valid else "N"),
                de("FechaCaducidad", _date(person.large_family_until, "%d/%m/%Y")),
                de("NumeroHijos", str(max(person.children, 1))),
            ),
        ),
    )


# ---- reading answers ---------------------------------------------------------------
# Notes are fixed reasons: values and the data holder's own words stay in the
# raw messages. Holder errors (nothing known of the holder) are the list of
# codes.HOLDER_CODES: final, never retried.
NO_ANSWER = _lt("No usable answer from the data holder")


def _read_identity(specific, context):
    code = text(specific, "Retorno", "Estado", "CodigoEstado")
    if code == "00":
        return Reading(MET, code, _lt("Identity verified"))
    if code in codes.HOLDER_CODES:
        return Reading(UNKNOWN, code, NO_ANSWER, holder_error=True)
    return Reading(NOT_MET, code, _lt("Identity not verified"))


def _read_residence(specific, context):
    code = text(specific, "Retorno", "Estado", "CodigoEstado")
    if code and code != "0003":
        return Reading(UNKNOWN, code, NO_ANSWER, holder_error=True)
    home = messages._path(specific, "Retorno", "Domicilio")
    if home is None:
        return Reading(
            UNKNOWN, code, _lt("No address in the answer"), holder_error=True
        )
    found = text(home, "ProvinciaRespuesta", "Codigo") + text(
        home, "MunicipioRespuesta", "Codigo"
    )
    expected = context.get("municipality")
    if expected and found == expected:
        return Reading(MET, code or "0003", _lt("Registered in the municipality"))
    return Reading(NOT_MET, code or "0003", _lt("Not registered in the municipality"))


def _read_income(specific, context):
    code = text(specific, "Cabecera", "CodRet")
    if code != "1000":
        return Reading(
            UNKNOWN, code, _lt("No income data"), holder_error=code == "1002"
        )
    level = messages._path(specific, "irpf", "NivelRenta")
    if level is None:
        return Reading(UNKNOWN, code, _lt("No income level in the answer"))
    try:
        amount = (
            int(text(level, "NREnteros") or 0)
            + int(text(level, "NRDecimales") or 0) / 100
        )
    except ValueError:
        return Reading(UNKNOWN, code, _lt("Unreadable income level"))
    if text(level, "NRSigno") == "-":
        amount = -amount
    if amount <= (context.get("threshold") or 0):
        return Reading(MET, code, _lt("Income level at most the threshold"))
    return Reading(NOT_MET, code, _lt("Income level above the threshold"))


def _read_aeat_clear(specific, context):
    code = text(specific, "Cabecera", "CodRet")
    certificate = text(specific, "ObligacionesTributarias", "CodigoCertificado")
    if code != "1000" or not certificate:
        return Reading(UNKNOWN, code, _lt("No answer on tax obligations"))
    if certificate == "POSITIVO":
        return Reading(MET, code, _lt("Up to date with tax obligations"))
    return Reading(NOT_MET, code, _lt("Not up to date with tax obligations"))


def _read_tgss_clear(specific, context):
    code = text(specific, "Retorno", "Codigo")
    result = text(specific, "Retorno", "Resultado")
    if code not in ("0", "") or result not in ("S", "N"):
        return Reading(UNKNOWN, code, NO_ANSWER, holder_error=True)
    if result == "S":
        return Reading(MET, code or "0", _lt("Up to date with Social Security"))
    return Reading(NOT_MET, code or "0", _lt("Not up to date with Social Security"))


def _read_unemployed(specific, context):
    code = text(specific, "EstadoResultado", "CodigoEstado")
    if code and code != "0003":
        return Reading(UNKNOWN, code, NO_ANSWER, holder_error=True)
    situation = text(specific, "DatosDesempleo", "situacion")
    if not situation:
        return Reading(UNKNOWN, code, _lt("No unemployment data"))
    if situation == "ALTA":
        return Reading(MET, code or "0003", _lt("Registered as unemployed"))
    return Reading(NOT_MET, code or "0003", _lt("Not registered as unemployed"))


def _regional_state(specific):
    return text(specific, "Retorno", "Estado", "CodigoEstado")


def _read_disability(specific, context):
    code = _regional_state(specific)
    if code in codes.HOLDER_CODES:
        return Reading(UNKNOWN, code, NO_ANSWER, holder_error=True)
    if code == "1":
        return Reading(NOT_MET, code, _lt("No disability recognised"))
    if code != "0":
        return Reading(UNKNOWN, code, NO_ANSWER)
    try:
        degree = int(
            text(
                specific, "Retorno", "CertificadoDatosDiscapacidad", "GradoDiscapacidad"
            )
        )
    except ValueError:
        return Reading(UNKNOWN, code, _lt("Unreadable disability degree"))
    if degree >= (context.get("threshold") or 0):
        return Reading(MET, code, _lt("Disability degree at least the threshold"))
    return Reading(NOT_MET, code, _lt("Disability degree under the threshold"))


def _read_large_family(specific, context):
    code = _regional_state(specific)
    if code in codes.HOLDER_CODES:
        return Reading(UNKNOWN, code, NO_ANSWER, holder_error=True)
    if code == "1":
        return Reading(NOT_MET, code, _lt("No large-family title"))
    if code != "0":
        return Reading(UNKNOWN, code, NO_ANSWER)
    title = messages._path(specific, "Retorno", "TituloFamiliaNumerosaRetorno")
    expiry = _parse_date(text(title, "FechaCaducidad"), "%d/%m/%Y")
    valid = (
        text(title, "TituloVigente") != "N" and expiry and expiry >= context["today"]
    )
    if valid:
        return Reading(MET, code, _lt("Valid large-family title"))
    return Reading(NOT_MET, code, _lt("No valid large-family title"))


def holder_error_answer(service, code, literal, context=None):
    """The service-level answer of a holder the platform knows nothing of
    (asynchronous requests: per transmission)."""
    kind = service.answer_kind
    if kind == "income":
        year = (context or {}).get("year") or datetime.date.today().year - 1
        return de("DatosEspecificos", None, _cabecera("1002", literal, year))
    if kind == "aeat_clear":
        return de("DatosEspecificos", None, _cabecera("1002", literal))
    if kind == "tgss_clear":
        return de(
            "DatosEspecificos",
            None,
            de(
                "Retorno",
                None,
                de("Codigo", code),
                de("Resultado", "X"),
                de("Descripcion", literal),
            ),
        )
    if kind == "unemployed":
        return de(
            "DatosEspecificos",
            None,
            de(
                "EstadoResultado",
                None,
                de("CodigoEstado", code),
                de("LiteralError", literal),
            ),
        )
    return de("DatosEspecificos", None, de("Retorno", None, _estado(code, literal)))
