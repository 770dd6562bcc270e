"""Reach PostgreSQL: start a stopped local cluster, create the missing role.

Connection parameters are libpq's usual variables (PGHOST, PGPORT, PGUSER,
PGPASSWORD); by default the local server's Unix socket and the OS user.
Runs inside the virtual environment (psycopg2 is one of Odoo's dependencies).
"""

import getpass
import os
import shutil
import subprocess
import time

from .errors import SetupError

HOW = (
    "Confirm@ needs PostgreSQL 12 or newer. Install it (Debian/Ubuntu: 'apt-get "
    "install postgresql'), start it, and make sure your OS user has a role "
    "('sudo -u postgres createuser -s $USER'), or point PGHOST/PGPORT/PGUSER/"
    "PGPASSWORD at a reachable server."
)


def _user():
    return os.environ.get("PGUSER") or getpass.getuser()


def _is_local():
    host = os.environ.get("PGHOST", "")
    return host in ("", "localhost", "127.0.0.1", "::1") or host.startswith("/")


def _connect():
    import psycopg2  # noqa: PLC0415 - only importable inside the environment

    return psycopg2.connect(
        dbname=os.environ.get("CONFIRMA_PG_MAINTENANCE_DB", "postgres")
    )


def _as_postgres(cmd):
    """Run ``cmd`` as the postgres superuser (root: su; others: sudo -n)."""
    if os.geteuid() == 0:
        full = ["su", "postgres", "-c", " ".join(cmd)]
    elif shutil.which("sudo"):
        full = ["sudo", "-n", "-u", "postgres"] + cmd
    else:
        return None
    return subprocess.run(full, capture_output=True, text=True)


def _start_local_clusters():
    """Start stopped Debian clusters (pg_lsclusters); True if one was started."""
    if not shutil.which("pg_lsclusters"):
        return False
    lines = subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True
    ).stdout.splitlines()
    wanted_port = os.environ.get("PGPORT")
    started = False
    for line in lines:
        fields = line.split()
        if len(fields) < 4 or fields[3] != "down":
            continue
        version, name, port = fields[0], fields[1], fields[2]
        if wanted_port and port != wanted_port:
            continue
        print(f"confirma: starting the PostgreSQL cluster {version}/{name}", flush=True)
        cmd = ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "start"]
        proc = (
            subprocess.run(cmd, capture_output=True, text=True)
            if os.geteuid() == 0
            else subprocess.run(["sudo", "-n"] + cmd, capture_output=True, text=True)
        )
        if proc.returncode == 0:
            started = True
        else:
            print(proc.stderr.strip())
    return started


def ensure_postgres():
    """Make sure a connection can be opened; explain clearly when it cannot."""
    import psycopg2  # noqa: PLC0415

    tried_start = tried_role = False
    for _attempt in range(4):
        try:
            conn = _connect()
        except psycopg2.OperationalError as error:
            message = str(error).strip()
            if "role" in message and "does not exist" in message and not tried_role:
                tried_role = True
                user = _user()
                print(f"confirma: creating the PostgreSQL role '{user}'", flush=True)
                proc = _as_postgres(["createuser", "-s", user])
                if proc is None or proc.returncode:
                    raise SetupError(
                        f"PostgreSQL answers, but has no role for '{user}' and it "
                        f"could not be created as the postgres superuser "
                        f"({(proc.stderr.strip() if proc else 'no su/sudo')}). "
                        f"Create it with 'sudo -u postgres createuser -s {user}'."
                    ) from None
                continue
            unreachable = any(
                text in message
                for text in ("could not connect", "Connection refused", "No such file")
            )
            if unreachable and _is_local() and not tried_start:
                tried_start = True
                if _start_local_clusters():
                    for _wait in range(20):
                        time.sleep(0.5)
                        try:
                            _connect().close()
                            break
                        except psycopg2.OperationalError:
                            continue
                    continue
            raise SetupError(
                f"PostgreSQL cannot be reached ({message.splitlines()[0]}). {HOW}"
            ) from None
        else:
            with conn, conn.cursor() as cr:
                cr.execute("SELECT current_setting('server_version_num')::int")
                version = cr.fetchone()[0]
            conn.close()
            if version < 120000:
                raise SetupError(f"PostgreSQL {version} is too old for Odoo 18. {HOW}")
            return version
    raise SetupError(f"PostgreSQL could not be reached. {HOW}")


def database_exists(name):
    conn = _connect()
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            return bool(cr.fetchone())
    finally:
        conn.close()


def module_states(name, modules):
    """{module: state} in database ``name`` (empty if Odoo is not there yet)."""
    import psycopg2  # noqa: PLC0415

    conn = psycopg2.connect(dbname=name)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT to_regclass('ir_module_module')")
            if not cr.fetchone()[0]:
                return {}
            cr.execute(
                "SELECT name, state FROM ir_module_module WHERE name = ANY(%s)",
                (list(modules),),
            )
            return dict(cr.fetchall())
    finally:
        conn.close()


def active_languages(name):
    """The codes of the languages active in database ``name``."""
    import psycopg2  # noqa: PLC0415

    conn = psycopg2.connect(dbname=name)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT code FROM res_lang WHERE active")
            return {code for (code,) in cr.fetchall()}
    finally:
        conn.close()


def demo_loaded(name):
    import psycopg2  # noqa: PLC0415

    conn = psycopg2.connect(dbname=name)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT demo FROM ir_module_module WHERE name = 'base'")
            row = cr.fetchone()
            return bool(row and row[0])
    finally:
        conn.close()


def without_demo(name, modules):
    """The ``modules`` of database ``name`` whose demo data is not loaded
    (Odoo installs a module without it when its demo data fails)."""
    import psycopg2  # noqa: PLC0415

    conn = psycopg2.connect(dbname=name)
    try:
        with conn.cursor() as cr:
            cr.execute(
                "SELECT name FROM ir_module_module WHERE name = ANY(%s) AND NOT demo",
                (list(modules),),
            )
            return sorted(row[0] for row in cr.fetchall())
    finally:
        conn.close()
