"""``./confirma``: the project's command line.

Every command first makes sure the machine is ready (Odoo 18 found, Python
environment built, PostgreSQL reachable), then re-runs itself inside the
project's virtual environment, where Odoo can be imported.
"""

import argparse
import functools
import json
import os
import shutil
import subprocess
import sys
import time

from . import environment as envmod
from .errors import SetupError, fail

DEMO_DB = "confirma_demo"
#: The languages a Spanish town hall writes to its residents in: active in
#: every database ``./confirma`` creates or updates (with the addons'
#: translations); the first is a new database's default.
LANGUAGES = ("es_ES", "ca_ES")
TEST_DB = "confirma_test"
#: Debian packages the project needs on the machine: browser tests, PDF
#: reports, the compose-file check, npm for the accessibility checker.
SYSTEM_PACKAGES = {
    "chromium": ("chromium", "google-chrome", "chromium-browser"),
    "wkhtmltopdf": ("wkhtmltopdf",),
    "docker-compose": ("docker-compose",),
    "npm": ("npm",),
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
            f"docker-compose, the accessibility checks npm). Install them with "
            f"your package manager (Debian/Ubuntu: 'sudo apt-get install "
            f"{' '.join(missing)}')."
        )
    ensure_node_modules()


def ensure_node_modules():
    """The npm packages of package-lock.json (axe-core, which the tests run
    in Chromium on the public pages), installed when missing or stale."""
    lock = envmod.ROOT / "package-lock.json"
    if not lock.is_file():
        return
    wanted = {
        path: entry.get("version")
        for path, entry in json.loads(lock.read_text(encoding="utf-8"))
        .get("packages", {})
        .items()
        if path.startswith("node_modules/")
    }

    def installed(path):
        manifest = envmod.ROOT / path / "package.json"
        if not manifest.is_file():
            return None
        return json.loads(manifest.read_text(encoding="utf-8")).get("version")

    if all(installed(path) == version for path, version in wanted.items()):
        return
    print("confirma: installing the npm packages of package-lock.json", flush=True)
    envmod._run(
        ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
        "Installing the npm packages (axe-core)",
        cwd=envmod.ROOT,
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


def db_init(conf, name, demo, modules=None, quiet=True, default_lang=LANGUAGES[0]):
    """Create ``name`` with the addons installed, or update them: idempotent.

    Spanish and Catalan are active in every database, with the addons'
    translations; ``default_lang`` is the language of a new database (its
    users' and new contacts'), Odoo's first ``--load-language``."""
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
        # languages not active yet: activated, with the addons' translations
        inactive = [c for c in LANGUAGES if c not in postgres.active_languages(name)]
        if inactive:
            log = [*log, f"--load-language={','.join(inactive)}"]
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
    args = [
        "-d",
        name,
        "-i",
        ",".join(modules),
        "--load-language="
        + ",".join([default_lang, *(c for c in LANGUAGES if c != default_lang)]),
        "--stop-after-init",
        "--no-http",
        *log,
    ]
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


def prepared_env():
    """The environment of a ``confirma`` command run inside the project's
    Python environment (no second preparation)."""
    env = dict(os.environ, CONFIRMA_PREPARED="1")
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(envmod.ROOT / "tools"), os.environ.get("PYTHONPATH")])
    )
    return env


def wait_http(url, proc, timeout=180):
    """Wait until ``url`` answers (a server ``proc`` started): its body.
    Raises SetupError if ``proc`` stops or ``timeout`` seconds pass."""
    import urllib.request  # noqa: PLC0415

    limit = time.monotonic() + timeout
    while time.monotonic() < limit:
        if proc.poll() is not None:
            raise SetupError(f"the process serving {url} stopped")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310
                return answer.read()
        except OSError:
            time.sleep(0.5)
    raise SetupError(f"{url} did not answer within {timeout} s")


def free_port():
    """A TCP port free on this machine now."""
    import socket  # noqa: PLC0415

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(conf, db, workers=2, port=None, cron=False, stdout=None, env=None):
    """An Odoo server on ``db`` in the background, as ``./confirma serve``
    runs it: ``workers`` HTTP workers and the job runner (queue_job), which
    runs the jobs queued on ``db``; no scheduled actions unless ``cron``;
    ``env``: more environment (e.g. the job runner's ``ODOO_QUEUE_JOB_*``).
    Returns (process, port) once it answers; the caller stops it."""
    port = port or free_port()
    cmd = odoo_cmd(
        conf, "-d", db, f"--http-port={port}", f"--gevent-port={free_port()}",
        f"--workers={workers}", f"--max-cron-threads={1 if cron else 0}",
        "--log-level=warn",
    )  # fmt: skip
    env = dict(os.environ, PYTHONWARNINGS="ignore::DeprecationWarning", **(env or {}))
    server = subprocess.Popen(
        cmd, cwd=envmod.ROOT, env=env, stdout=stdout or subprocess.DEVNULL
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/web/health", server)
    except Exception:
        server.kill()
        raise
    return server, port


def stop_server(server):
    server.terminate()
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


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
    """Install each addon alone, then all six, on fresh databases."""
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
        label = "all six" if len(modules) > 1 else modules[0]
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
    # English by default: the tests' assertions are in the source language
    # (Spanish and Catalan are active, as everywhere)
    db_init(conf, args.db, demo=False, default_lang="en_US")
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


#: ``./confirma <command>`` -> the Odoo CLI command an addon ships (its
#: ``cli/`` folder), which does the work.
ADDON_COMMANDS = {
    "padron": ("confirma-padron", "generate or import padrón files"),
    "procedure": ("confirma-procedure", "evaluate a procedure, open its cases"),
    "interop": (
        "confirma-interop",
        "the local SCSP simulator; verify a case; explain an SCSP message",
    ),
    "campaign": ("confirma-campaign", "launch a confirmation campaign, its results"),
    "document": (
        "confirma-document",
        "verify the seal of a document Confirm@ issued (its CSV, who, when)",
    ),
}
#: Actions that need neither PostgreSQL nor a database.
OFFLINE_ACTIONS = {"generate", "generate-variations", "inspect"}
#: Actions on a database (the demo's unless --db is given).
DATABASE_ACTIONS = {
    "import",
    "export",
    "evaluate",
    "sweep",
    "verify",
    "launch",
    "stats",
}


def cmd_addon(args):
    """Hand over to the addon's Odoo command (``odoo-bin --addons-path=...
    confirma-padron import ...``), in this process (signals reach it)."""
    rest = list(args.rest)
    action = rest[0] if rest else None
    odoo = envmod.find_odoo()
    if action in OFFLINE_ACTIONS or action is None or action.startswith("-"):
        if not envmod.in_venv():
            prepare_venv_only(odoo)
        conf = envmod.write_runtime_conf(odoo)
    else:
        _odoo, conf = prepare()
    if action in DATABASE_ACTIONS and not {"--db", "-d"} & set(rest):
        rest += ["--db", DEMO_DB]
    if action in DATABASE_ACTIONS | {"simulate"}:
        rest += ["--config", str(conf)]
    command = [
        *_odoo_launcher(),
        f"--addons-path={envmod.addons_path(odoo)}",
        ADDON_COMMANDS[args.command][0],
        *rest,
    ]
    env = dict(os.environ, PYTHONWARNINGS="ignore::DeprecationWarning")
    sys.stdout.flush()
    os.execve(command[0], command, env)


def prepare_venv_only(odoo):
    """Re-run inside the environment, without needing PostgreSQL."""
    python = envmod.ensure_venv(odoo)
    os.execve(
        str(python), [str(python), "-m", "confirma", *sys.argv[1:]], prepared_env()
    )


def cmd_i18n(args):
    _odoo, conf = prepare()
    from . import (
        i18n,  # noqa: PLC0415 - polib comes with Odoo's dependencies
        postgres,  # noqa: PLC0415
    )

    if not postgres.demo_loaded(args.db):
        # the demo's texts (procedures, phases, units…) ship translated: a
        # template exported without them would drop their translations
        raise SetupError(
            f"{args.db} has no demo data: export the translations from a database "
            f"created with demo data ('./confirma db init --db NAME --demo'), so "
            f"that the demo's texts keep theirs."
        )

    i18n.run(conf, args.db, args.addons or envmod.ADDONS)


def cmd_screenshots(args):
    _odoo, conf = prepare(need_system=True)
    from . import screenshots  # noqa: PLC0415

    db_init(conf, args.db, demo=True)
    screenshots.run(conf, args.db)


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
    env = dict(os.environ)
    if args.residents:
        env["CONFIRMA_CITY_RESIDENTS"] = str(args.residents)
    sys.exit(subprocess.run(cmd, cwd=envmod.ROOT, env=env).returncode)


# ---------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------


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
    p.add_argument(
        "--workers",
        type=int,
        default=2,
        help="HTTP worker processes (jobs run in them)",
    )
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
    p.add_argument(
        "--workers",
        type=int,
        default=2,
        help="HTTP worker processes (jobs run in them)",
    )
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
        "init", help="create a database with the six addons (idempotent)"
    )
    q.add_argument("--db", required=True)
    q.add_argument("--demo", action="store_true", help="load demo data")
    q.add_argument("--verbose", action="store_true", help="show Odoo's info log")
    q = dbsub.add_parser("drop", help="drop a database and its filestore")
    q.add_argument("--db", required=True)
    q = dbsub.add_parser("check-install", help="install each addon alone, then all six")
    q.add_argument("--demo", choices=("both", "yes", "no"), default="both")
    q.add_argument("--keep", action="store_true", help="keep the scratch databases")
    p.set_defaults(func=cmd_db)

    p = sub.add_parser("shell", help="Odoo shell on a database")
    p.add_argument("--db", required=True)
    p.set_defaults(func=cmd_shell)

    for name, (odoo_command, text) in ADDON_COMMANDS.items():
        p = sub.add_parser(
            name,
            help=text,
            description=f"{text} (the addon's 'odoo-bin {odoo_command}'; "
            f"'./confirma {name} --help' lists its actions)",
            add_help=False,
        )
        p.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
        p.set_defaults(func=cmd_addon, command=name)

    p = sub.add_parser("i18n", help="export .pot files and merge them into es.po/ca.po")
    p.add_argument("--db", required=True, help="a database with the addons installed")
    p.add_argument("addons", nargs="*", help="addons (default: all six)")
    p.set_defaults(func=cmd_i18n)

    p = sub.add_parser(
        "screenshots",
        help="take the README's screenshots (docs/screenshots) from a copy of "
        "the demo database",
    )
    p.add_argument("--db", default=DEMO_DB, help="the demo database to copy")
    p.set_defaults(func=cmd_screenshots)

    p = sub.add_parser("lint", help="run the pre-commit checks on every file")
    p.set_defaults(func=cmd_lint)

    p = sub.add_parser("bench", help="run the benchmarks, write bench/results.json")
    p.add_argument("--only", help="run one group of benchmarks")
    p.add_argument(
        "--residents",
        type=int,
        help="size of the synthetic city of the city group (3,400,000 by default)",
    )
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv=None):
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if getattr(args, "func", None) is cmd_addon:
        args.rest = extra + args.rest  # "./confirma padron --help"
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        args.func(args)
    except SetupError as error:
        fail(str(error), code=error.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
