"""``./confirma interop``: the local SCSP simulator and verifying one case.

Runs inside the project's environment, where Odoo can be imported.
"""

from pathlib import Path

from .errors import SetupError
from .padron import database_env


def _load_addons(conf):
    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    # not parsed yet in this process (Odoo's parser runs once); inside a
    # running Odoo (pytest-odoo, a registry loaded) its configuration stays:
    # parsing again would fail, loading a registry consumes some options
    if getattr(odoo.tools.config, "rcfile", None) != str(conf) and not len(
        Registry.registries
    ):
        odoo.tools.config.parse_config(["-c", str(conf), "--log-level=warn"])
    return odoo


def pki_folder():
    import odoo  # noqa: PLC0415

    return Path(odoo.tools.config["data_dir"]) / "confirma_interop" / "pki"


def ensure_pki(conf):
    """The test PKI of the simulator and the demo (generated, never shipped)."""
    _load_addons(conf)
    from odoo.addons.confirma_interop.scsp import certs  # noqa: PLC0415

    return certs.ensure_test_pki(pki_folder())


def control_token(conf):
    """The token the local simulator's ``POST /_control`` needs (generated
    once next to the test PKI, unless it was started with --control-token)."""
    _load_addons(conf)
    from odoo.addons.confirma_interop.scsp import certs, simulator  # noqa: PLC0415

    return simulator.ensure_control_token(certs.ensure_test_pki(pki_folder()))


def simulate(conf, args):
    odoo = _load_addons(conf)
    from odoo.addons.confirma_interop.scsp import serve  # noqa: PLC0415

    serve.serve(args, odoo.tools.config["data_dir"])


def verify(conf, args):
    from odoo.exceptions import UserError  # noqa: PLC0415

    with database_env(
        conf, args.db, "confirma.interop.check", "confirma_interop"
    ) as env:
        cr = env.cr
        Case = env["confirma.case"]
        case = Case.search([("name", "=", args.case)], limit=1)
        if not case and args.case.isdigit():
            case = Case.browse(int(args.case)).exists()
        if not case:
            raise SetupError(f"No case '{args.case}' (give its number or id).")
        try:
            case.action_interop_verify()
        except UserError as error:
            raise SetupError(str(error)) from None
        cr.commit()
        print(f"{case.name} {case.partner_id.name} — {case.procedure_id.name}")
        labels = dict(env["confirma.interop.check"]._fields["state"].selection)
        for check in case.interop_check_ids:
            outcome = check.result or labels[check.state]
            detail = check.result_note or check.last_error or ""
            print(f"  {check.requirement_id.name}: {outcome}  {detail}".rstrip())
        if not case.interop_check_ids:
            print("  no requirement is checked with a data service")
        print(f"state={case.state}", flush=True)
