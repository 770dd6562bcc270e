# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Spanish identity documents: normalisation and check-letter validation.

Pure functions (no ORM), shared by the resident model, the padrón import and
the synthetic population generator.
"""

import re

from stdnum.es import dni, nie

DOCUMENT_TYPES = ("dni", "nie", "passport")
_PASSPORT = re.compile(r"^[A-Z0-9]{5,20}$")
CHECK_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def normalize(number):
    """Upper case, without spaces, dots or dashes: '12.345.678-z' -> '12345678Z'."""
    return re.sub(r"[\s.\-/]", "", number or "").upper()


def guess_type(number):
    """'dni', 'nie' or 'passport' for a normalised number."""
    if re.match(r"^\d{8}[A-Z]$", number):
        return "dni"
    if re.match(r"^[XYZ]\d{7}[A-Z]$", number):
        return "nie"
    return "passport"


def is_valid(doc_type, number):
    """True when ``number`` (normalised) is a valid document of ``doc_type``."""
    if doc_type == "dni":
        return bool(re.match(r"^\d{8}[A-Z]$", number)) and dni.is_valid(number)
    if doc_type == "nie":
        return bool(re.match(r"^[XYZ]\d{7}[A-Z]$", number)) and nie.is_valid(number)
    if doc_type == "passport":
        return bool(_PASSPORT.match(number))
    return False


def dni_letter(digits):
    """The check letter of an 8-digit DNI number (int or str)."""
    return CHECK_LETTERS[int(digits) % 23]


def nie_letter(prefix, digits):
    """The check letter of a NIE: prefix X/Y/Z and 7 digits."""
    return CHECK_LETTERS[int("XYZ".index(prefix) * 10**7 + int(digits)) % 23]
