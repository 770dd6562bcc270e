# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The examples in the pure modules' documentation hold (plain pytest: no
database)."""

import doctest
import json

from .. import package
from ..models import confirma_package


def test_documented_examples():
    result = doctest.testmod(package, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 10
    assert not result.failed
    result = doctest.testmod(confirma_package)
    assert result.attempted
    assert not result.failed


def test_the_schema_is_a_valid_json_schema():
    import jsonschema

    schema = json.loads(package.SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema_version"]["const"] == package.SCHEMA_VERSION
