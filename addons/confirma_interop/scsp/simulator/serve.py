# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Serve the SCSP simulator: ``odoo-bin confirma-interop simulate`` (which
``./confirma interop simulate`` and the docker-compose ``simulator`` service
run) comes here.
"""

import argparse
import sys
import time
from pathlib import Path


def build_parser():
    parser = argparse.ArgumentParser(description="Confirm@ SCSP simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8070)
    parser.add_argument("--residents", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--months",
        default="2026-02,2026-03",
        help="monthly changes (INE H) the administrations already know",
    )
    parser.add_argument(
        "--padron",
        metavar="CSV",
        help="answer for the people of this padrón file (the import layout) "
        "instead of a synthetic town (--residents, --months)",
    )
    parser.add_argument(
        "--documents",
        metavar="FILE",
        help="with --padron: only the people with these documents (one per "
        "line): a city's checks without its whole register in memory",
    )
    parser.add_argument("--municipality", default="46900", help="INE code")
    parser.add_argument("--region", default="10", help="autonomous community code")
    parser.add_argument("--data-dir", help="Odoo's data folder (test PKI inside)")
    parser.add_argument(
        "--accept-untrusted",
        action="store_true",
        help="replay mode: accept requests whose signature is intact even if "
        "their certificate is not trusted or has expired (captured messages)",
    )
    parser.add_argument(
        "--encrypt",
        action="append",
        metavar="CODE[:TRANSPORT:CIPHER]",
        help="answer this service (CodigoCertificado) encrypted to the "
        "requester's certificate, as the TGSS does: DatosEspecificos of "
        "synchronous answers, Transmisiones of asynchronous ones (default "
        "rsa-oaep:aes256-gcm; repeat for more services)",
    )
    parser.add_argument(
        "--control-token",
        help="token that POST /_control needs (X-Control-Token header); "
        "default: generated once and kept in control-token next to the test PKI",
    )
    return parser


def serve(args, data_dir):
    """Build the registry and the app, print how to use it, serve forever."""
    from werkzeug.serving import run_simple  # noqa: PLC0415

    from .. import (  # noqa: PLC0415
        certs,
        simulator,
        wssec,
    )

    folder = certs.ensure_test_pki(Path(data_dir) / "confirma_interop" / "pki")
    started = time.perf_counter()
    months = tuple(m for m in (args.months or "").split(",") if m)
    padron = getattr(args, "padron", None)
    if padron:
        documents = None
        if getattr(args, "documents", None):
            documents = Path(args.documents).read_text(encoding="utf-8").split()
        people = simulator.Registry.from_padron(
            padron,
            seed=args.seed,
            documents=documents,
            municipality=args.municipality,
        )
        source = f"padrón {padron}"
    else:
        people = simulator.Registry.from_synthetic(
            residents=args.residents,
            seed=args.seed,
            months=months,
            municipality=args.municipality,
        )
        source = (
            f"synthetic town of {args.residents}, seed {args.seed}, changes "
            f"{', '.join(months) or 'none'}"
        )
    token = getattr(args, "control_token", None)
    if token:
        token_help = "the token given with --control-token"
    else:
        token = simulator.ensure_control_token(folder)
        token_help = f"the token in {folder / simulator.CONTROL_TOKEN_FILE}"
    accept_untrusted = bool(getattr(args, "accept_untrusted", False))
    app = simulator.from_pki(
        folder,
        people,
        region=args.region,
        control_token=token,
        accept_untrusted=accept_untrusted,
    )
    app.encryption.update(encryption_options(getattr(args, "encrypt", None)))
    seal = wssec.load_certificates((folder / "simulator.pem").read_bytes())[0]
    sys.stdout.write(
        f"SCSP simulator: {len(people)} people ({source}) loaded in "
        f"{time.perf_counter() - started:.1f}s\n"
        f"  endpoints  http://{args.host}:{args.port}/servicios/SVD/"
        "<Issuer>.<Service>[.Asincrona]\n"
        f"  faults     POST http://127.0.0.1:{args.port}/_control  "
        '(JSON, e.g. {"latency": 0.5, "holder_code": "0233", "request_code": '
        '"0301", "fail_next": 2}; from this machine only, header '
        f"X-Control-Token: {token_help}; GET shows them)\n"
        + (
            "  trust      any certificate: replay mode (--accept-untrusted), "
            "signatures must be intact\n"
            if accept_untrusted
            else f"  trust      {folder / 'ca.pem'} (requests signed by "
            "certificates it issued; answers signed by simulator.pem)\n"
        )
        + f"  pin        subject {seal.subject.rfc4514_string(wssec.NAME_ALIASES)}; "
        f"public key SHA-256 {wssec.key_fingerprint(seal)}\n"
    )
    sys.stdout.flush()
    run_simple(args.host, args.port, app, threaded=True, use_reloader=False)


def encryption_options(values):
    """``--encrypt`` values -> {CodigoCertificado: (key transport, cipher)}."""
    from .. import xmlenc  # noqa: PLC0415

    encryption = {}
    for value in values or ():
        code, _sep, rest = value.partition(":")
        transport, _sep, cipher = rest.partition(":")
        transport, cipher = transport or "rsa-oaep", cipher or "aes256-gcm"
        if transport not in xmlenc.KEY_TRANSPORTS or cipher not in xmlenc.CIPHERS:
            raise SystemExit(
                f"--encrypt {value}: key transport one of "
                f"{', '.join(xmlenc.KEY_TRANSPORTS)}; cipher one of "
                f"{', '.join(xmlenc.CIPHERS)}"
            )
        encryption[code.upper()] = (transport, cipher)
    return encryption
