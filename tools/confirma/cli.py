"""``./confirma``: the project's command line.

Every command first makes sure the machine is ready (Odoo 18 found, Python
environment built, PostgreSQL reachable), then re-runs itself inside the
project's virtual environment, where Odoo can be imported.
"""

import argparse
import functools
import os
import shutil
import subprocess
import sys

from . import environment as envmod
from .errors import SetupError, fail

DEMO_DB = "confirma_demo"
TEST_DB = "confirma_test"
#: Debian packages the project needs on the machine: browser tests, PDF
#: reports, the compose-file check.
SYSTEM_PACKAGES = {
    "chromium": ("chromium", "google-chrome", "chromium-browser"),
    "wkhtmltopdf": ("wkhtmltopdf",),
    "docker-compose": ("docker-compose",),
}


# ---------------------------------------------------------------------------
# Preparation
# ---------------------------------------------------------------------------


def ensure_system_packages():
    """Install the Debian packages the project needs when they are missing."""
    missing = [
        package
        for package, commands in SYSTEM_PACKAGES.items()
        if not any(shutil.which(cmd) for cmd in commands)
    ]
    if missing and not envmod.apt_install(missing):
        raise SetupError(
            f"These programs are needed and missing: {', '.join(missing)} (browser "
            f"tests need Chromium, PDF reports wkhtmltopdf, the compose check "
            f"docker-compose). Install them with your package manager "
            f"(Debian/Ubuntu: 'sudo apt-get install {' '.join(missing)}')."
        )


def prepare(need_system=False):
    """Find Odoo, build the environment, re-exec inside it, reach PostgreSQL."""
    odoo = envmod.find_odoo()
    if not envmod.in_venv():
        if need_system:
            ensure_system_packages()
        prepare_venv_only(odoo)
    elif not os.environ.get("CONFIRMA_PREPARED"):
        if need_system:
            ensure_system_packages()
        envmod.ensure_venv(odoo)
    from . import postgres  # noqa: PLC0415 - needs psycopg2 from the environment

    postgres.ensure_postgres()
    conf = envmod.write_runtime_conf(odoo)
    return odoo, conf


# ---------------------------------------------------------------------------
# Odoo wrappers
# ---------------------------------------------------------------------------


@functools.cache
def _odoo_launcher():
    """``odoo-bin`` when the source tree has it, else ``python -m odoo``.

    With worker processes, Odoo restarts its longpolling process from
    ``sys.argv[0]``: that must be a script, not the package's __main__."""
    odoo_bin = envmod.find_odoo().root / "odoo-bin"
    if odoo_bin.is_file():
        return (sys.executable, str(odoo_bin))
    return (sys.executable, "-m", "odoo")


def odoo_cmd(conf, *args, subcommand=None):
    cmd = list(_odoo_launcher())
    if subcommand:
        cmd.append(subcommand)
    return cmd + ["-c", str(conf), *args]


def run_odoo(conf, *args, subcommand=None, what="Odoo"):
    cmd = odoo_cmd(conf, *args, subcommand=subcommand)
    # Odoo 18 logs the deprecation warnings of its own dependencies: not ours.
    env = dict(os.environ, PYTHONWARNINGS="ignore::DeprecationWarning")
    proc = subprocess.run(cmd, cwd=envmod.ROOT, env=env)
    if proc.returncode:
        raise SetupError(
            f"{what} failed (exit code {proc.returncode}); see the log above."
        )


def db_init(conf, name, demo, modules=None, quiet=True):
    """Create ``name`` with the addons installed, or update them: idempotent."""
    from . import postgres  # noqa: PLC0415

    modules = modules or envmod.ADDONS
    log = ["--log-level=warn"] if quiet else []
    if postgres.database_exists(name):
        states = postgres.module_states(name, modules)
        if states and postgres.demo_loaded(name) != demo and demo:
            print(
                f"confirma: note: database {name} exists without demo data; demo "
                f"data is only loaded at creation (drop it to get it)."
            )
        missing = [m for m in modules if states.get(m) != "installed"]
        if not states:
            raise SetupError(
                f"A database named {name} exists but is not an Odoo database. Choose "
                f"another name or drop it ('./confirma db drop --db {name}')."
            )
        if missing:
            print(f"confirma: installing {', '.join(missing)} in {name}", flush=True)
            run_odoo(
                conf,
                "-d",
                name,
                "-i",
                ",".join(missing),
                "--stop-after-init",
                "--no-http",
                *log,
                what=f"Installing into {name}",
            )
        else:
            print(f"confirma: updating {', '.join(modules)} in {name}", flush=True)
            run_odoo(
                conf,
                "-d",
                name,
                "-u",
                ",".join(modules),
                "--stop-after-init",
                "--no-http",
                *log,
                what=f"Updating {name}",
            )
        return
    print(
        f"confirma: creating database {name} with {', '.join(modules)}"
        f" ({'with' if demo else 'without'} demo data)",
        flush=True,
    )
    args = ["-d", name, "-i", ",".join(modules), "--stop-after-init", "--no-http", *log]
    if not demo:
        args.append("--without-demo=all")
    run_odoo(conf, *args, what=f"Creating {name}")
    states = postgres.module_states(name, modules)
    not_installed = [m for m in modules if states.get(m) != "installed"]
    if not_installed:
        raise SetupError(f"{', '.join(not_installed)} did not install in {name}.")
    failed_demo = postgres.without_demo(name, modules) if demo else []
    if failed_demo:
        raise SetupError(
            f"The demo data of {', '.join(failed_demo)} failed to load in {name} "
            f"(see the log above)."
        )


def db_drop(conf, name):
    from . import postgres  # noqa: PLC0415

    if not postgres.database_exists(name):
        print(f"confirma: database {name} does not exist")
        return
    run_odoo(conf, "drop", name, subcommand="db", what=f"Dropping {name}")
    print(f"confirma: dropped database {name}")


# ---------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------


def cmd_setup(args):
    odoo, conf = prepare(need_system=True)
    from . import interop  # noqa: PLC0415

    pki = interop.ensure_pki(conf)
    print(f"confirma: ready: {odoo}; configuration {conf}; test PKI {pki}")


def cmd_interop(args):
    from . import interop  # noqa: PLC0415

    _odoo, conf = prepare()
    if args.interop_command == "simulate":
        interop.simulate(conf, args)
    elif args.interop_command == "inspect":
        interop.inspect(conf, args)
    else:
        interop.verify(conf, args)


def prepared_env():
    """The environment of a ``confirma`` command run inside the project's
    Python environment (no second preparation)."""
    env = dict(os.environ, CONFIRMA_PREPARED="1")
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(envmod.ROOT / "tools"), os.environ.get("PYTHONPATH")])
    )
    return env


def start_simulator(port, *extra, **popen):
    """The local SCSP simulator (``extra``: its options) beside the demo
    server or a benchmark; it stops with the process that started it."""
    import signal  # noqa: PLC0415

    def die_with_parent():  # Linux: SIGTERM when the server process ends
        try:
            import ctypes  # noqa: PLC0415

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)
        except OSError:
            pass

    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "confirma",
            "interop",
            "simulate",
            "--port",
            str(port),
            *extra,
        ],
        cwd=envmod.ROOT,
        env=prepared_env(),
        preexec_fn=die_with_parent,  # noqa: PLW1509 - only prctl, before exec
        **popen,
    )


def cmd_db(args):
    _odoo, conf = prepare()
    if args.db_command == "init":
        db_init(conf, args.db, args.demo, quiet=not args.verbose)
        print(f"confirma: database {args.db} is ready")
    elif args.db_command == "drop":
        db_drop(conf, args.db)
    elif args.db_command == "check-install":
        check_install(conf, args)


def check_install(conf, args):
    """Install each addon alone, then all four, on fresh databases."""
    from . import postgres  # noqa: PLC0415

    cases = [[addon] for addon in envmod.ADDONS] + [list(envmod.ADDONS)]
    demos = {"both": (True, False), "yes": (True,), "no": (False,)}[args.demo]
    results = []
    for modules in cases:
        for demo in demos:
            name = f"confirma_check_{'all' if len(modules) > 1 else modules[0]}"
            name += "_demo" if demo else "_nodemo"
            db_drop(conf, name)
            try:
                db_init(conf, name, demo, modules=modules)
                states = postgres.module_states(name, envmod.ADDONS)
                installed = sorted(m for m, s in states.items() if s == "installed")
                ok = all(states.get(m) == "installed" for m in modules)
            except SetupError as error:
                print(f"confirma: {error}")
                installed, ok = [], False
            results.append((modules, demo, ok, installed))
            if not args.keep:
                db_drop(conf, name)
    print("\nInstall check:")
    for modules, demo, ok, installed in results:
        label = "all four" if len(modules) > 1 else modules[0]
        print(
            f"  {'ok  ' if ok else 'FAIL'} {label:<18} "
            f"{'demo   ' if demo else 'no demo'}"
            f"  -> installed: {', '.join(installed) or '-'}"
        )
    if not all(r[2] for r in results):
        sys.exit(1)


def cmd_shell(args):
    _odoo, conf = prepare()
    cmd = odoo_cmd(conf, "-d", args.db, "--no-http", subcommand="shell")
    os.execv(cmd[0], cmd)


def cmd_serve(args):
    _odoo, conf = prepare()
    serve(conf, args.db, args.port, args.workers)


def serve(conf, db, port, workers):
    # ``-d`` alone exposes that one database (Odoo's db_filter keeps only the
    # databases named by db_name when no dbfilter is set) and, unlike a
    # dbfilter, does not make every visitor without a session list the
    # server's databases through a new PostgreSQL connection
    cmd = odoo_cmd(
        conf,
        "-d",
        db,
        f"--http-port={port}",
        f"--workers={workers}",
    )
    url = f"http://localhost:{port}"
    print(
        f"\nConfirm@ is starting on {url}  (database {db})\n"
        f"Log in at {url}/web/login as admin / admin. Stop with Ctrl+C.\n"
        f"The master password (database manager, never listed) is in "
        f"{envmod.MASTER_PASSWORD}.\n",
        flush=True,
    )
    os.execv(cmd[0], cmd)


def cmd_run(args):
    _odoo, conf = prepare(need_system=True)
    db_init(conf, args.db, demo=True)
    if args.simulator_port:
        start_simulator(args.simulator_port)
    serve(conf, args.db, args.port, args.workers)


def cmd_test(args):
    odoo, conf = prepare(need_system=True)
    if args.http_port:
        # a second test run beside the first: its own HTTP port (HttpCase,
        # browser tests) and its own configuration file
        conf = envmod.write_runtime_conf(
            odoo,
            path=envmod.STATE_DIR / f"odoo-{args.db}.conf",
            http_port=args.http_port,
        )
    db_drop(conf, args.db)
    db_init(conf, args.db, demo=False)
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        f"--odoo-config={conf}",
        f"--odoo-database={args.db}",
        *(args.pytest_args or ["addons", "tests"]),
    ]
    print("confirma: " + " ".join(cmd[1:]), flush=True)
    # The database is kept for inspection; the next run starts from scratch.
    sys.exit(subprocess.run(cmd, cwd=envmod.ROOT).returncode)


def cmd_padron(args):
    from . import padron  # noqa: PLC0415

    if args.padron_command in ("generate", "generate-variations"):
        odoo = envmod.find_odoo()
        if not envmod.in_venv():
            prepare_venv_only(odoo)
        if args.padron_command == "generate":
            padron.generate(args)
        else:
            padron.generate_variations(args)
    else:
        _odoo, conf = prepare()
        padron.import_file(conf, args)


def cmd_campaign(args):
    from . import campaign  # noqa: PLC0415

    _odoo, conf = prepare()
    campaign.run(conf, args)


def cmd_procedure(args):
    from . import procedure  # noqa: PLC0415

    _odoo, conf = prepare()
    procedure.run(conf, args)


def prepare_venv_only(odoo):
    """Re-run inside the environment, without needing PostgreSQL."""
    python = envmod.ensure_venv(odoo)
    os.execve(
        str(python), [str(python), "-m", "confirma", *sys.argv[1:]], prepared_env()
    )


def cmd_i18n(args):
    _odoo, conf = prepare()
    from . import i18n  # noqa: PLC0415 - polib comes with Odoo's dependencies

    i18n.run(conf, args.db, args.addons or envmod.ADDONS)


def cmd_lint(args):
    prepare()
    cmd = [
        sys.executable,
        "-m",
        "pre_commit",
        "run",
        "--all-files",
        "--show-diff-on-failure",
    ]
    sys.exit(subprocess.run(cmd, cwd=envmod.ROOT).returncode)


def cmd_bench(args):
    _odoo, conf = prepare()
    cmd = [sys.executable, str(envmod.ROOT / "bench" / "run.py"), "--config", str(conf)]
    if args.only:
        cmd += ["--only", args.only]
    sys.exit(subprocess.run(cmd, cwd=envmod.ROOT).returncode)


# ---------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------


def simulator_parser():
    """The simulator's own options (it also runs alone, in docker-compose)."""
    import importlib.util  # noqa: PLC0415

    path = envmod.ADDONS_DIR / "confirma_interop" / "scsp" / "simulator" / "serve.py"
    spec = importlib.util.spec_from_file_location("_confirma_scsp_serve", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_parser()


def build_parser():
    parser = argparse.ArgumentParser(
        prog="confirma",
        description="Confirm@: run, test and operate the project's Odoo 18 addons.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "setup", help="find Odoo and PostgreSQL, build the Python environment"
    )
    p.set_defaults(func=cmd_setup)

    p = sub.add_parser("run", help="create/update the demo database and serve it")
    p.add_argument("--db", default=DEMO_DB)
    p.add_argument("--port", type=int, default=8069)
    p.add_argument("--workers", type=int, default=0)
    p.add_argument(
        "--simulator-port",
        type=int,
        default=8070,
        help="port of the local SCSP simulator the demo platform uses (0: none)",
    )
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("serve", help="serve an existing database")
    p.add_argument("--db", required=True)
    p.add_argument("--port", type=int, default=8069)
    p.add_argument("--workers", type=int, default=0)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "test", help="run every test on a fresh database (kept afterwards)"
    )
    p.add_argument("--db", default=TEST_DB)
    p.add_argument(
        "--keep-db", action="store_true", help="keep the database afterwards"
    )
    p.add_argument(
        "--http-port",
        type=int,
        help="HTTP port of the test server (default: odoo.conf's), to run two "
        "test runs side by side with different --db",
    )
    p.add_argument("pytest_args", nargs="*", help="paths or options given to pytest")
    p.set_defaults(func=cmd_test)

    p = sub.add_parser("db", help="create, drop and check databases")
    dbsub = p.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    q = dbsub.add_parser(
        "init", help="create a database with the four addons (idempotent)"
    )
    q.add_argument("--db", required=True)
    q.add_argument("--demo", action="store_true", help="load demo data")
    q.add_argument("--verbose", action="store_true", help="show Odoo's info log")
    q = dbsub.add_parser("drop", help="drop a database and its filestore")
    q.add_argument("--db", required=True)
    q = dbsub.add_parser(
        "check-install", help="install each addon alone, then all four"
    )
    q.add_argument("--demo", choices=("both", "yes", "no"), default="both")
    q.add_argument("--keep", action="store_true", help="keep the scratch databases")
    p.set_defaults(func=cmd_db)

    p = sub.add_parser("shell", help="Odoo shell on a database")
    p.add_argument("--db", required=True)
    p.set_defaults(func=cmd_shell)

    p = sub.add_parser("padron", help="generate or import padrón files")
    psub = p.add_subparsers(dest="padron_command", required=True, metavar="ACTION")
    q = psub.add_parser("generate", help="write a synthetic padrón (deterministic)")
    q.add_argument("--residents", type=int, required=True)
    q.add_argument("--seed", type=int, default=1)
    q.add_argument("--out", required=True, help="CSV file to write")
    q.add_argument("--reference-date", help="YYYY-MM-DD the ages refer to")
    q = psub.add_parser(
        "generate-variations",
        help="write a month of padrón changes of the synthetic town as an INE "
        "variation file (fichero H)",
    )
    q.add_argument("--month", required=True, help="YYYY-MM")
    q.add_argument("--out", required=True, help="file to write (fixed width)")
    q.add_argument(
        "--residents",
        type=int,
        default=2000,
        help="size of the synthetic town the changes apply to (as generated "
        "with the same --seed)",
    )
    q.add_argument("--seed", type=int, default=1)
    q.add_argument("--reference-date", help="YYYY-MM-DD of the synthetic town")
    q.add_argument(
        "--count", type=int, help="exactly this many records (same mix of changes)"
    )
    q = psub.add_parser("import", help="import a padrón file (CSV/XLSX or INE H)")
    q.add_argument("file")
    q.add_argument("--db", default=DEMO_DB)
    q.add_argument(
        "--format",
        choices=("csv", "ine-h"),
        default="csv",
        help="csv: CSV/XLSX in the import layout; ine-h: INE variation file "
        "(fichero H), applied in date order as padrón events",
    )
    q.add_argument(
        "--full-snapshot",
        action="store_true",
        help="the file is the whole register: deregister residents missing from it",
    )
    q.add_argument(
        "--force",
        action="store_true",
        help="with --full-snapshot: deregister the residents missing from the file "
        "even when they are more than the share allowed in the settings (5%% by "
        "default; a truncated file is refused without it)",
    )
    q.add_argument("--mapping", help="name of a saved column mapping")
    q.add_argument("--company", type=int, help="company (municipality) id")
    q.add_argument("--errors", help="where to write refused rows (CSV)")
    q.add_argument(
        "--jobs",
        type=int,
        help="worker processes writing the rows (default: one per core for "
        "files over 2 MB, else 1)",
    )
    p.set_defaults(func=cmd_padron)

    p = sub.add_parser("procedure", help="evaluate a procedure, open its cases")
    psub = p.add_subparsers(dest="procedure_command", required=True, metavar="ACTION")
    for name, text in (
        ("evaluate", "count the residents who qualify, and the time it took"),
        ("sweep", "open the missing cases; prints created and skipped"),
    ):
        q = psub.add_parser(name, help=text)
        q.add_argument("code", help="the procedure's code, e.g. SENIOR")
        q.add_argument("--db", default=DEMO_DB)
        q.add_argument("--company", type=int, help="company (municipality) id")
        q.add_argument("--date", help="evaluate on this day (YYYY-MM-DD)")
    p.set_defaults(func=cmd_procedure)

    p = sub.add_parser(
        "interop", help="the local SCSP simulator; verify a case with data services"
    )
    isub = p.add_subparsers(dest="interop_command", required=True, metavar="ACTION")
    isub.add_parser(
        "simulate",
        help="serve the SCSP simulator (signed SOAP answers from the synthetic town)",
        parents=[simulator_parser()],
        add_help=False,
    )
    q = isub.add_parser(
        "verify", help="send a case's data checks now; prints each requirement"
    )
    q.add_argument("case", help="case number (or id)")
    q.add_argument("--db", default=DEMO_DB)
    q = isub.add_parser(
        "inspect",
        help="explain one SCSP message (signature, encryption, status, "
        "transmissions) as one JSON object",
    )
    q.add_argument("file", help="the message (Peticion, Respuesta, fault...)")
    q.add_argument(
        "--trust",
        action="append",
        metavar="CERT.pem",
        help="a trusted certificate (PEM; repeat for more)",
    )
    q.add_argument(
        "--at",
        metavar="YYYY-MM-DD",
        help="judge the certificates' validity on this day (captured "
        "certificates expire)",
    )
    q.add_argument("--key", metavar="KEY.p12", help="the seal, to decrypt")
    q.add_argument("--password-file", metavar="F", help="the seal's password")
    p.set_defaults(func=cmd_interop)

    p = sub.add_parser("campaign", help="launch a confirmation campaign, its results")
    psub = p.add_subparsers(dest="campaign_command", required=True, metavar="ACTION")
    for name, text in (
        (
            "launch",
            "open the missing cases and send the offers; prints sent by channel",
        ),
        ("stats", "targeted, notified by channel, confirmed, declined, expired, rate"),
    ):
        q = psub.add_parser(name, help=text)
        q.add_argument("id", type=int, help="the campaign's id")
        q.add_argument("--db", default=DEMO_DB)
    p.set_defaults(func=cmd_campaign)

    p = sub.add_parser("i18n", help="export .pot files and merge them into es.po/ca.po")
    p.add_argument("--db", required=True, help="a database with the addons installed")
    p.add_argument("addons", nargs="*", help="addons (default: all four)")
    p.set_defaults(func=cmd_i18n)

    p = sub.add_parser("lint", help="run the pre-commit checks on every file")
    p.set_defaults(func=cmd_lint)

    p = sub.add_parser("bench", help="run the benchmarks, write bench/results.json")
    p.add_argument("--only", help="run one group of benchmarks")
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except SetupError as error:
        fail(str(error), code=error.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
