# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A local SCSP v3 platform for the demo and the tests (see
:mod:`.server`): the WSGI server, the people its administrations know
(:mod:`.people`) and their answers, one module per service
(:mod:`.answers`). Production code never imports it."""

from .people import Person, Registry, fold  # noqa: F401
from .server import (  # noqa: F401
    CONTROL_TOKEN_FILE,
    HOLDER_LITERALS,
    MAX_BODY,
    MAX_ELEMENTS,
    REQUEST_LITERALS,
    Faults,
    Simulator,
    ensure_control_token,
    from_pki,
    start,
)
