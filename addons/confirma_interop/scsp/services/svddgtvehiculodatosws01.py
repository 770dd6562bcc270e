# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SVDDGTVEHICULODATOSWS01, vehicle data (Dirección General de Tráfico):
the vehicle register's data of a plate, for the vehicle-tax rebates of the
municipal ordinance (TRLRHL art. 95.6). Met when the vehicle was first
registered at least ``threshold`` years ago (historic vehicles: 25) and is
not deregistered for good.

The plate is the query's subject, not the holder: it comes from the
resident's fact ``vehicle_plate`` (the municipal vehicle-tax roll)."""

from .base import (
    MET,
    NIF_NIE,
    NOT_MET,
    UNKNOWN,
    Reading,
    Service,
    _lt,
    de,
    holder_unknown,
    messages,
    parse_date,
    specific,
    text,
    years_between,
)


def plate(value):
    """A plate as the DGT writes it: capitals, no spaces or dashes.

    >>> plate(" 1234-bcd "), plate("V 1234 GH")
    ('1234BCD', 'V1234GH')
    """
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())[:9]


def request(context):
    return specific(de("Consulta", None, de("Matricula", plate(context["subject"]))))


def read(answer, context):
    code = text(answer, "Retorno", "Estado", "CodigoEstado")
    if unknown := holder_unknown(code):
        return unknown
    vehicle = messages._path(answer, "Retorno", "DatosVehiculo")
    if code != "0" or vehicle is None:
        return Reading(UNKNOWN, code, _lt("Vehicle not found in the register"))
    general = messages._path(vehicle, "DatosGenerales")
    if text(general, "Indicadores", "BajaDefinitiva") == "S":
        return Reading(NOT_MET, code, _lt("Vehicle deregistered for good"))
    registered = parse_date(
        text(general, "Matriculacion", "FechaMatriculacion")[:10], "%Y-%m-%d"
    )
    if registered is None:
        return Reading(UNKNOWN, code, _lt("No registration date in the answer"))
    years = years_between(registered, context["today"])
    if years >= (context.get("threshold") or 0):
        return Reading(MET, code, _lt("Vehicle registered long enough ago"))
    return Reading(NOT_MET, code, _lt("Vehicle registered too recently"))


SERVICE = Service(
    "SVDDGTVEHICULODATOSWS01",
    "Q2816003D",
    "DIRECCION GENERAL DE TRAFICO",
    "Vehicle data (DGT)",
    "Q2816003D.SVDDGTVEHICULODATOSWS01",
    "vehicle_age",
    True,
    NIF_NIE,
    request,
    read,
    unit_code=True,
    subject_fact="vehicle_plate",
)
