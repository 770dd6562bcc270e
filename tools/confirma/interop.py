"""``./confirma interop``: the local SCSP simulator and verifying one case.

Runs inside the project's environment, where Odoo can be imported.
"""

import time
from pathlib import Path

from . import postgres
from .errors import SetupError
from .padron import odoo_env

SIMULATOR_PORT = 8070
DEMO_MONTHS = ("2026-02", "2026-03")


def _load_addons(conf):
    import odoo  # noqa: PLC0415

    if getattr(odoo.tools.config, "rcfile", None) != str(conf):
        # not parsed yet in this process (Odoo's parser runs once)
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


def simulate(conf, args):
    _load_addons(conf)
    from werkzeug.serving import run_simple  # noqa: PLC0415

    from odoo.addons.confirma_interop.scsp import (  # noqa: PLC0415
        certs,
        simulator,
    )

    folder = certs.ensure_test_pki(pki_folder())
    started = time.perf_counter()
    months = tuple(m for m in (args.months or "").split(",") if m)
    people = simulator.Registry.from_synthetic(
        residents=args.residents,
        seed=args.seed,
        months=months,
        municipality=args.municipality,
    )
    app = simulator.from_pki(folder, people, region=args.region)
    print(
        f"SCSP simulator: {len(people)} people (synthetic town of {args.residents}, "
        f"seed {args.seed}, changes {', '.join(months) or 'none'}) loaded in "
        f"{time.perf_counter() - started:.1f}s\n"
        f"  endpoints  http://{args.host}:{args.port}/servicios/SVD/<Issuer>.<Service>"
        "[.Asincrona]\n"
        f"  faults     POST http://{args.host}:{args.port}/_control  "
        '(JSON, e.g. {"latency": 0.5, "holder_code": "0233", "request_code": '
        '"0301", "fail_next": 2})\n'
        f"  trust      {folder / 'ca.pem'} (requests signed by certificates it "
        "issued; answers signed by simulator.pem)",
        flush=True,
    )
    run_simple(args.host, args.port, app, threaded=True, use_reloader=False)


def verify(conf, args):
    import odoo  # noqa: PLC0415
    from odoo.exceptions import UserError  # noqa: PLC0415

    if not postgres.database_exists(args.db):
        raise SetupError(
            f"Database {args.db} does not exist: create it with "
            f"'./confirma db init --db {args.db}'."
        )
    registry = odoo_env(conf, args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if "confirma.interop.check" not in env:
            raise SetupError(f"confirma_interop is not installed in {args.db}.")
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
