# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SCSP services Confirm@ knows: one module per certificate code, each
with its request (``request(context)``), the reading of its answer
(``read(specific, context)``) and its :class:`~.base.Service` entry; and
the explicit :data:`CATALOGUE` of them.

The element shapes follow the official schemas (the tests check them
against ``scsp/xsd``). The simulator's answers live apart, in
:mod:`..simulator.answers`: production code ships no fake answer.

Adding a service: a module here (copy the closest one), its entry in
:data:`CATALOGUE`, its simulator answer in ``simulator/answers/``, and a
``confirma.interop.service`` record in the addon's data.
"""

from . import (
    ecot103i,
    nivrenti,
    q2827003atgss001,
    scdcpaju,
    scdhpaju,
    svddgpciws02,
    svddgpviws02,
    svddgtvehiculodatosws01,
    svdrextfechaws01,
    svdscddws01,
    svdsctfnws01,
    svdsepesitws02,
)
from .base import (  # noqa: F401
    MET,
    NOT_MET,
    UNKNOWN,
    WS_SECURITY,
    XML_SIGNATURE,
    Reading,
    Service,
)

CATALOGUE = (
    svddgpviws02.SERVICE,
    svddgpciws02.SERVICE,
    svdrextfechaws01.SERVICE,
    scdcpaju.SERVICE,
    scdhpaju.SERVICE,
    nivrenti.SERVICE,
    ecot103i.SERVICE,
    q2827003atgss001.SERVICE,
    svdsepesitws02.SERVICE,
    svdscddws01.SERVICE,
    svdsctfnws01.SERVICE,
    svddgtvehiculodatosws01.SERVICE,
)
SERVICES = {service.code: service for service in CATALOGUE}
