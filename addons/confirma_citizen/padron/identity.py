# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Spanish identifiers: residents' identity documents (normalisation and
check-letter validation) and administrative units' DIR3 codes.

Pure functions (no ORM), shared by the resident model, the padrón import,
the synthetic population generator, the municipal units and the SCSP
messages.
"""

import re

DOCUMENT_TYPES = ("dni", "nie", "passport")
_PASSPORT = re.compile(r"^[A-Z0-9]{5,20}$")
_DNI = re.compile(r"^\d{8}[A-Z]$")
_NIE = re.compile(r"^[XYZ]\d{7}[A-Z]$")
CHECK_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
# the common directory of units and offices (DIR3): a code of the level and
# seven digits, e.g. L01469006 (a town hall), A04027005 (a regional unit)
_DIR3 = re.compile(r"([AUIJO][0-9]|CC|G[EA]|E([AC]|[0-9])|L(A|[0-9]))[0-9]{7}")


def dir3(value):
    """``value`` as a DIR3 unit code, or "" when it is not one.

    >>> dir3(" l01469006 "), dir3("A04027005"), dir3("SERVEIS SOCIALS")
    ('L01469006', 'A04027005', '')
    """
    value = (value or "").strip().upper()
    return value if _DIR3.fullmatch(value) else ""


def normalize(number):
    """Upper case, without spaces, dots or dashes: '12.345.678-z' -> '12345678Z'."""
    return re.sub(r"[\s.\-/]", "", number or "").upper()


def guess_type(number):
    """'dni', 'nie' or 'passport' for a normalised number."""
    if _DNI.match(number):
        return "dni"
    if _NIE.match(number):
        return "nie"
    return "passport"


def is_valid(doc_type, number):
    """True when ``number`` (normalised) is a valid document of ``doc_type``:
    a DNI or NIE with its check letter (the Ministry's modulo 23, as
    python-stdnum checks it, worked out here: a padrón of millions checks
    as many), a passport of 5 to 20 letters and digits.

    >>> is_valid("dni", "12345678Z"), is_valid("dni", "12345678A")
    (True, False)
    >>> is_valid("nie", "X1234567L"), is_valid("nie", "Y1234567X")
    (True, True)
    >>> is_valid("nie", "X1234567X"), is_valid("passport", "AB12")
    (False, False)
    """
    if doc_type == "dni":
        return bool(_DNI.match(number)) and dni_letter(number[:8]) == number[8]
    if doc_type == "nie":
        return (
            bool(_NIE.match(number)) and nie_letter(number[0], number[1:8]) == number[8]
        )
    if doc_type == "passport":
        return bool(_PASSPORT.match(number))
    return False


def dni_letter(digits):
    """The check letter of an 8-digit DNI number (int or str)."""
    return CHECK_LETTERS[int(digits) % 23]


def nie_letter(prefix, digits):
    """The check letter of a NIE: prefix X/Y/Z and 7 digits."""
    return CHECK_LETTERS[int("XYZ".index(prefix) * 10**7 + int(digits)) % 23]
