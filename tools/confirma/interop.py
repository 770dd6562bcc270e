"""The test PKI of the local SCSP simulator and the demo, and the token of
the simulator's control endpoint (``./confirma setup`` prepares them; the
benchmarks and tests read them).

The simulator itself, verifying a case and inspecting a message are the
interop addon's Odoo command (``odoo-bin confirma-interop``).
"""

from pathlib import Path

from .odoo_env import load


def pki_folder():
    import odoo  # noqa: PLC0415

    return Path(odoo.tools.config["data_dir"]) / "confirma_interop" / "pki"


def ensure_pki(conf):
    """The test PKI of the simulator and the demo (generated, never shipped)."""
    load(conf)
    from odoo.addons.confirma_interop.scsp import certs  # noqa: PLC0415

    return certs.ensure_test_pki(pki_folder())


def control_token(conf):
    """The token the local simulator's ``POST /_control`` needs (generated
    once next to the test PKI, unless it was started with --control-token)."""
    load(conf)
    from odoo.addons.confirma_interop.scsp import certs, simulator  # noqa: PLC0415

    return simulator.ensure_control_token(certs.ensure_test_pki(pki_folder()))
