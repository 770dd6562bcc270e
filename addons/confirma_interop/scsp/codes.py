# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SCSP v3 status codes: what they say and what the client does with them.

Each code falls into one of four kinds:

- ``done``: the request was processed (0003); read each transmission's data;
- ``pending``: asynchronous request still in process (0001, 0002, 0004):
  ask again after the estimated time;
- ``holder``: the platform could not answer for this holder (wrong document,
  holder not identified, information not available...): final, the
  requirement is *unknown* and someone must look at it;
- ``retry``: the whole request failed (transport, platform, security or
  validation): nothing was learnt, the checks stay queued with backoff.
"""

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

DONE, PENDING, HOLDER, RETRY = "done", "pending", "holder", "retry"

MESSAGES = {
    "0001": _lt("Request pending"),
    "0002": _lt("Request in process"),
    "0003": _lt("Request processed"),
    "0004": _lt("Request being polled"),
    "0101": _lt("The platform could not be reached"),
    "0102": _lt("The platform did not answer in time"),
    "0103": _lt("The platform's answer is not valid XML"),
    "0208": _lt("The request has expired"),
    "0225": _lt("Maximum number of answers served"),
    "0229": _lt("Request identifier already used"),
    "0230": _lt("The request's time stamp is not from today or yesterday"),
    "0231": _lt("Incorrect identity document"),
    "0232": _lt("More than one identity document"),
    "0233": _lt("Holder not identified"),
    "0234": _lt("Unknown certificate code"),
    "0235": _lt("The certificate's NIF is not the requester's"),
    "0236": _lt("Incorrect consent value"),
    "0237": _lt("Incorrect number of elements"),
    "0238": _lt("Information not available"),
    "0239": _lt("Error in the service-specific data"),
    "0240": _lt("Incorrect NIE"),
    "0241": _lt("The request has expired"),
    "0242": _lt("Error at the data holder's system"),
    "0244": _lt("Unknown request"),
    "0301": _lt("Body not authorised for this service"),
    "0302": _lt("The signing certificate has expired"),
    "0303": _lt("The signing certificate is revoked"),
    "0304": _lt("The certificate's subject does not match"),
    "0305": _lt("The request's signature is not valid"),
    "0312": _lt("The issuer's NIF does not match"),
    "0314": _lt("Procedure not authorised for this service"),
    "0401": _lt("The request does not follow the service's schema"),
    "0402": _lt("A required field is missing"),
    "0404": _lt("Document type not accepted for the holder"),
    "0414": _lt("The number of elements does not match the requests"),
    "0415": _lt("More than one request: use the asynchronous mode"),
    "0419": _lt("Duplicate request identifier"),
    "0501": _lt("Database error at the platform"),
    "0502": _lt("System error at the platform"),
    "0504": _lt("Configuration error at the platform"),
    "0901": _lt("Service unavailable"),
    "0902": _lt("Mode not supported by the service"),
    "0903": _lt("Mode not supported by the service"),
    "0904": _lt("Undefined error at the platform"),
}
HOLDER_CODES = {"0231", "0232", "0233", "0238", "0240", "0404"}
#: Confirm@'s own code (not the platform's): a signed answer that is not the
#: answer to the request it came back for (another IdPeticion or service, a
#: holder or transmission nobody asked about): replayed or mixed up, refused
MISMATCH = "CF01"
MESSAGES[MISMATCH] = _lt("The answer does not match the request")
#: Confirm@'s own code: part of a signed answer is encrypted and could not be
#: decrypted with the seal's key (a protocol error: never read as empty)
ENCRYPTED = "CF02"
MESSAGES[ENCRYPTED] = _lt("The answer is encrypted and could not be decrypted")


def kind(code):
    """The kind of a status code (see the module's documentation)."""
    code = (code or "").strip()
    if code == "0003":
        return DONE
    if code in ("0001", "0002", "0004"):
        return PENDING
    if code in HOLDER_CODES:
        return HOLDER
    return RETRY


def describe(code, literal=None, lang=None):
    """``0233 Holder not identified`` in ``lang``, or the platform's own text
    for codes Confirm@ does not know; ``literal`` (the platform's words)
    is added when it says more."""
    # read by Odoo's lazy translations when they are turned into text
    context = {"lang": lang or "en_US"}  # noqa: F841
    code = (code or "").strip()
    known = MESSAGES.get(code)
    text = str(known) if known else (literal or str(_lt("Unknown status")))
    if known and literal and literal.strip().lower() not in text.lower():
        text = f"{text} ({literal.strip()})"
    return f"{code} {text}".strip()
