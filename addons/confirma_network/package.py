# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Procedure packages, as plain Python: one JSON file that carries a
procedure from the town that built it to another one.

A package is self-describing (``format``, ``schema_version``) and
versioned; ``schemas/procedure-package.schema.json`` publishes its shape.
Values each town's ordinance sets (an age limit, an income threshold) are
*local parameters*: declared once with a default and a unit, and named
where they are used as ``{"$param": name}``:

>>> package = {
...     "parameters": [
...         {"name": "max_age", "type": "integer", "default": 35, "unit": "years"}
...     ],
...     "rule": {"match": "all", "conditions": [
...         {"kind": "age", "min_value": 18, "max_value": {"$param": "max_age"}}]},
... }
>>> values = parameter_values(package, {"max_age": "30"})
>>> values
{'max_age': 30}
>>> resolve(package["rule"], values)["conditions"][0]
{'kind': 'age', 'min_value': 18, 'max_value': 30}

Test cases describe residents at the parameters' edges, so that they hold
for any local value: ``{"$param": "max_age", "offset": 1}`` is one year
past the town's limit.

>>> resolve({"age": {"$param": "max_age", "offset": 1}}, values)
{'age': 31}

A value outside what the package allows, or of the wrong type, is refused
with the reason:

>>> problem(lambda: parameter_values(package, {"max_age": "thirty"}))
"max_age: 'thirty' is not a whole number"
>>> problem(lambda: parameter_values(package, {"min_age": 16}))
'min_age: the package has no such parameter'
"""

import base64
import copy
import functools
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

FORMAT = "confirma-procedure-package"
SCHEMA_VERSION = 1
SCHEMA_PATH = (
    Path(__file__).resolve().parent / "schemas" / "procedure-package.schema.json"
)
#: the fields of a rule condition a local parameter can set
PARAMETER_FIELDS = (
    "min_value",
    "max_value",
    "fact_value",
    "fact_within_days",
    "fact_months",
    "codes",
)
LANGUAGES = ("en", "es", "ca")
_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


class PackageError(ValueError):
    """A package that cannot be used, with every reason found
    (``problems``); ``str()`` joins them."""

    def __init__(self, problems):
        if isinstance(problems, str):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


# ---- reading ------------------------------------------------------------------
def load(data):
    """The package in ``data`` (bytes or text of its JSON), checked against
    the published schema and for consistency (see :func:`validate`).

    >>> problem(lambda: load(b"{not json"))
    'not a JSON file: line 1, column 2'
    >>> problem(lambda: load(b'{"format": "something else"}'))
    "format: 'confirma-procedure-package' was expected"
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise PackageError(f"not UTF-8 text (byte {error.start})") from None
    try:
        package = json.loads(data)
    except json.JSONDecodeError as error:
        raise PackageError(
            f"not a JSON file: line {error.lineno}, column {error.colno}"
        ) from None
    validate(package)
    return package


def schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@functools.cache
def _validator():
    """The published schema's validator, built once per process (every
    export and import validates, the public page's downloads too)."""
    import jsonschema  # noqa: PLC0415 - only where packages are read

    return jsonschema.Draft202012Validator(schema())


def validate(package):
    """Raise :class:`PackageError` naming every problem of ``package``: the
    schema's, then parameters used but not declared (or declared twice)."""
    if not isinstance(package, dict) or package.get("format") != FORMAT:
        raise PackageError(f"format: {FORMAT!r} was expected")
    if package.get("schema_version") != SCHEMA_VERSION:
        raise PackageError(
            f"schema_version: {package.get('schema_version')!r} is not supported "
            f"(this installation reads version {SCHEMA_VERSION})"
        )
    validator = _validator()
    problems = [
        f"{_path(error.absolute_path) or 'package'}: {error.message}"
        for error in sorted(
            validator.iter_errors(package), key=lambda e: list(map(str, e.path))
        )
    ]
    if problems:
        raise PackageError(problems[:20])
    names = [p["name"] for p in package.get("parameters", [])]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    problems += [f"parameters: {name} is declared twice" for name in duplicates]
    for parameter in package.get("parameters", []):
        try:
            coerce(parameter, parameter["default"])
        except PackageError as error:
            problems.append(f"parameters: default of {error}")
    used = param_refs(package.get("rule")) | param_refs(package.get("tests"))
    problems += [
        f"{name}: used but not declared in parameters"
        for name in sorted(used - set(names))
    ]
    if problems:
        raise PackageError(problems)


def problem(call):
    """What is wrong (for the examples): the text of the
    :class:`PackageError` that ``call()`` raises, else None."""
    try:
        call()
    except PackageError as error:
        return str(error)
    return None


def _path(parts):
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def version_key(version):
    """``"1.10.0"`` as a comparable tuple.

    >>> version_key("1.10.0") > version_key("1.9.3")
    True
    """
    match = _SEMVER.match(version or "")
    if not match:
        raise PackageError(f"version: {version!r} is not MAJOR.MINOR.PATCH")
    return tuple(int(part) for part in match.groups())


# ---- local parameters ---------------------------------------------------------
def param_refs(node):
    """Names of the parameters ``node`` uses, anywhere inside it."""
    found = set()
    if isinstance(node, dict):
        if "$param" in node:
            found.add(node["$param"])
        for value in node.values():
            found |= param_refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= param_refs(value)
    return found


def coerce(parameter, value):
    """``value`` (from a form, the command line or the package) as the
    parameter's type, within its bounds."""
    name, kind = parameter["name"], parameter["type"]
    if kind == "integer":
        try:
            number = int(str(value).strip()) if not isinstance(value, int) else value
        except ValueError:
            raise PackageError(f"{name}: {value!r} is not a whole number") from None
        if isinstance(value, bool):
            raise PackageError(f"{name}: {value!r} is not a whole number")
        value = number
    elif kind == "number":
        try:
            value = float(str(value).strip().replace(",", "."))
        except ValueError:
            raise PackageError(f"{name}: {value!r} is not a number") from None
        if value == int(value):
            value = int(value)
    else:
        value = str(value).strip()
        if not value:
            raise PackageError(f"{name}: a value is required")
        return value
    if "minimum" in parameter and value < parameter["minimum"]:
        raise PackageError(f"{name}: {value} is below {parameter['minimum']}")
    if "maximum" in parameter and value > parameter["maximum"]:
        raise PackageError(f"{name}: {value} is above {parameter['maximum']}")
    return value


def validate_parameter_name(name):
    """A parameter's key: lower case, digits and underscores.

    >>> problem(lambda: validate_parameter_name("Max age"))
    "'Max age': a key is lower case, digits and _ (e.g. max_age)"
    """
    if not re.match(r"^[a-z][a-z0-9_]{0,39}$", name or ""):
        raise PackageError(
            f"{name!r}: a key is lower case, digits and _ (e.g. max_age)"
        )


def parameter_values(package, overrides=None):
    """Every parameter's value: the package's defaults, replaced by
    ``overrides`` ({name: value}, e.g. a town's own)."""
    declared = {p["name"]: p for p in package.get("parameters", [])}
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - set(declared))
    if unknown:
        raise PackageError(
            [f"{name}: the package has no such parameter" for name in unknown]
        )
    values, problems = {}, []
    for name, parameter in declared.items():
        try:
            values[name] = coerce(parameter, overrides.get(name, parameter["default"]))
        except PackageError as error:
            problems.extend(error.problems)
    if problems:
        raise PackageError(problems)
    return values


def parse_assignments(assignments):
    """``["max_age=30", ...]`` (the command line's ``--set``) as a dict.

    >>> parse_assignments(["max_age=30", "income = 18000.5"])
    {'max_age': '30', 'income': '18000.5'}
    >>> problem(lambda: parse_assignments(["max_age"]))
    '--set max_age: write NAME=VALUE'
    """
    values = {}
    for assignment in assignments or ():
        name, sep, value = assignment.partition("=")
        if not sep or not name.strip():
            raise PackageError(f"--set {assignment}: write NAME=VALUE")
        values[name.strip()] = value.strip()
    return values


def resolve(node, values):
    """``node`` with every ``{"$param": name[, "offset": n]}`` replaced by
    the parameter's value (plus the offset)."""
    if isinstance(node, dict):
        if "$param" in node:
            value = values[node["$param"]]
            offset = node.get("offset")
            return value + offset if offset else value
        return {key: resolve(value, values) for key, value in node.items()}
    if isinstance(node, list):
        return [resolve(value, values) for value in node]
    return node


def text(translations, lang):
    """One language of a translated text: ``lang``, else English, else any.

    >>> text({"en": "Senior card", "ca": "Targeta gran"}, "ca_ES")
    'Targeta gran'
    >>> text({"en": "Senior card"}, "es_ES")
    'Senior card'
    >>> text("plain", "es_ES")
    'plain'
    """
    if not isinstance(translations, dict):
        return translations or ""
    short = (lang or "en").split("_")[0]
    return (
        translations.get(short)
        or translations.get("en")
        or next(iter(translations.values()), "")
    )


# ---- integrity and seal -------------------------------------------------------
def canonical(package):
    """The bytes a seal covers: the package without its ``signature``, keys
    sorted, no insignificant spaces."""
    body = {key: value for key, value in package.items() if key != "signature"}
    return json.dumps(
        body, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


def digest(package):
    """SHA-256 of :func:`canonical` (hex): what was imported, exactly."""
    return hashlib.sha256(canonical(package)).hexdigest()


def dumps(package):
    """The file as published: indented, keys in the package's order."""
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"


@dataclass
class Seal:
    """Who sealed a package, and whether the seal holds."""

    signed: bool
    valid: bool
    signer: str = ""
    error: str = ""


def sign(package, key_pem, certificate_pem):
    """``package`` sealed with a town's key (RSA, SHA-256 over
    :func:`canonical`), its certificate inside."""
    from cryptography.hazmat.primitives import hashes, serialization  # noqa: PLC0415
    from cryptography.hazmat.primitives.asymmetric import padding  # noqa: PLC0415

    key = serialization.load_pem_private_key(_bytes(key_pem), password=None)
    value = key.sign(canonical(package), padding.PKCS1v15(), hashes.SHA256())
    sealed = copy.deepcopy(package)
    sealed["signature"] = {
        "algorithm": "rsa-sha256",
        "certificate": _bytes(certificate_pem).decode("ascii"),
        "value": base64.b64encode(value).decode("ascii"),
    }
    return sealed


def verify(package):
    """The package's seal (:class:`Seal`): does its signature cover this
    very content, and whose certificate made it."""
    from cryptography import x509  # noqa: PLC0415
    from cryptography.exceptions import InvalidSignature  # noqa: PLC0415
    from cryptography.hazmat.primitives import hashes  # noqa: PLC0415
    from cryptography.hazmat.primitives.asymmetric import padding  # noqa: PLC0415

    signature = package.get("signature")
    if not signature:
        return Seal(signed=False, valid=False)
    try:
        certificate = x509.load_pem_x509_certificate(
            signature["certificate"].encode("ascii")
        )
        signer = subject_label(certificate)
        certificate.public_key().verify(
            base64.b64decode(signature["value"], validate=True),
            canonical(package),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except InvalidSignature:
        return Seal(True, False, locals().get("signer", ""), "content changed")
    except (ValueError, KeyError, TypeError) as error:
        return Seal(True, False, "", f"unreadable seal: {error}")
    return Seal(True, True, signer)


def subject_label(certificate):
    """The organisation and common name of a certificate's subject."""
    from cryptography.x509.oid import NameOID  # noqa: PLC0415

    parts = []
    for oid in (NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME):
        for attribute in certificate.subject.get_attributes_for_oid(oid):
            if attribute.value not in parts:
                parts.append(attribute.value)
    return ", ".join(parts) or certificate.subject.rfc4514_string()


def _bytes(value):
    return value.encode("ascii") if isinstance(value, str) else value


# ---- what changed between two versions ----------------------------------------
def diff(old, new, lang="en"):
    """What a newer version changes, as lines of text: the rule, the texts
    and the parameters (a town's own values are kept on import).

    >>> old = {"version": "1.0.0", "procedure": {"name": {"en": "Rent aid"}},
    ...        "rule": {"match": "all", "conditions": [{"kind": "age"}]},
    ...        "parameters": [{"name": "max_age", "default": 35}]}
    >>> new = copy.deepcopy(old)
    >>> new["version"] = "1.1.0"
    >>> new["procedure"]["name"]["en"] = "Youth rent aid"
    >>> new["parameters"][0]["default"] = 30
    >>> new["rule"]["conditions"].append({"kind": "district", "codes": "01"})
    >>> for line in diff(old, new):
    ...     print(line)
    version: 1.0.0 → 1.1.0
    rule: conditions[1] added: {"codes": "01", "kind": "district"}
    texts: procedure.name: 'Rent aid' → 'Youth rent aid'
    parameters: max_age.default: 35 → 30
    """
    lines = []
    if old.get("version") != new.get("version"):
        lines.append(f"version: {old.get('version')} → {new.get('version')}")
    lines += [f"rule: {line}" for line in _changes(old.get("rule"), new.get("rule"))]
    for section in ("procedure", "messages", "survey"):
        for path, before, after in _leaf_changes(
            _texts(old.get(section), lang), _texts(new.get(section), lang)
        ):
            lines.append(f"texts: {section}.{path}: {before!r} → {after!r}")
    before = {p["name"]: p for p in old.get("parameters", [])}
    after = {p["name"]: p for p in new.get("parameters", [])}
    for name in sorted(before.keys() | after.keys()):
        if name not in after:
            lines.append(f"parameters: {name} removed")
        elif name not in before:
            lines.append(f"parameters: {name} added (default {after[name]['default']})")
        else:
            for key in sorted(before[name].keys() | after[name].keys()):
                if before[name].get(key) != after[name].get(key):
                    lines.append(
                        f"parameters: {name}.{key}: "
                        f"{before[name].get(key)} → {after[name].get(key)}"
                    )
    old_tests = len((old.get("tests") or {}).get("cases", []))
    new_tests = len((new.get("tests") or {}).get("cases", []))
    if old_tests != new_tests:
        lines.append(f"tests: {old_tests} → {new_tests} cases")
    return lines


def _texts(node, lang, path=""):
    """Translated texts of ``node`` in ``lang``, by path."""
    found = {}
    if isinstance(node, dict):
        if (
            node
            and set(node) <= set(LANGUAGES)
            and all(isinstance(v, str) for v in node.values())
        ):
            found[path] = text(node, lang)
            return found
        for key, value in node.items():
            found.update(_texts(value, lang, f"{path}.{key}" if path else key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.update(_texts(value, lang, f"{path}[{index}]"))
    return found


def _leaf_changes(before, after):
    for path in sorted(before.keys() | after.keys()):
        if before.get(path) != after.get(path):
            yield path, before.get(path), after.get(path)


def _changes(old, new, path=""):
    """Structural differences of two rule trees."""
    if isinstance(old, dict) and isinstance(new, dict):
        lines = []
        for key in sorted(old.keys() | new.keys()):
            if key in ("name",):
                continue
            sub = f"{path}.{key}" if path else key
            if key not in new:
                lines.append(f"{sub} removed")
            elif key not in old:
                lines.append(f"{sub} added: {_short(new[key])}")
            else:
                lines += _changes(old[key], new[key], sub)
        return lines
    if isinstance(old, list) and isinstance(new, list):
        lines = []
        for index in range(max(len(old), len(new))):
            sub = f"{path}[{index}]"
            if index >= len(new):
                lines.append(f"{sub} removed")
            elif index >= len(old):
                lines.append(f"{sub} added: {_short(new[index])}")
            else:
                lines += _changes(old[index], new[index], sub)
        return lines
    if old != new:
        return [f"{path}: {_short(old)} → {_short(new)}"]
    return []


def _short(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
