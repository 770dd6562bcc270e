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
    from odoo.addons.confirma_interop.scsp.simulator import serve  # noqa: PLC0415

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


def inspect(conf, args):
    """``./confirma interop inspect FILE``: one message, explained as one JSON
    object (exit 0 when the message was read, valid or not; 1 when not)."""
    import datetime  # noqa: PLC0415
    import json  # noqa: PLC0415

    _load_addons(conf)
    from odoo.addons.confirma_interop.scsp import explain  # noqa: PLC0415

    path = Path(args.file)
    if not path.is_file():
        raise SetupError(f"No file {path}.")
    trusted = b"".join(Path(name).read_bytes() for name in args.trust or ())
    at = None
    if args.at:
        try:
            at = datetime.date.fromisoformat(args.at)
        except ValueError:
            raise SetupError(
                f"--at takes a date as YYYY-MM-DD, not {args.at!r}."
            ) from None
    key_pem = _private_key(args.key, args.password_file) if args.key else None
    try:
        result = explain.explain(path.read_bytes(), trusted, at=at, key_pem=key_pem)
    except explain.UnreadableMessage as error:
        print(json.dumps({"error": str(error)}, ensure_ascii=False))
        raise SystemExit(1) from None
    print(json.dumps(result, ensure_ascii=False, indent=2))


def _private_key(key_path, password_file):
    """The private key of a PKCS#12 seal (or a PEM key file), as PEM."""
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415
    from cryptography.hazmat.primitives.serialization import pkcs12  # noqa: PLC0415

    data = Path(key_path).read_bytes()
    password = (
        Path(password_file).read_text(encoding="utf-8").strip().encode()
        if password_file
        else None
    )
    try:
        if b"-----BEGIN" in data:
            key = serialization.load_pem_private_key(data, password)
        else:
            key, _cert, _chain = pkcs12.load_key_and_certificates(data, password)
    except (ValueError, TypeError) as error:
        raise SetupError(f"Cannot read the key {key_path}: {error}") from None
    if key is None:
        raise SetupError(f"{key_path} holds no private key.")
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
