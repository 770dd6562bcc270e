"""Where things are: the project, Odoo 18 and the Python environment.

This module runs under any Python 3 (it is imported before the virtual
environment exists), so it uses the standard library only.
"""

import ast
import configparser
import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .errors import SetupError

ROOT = Path(__file__).resolve().parents[2]
ADDONS_DIR = ROOT / "addons"
STATE_DIR = ROOT / ".confirma"
VENV = Path(os.environ.get("CONFIRMA_VENV", ROOT / ".venv"))
REQUIREMENTS = ROOT / "requirements.txt"
PROJECT_CONF = ROOT / "odoo.conf"
RUNTIME_CONF = STATE_DIR / "odoo.conf"

#: The conventional source location, named in the README: Odoo's official
#: 18.0 source (``odoo/`` package and ``odoo-bin``) unpacked or cloned there.
CONVENTIONAL_ODOO_DIR = Path("/opt/odoo18")

#: The Confirm@ addons, in dependency order.
ADDONS = [
    "confirma_citizen",
    "confirma_tramites",
    "confirma_interop",
    "confirma_surveys",
    "confirma_legal",
    "confirma_network",
]

HOW_TO_GET_ODOO = (
    "Confirm@ needs Odoo 18.0 Community. Either run it with Docker (the official "
    "'odoo:18' image: 'docker compose up' in this folder, see README), or get Odoo's "
    "official 18.0 source (git clone --branch 18.0 --depth 1 "
    "https://github.com/odoo/odoo /opt/odoo18, or the 18.0 source tarball from "
    "nightly.odoo.com), then install its Python dependencies (pip install -r "
    "/opt/odoo18/requirements.txt) and either leave it in /opt/odoo18 or point "
    "ODOO_PATH at the folder that holds its 'odoo' package and 'odoo-bin'."
)


class OdooInstall:
    """A found Odoo source tree or installed package."""

    def __init__(self, package_dir, how):
        self.package_dir = Path(package_dir)  # the folder of the `odoo` package
        self.root = self.package_dir.parent  # holds `odoo/` (and maybe `addons/`)
        self.how = how
        self.version = read_odoo_version(self.package_dir)

    @property
    def addons_dirs(self):
        dirs = [self.package_dir / "addons"]
        if (self.root / "addons" / "web").is_dir():  # official git layout
            dirs.append(self.root / "addons")
        return dirs

    def __repr__(self):
        return f"Odoo {self.version[0]}.{self.version[1]} at {self.root} ({self.how})"


def read_odoo_version(package_dir):
    """Read ``version_info`` from ``odoo/release.py`` without importing Odoo."""
    release = Path(package_dir) / "release.py"
    try:
        text = release.read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(r"^version_info\s*=\s*\((.*?)\)\s*$", text, re.M)
    if not match:
        return None
    parts = [p.strip() for p in match.group(1).split(",")]
    try:
        return int(ast.literal_eval(parts[0])), int(ast.literal_eval(parts[1]))
    except (ValueError, SyntaxError):
        return None


def _package_dir_from(path):
    path = Path(path).expanduser()
    for candidate in (path / "odoo", path):
        if (candidate / "release.py").is_file() and (
            candidate / "__init__.py"
        ).is_file():
            return candidate.resolve()
    return None


def _importable_odoo(python):
    """The folder of the ``odoo`` package importable by ``python``, if any."""
    if str(python) == sys.executable:
        spec = importlib.util.find_spec("odoo")
        if spec and spec.submodule_search_locations:
            for location in spec.submodule_search_locations:
                if (Path(location) / "release.py").is_file():
                    return Path(location)
        return None
    code = (
        "import importlib.util as u, pathlib as p\n"
        "s = u.find_spec('odoo')\n"
        "for l in (s.submodule_search_locations or []) if s else []:\n"
        "    if (p.Path(l) / 'release.py').is_file(): print(l); break\n"
    )
    try:
        out = subprocess.run(
            [str(python), "-c", code], capture_output=True, text=True, timeout=60
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(out) if out else None


def find_odoo():
    """Find Odoo 18: ``ODOO_PATH``, then an importable ``odoo``, then /opt/odoo18."""
    env_path = os.environ.get("ODOO_PATH")
    if env_path:
        package = _package_dir_from(env_path)
        if not package:
            raise SetupError(
                f"ODOO_PATH is set to '{env_path}', but no Odoo source is there (no "
                f"'odoo/release.py'). Point it at the folder that holds Odoo's 'odoo' "
                f"package and 'odoo-bin', or unset it. {HOW_TO_GET_ODOO}"
            )
        found = OdooInstall(package, "ODOO_PATH")
    else:
        found = None
        for python in (venv_python(), Path(sys.executable)):
            if python.exists():
                package = _importable_odoo(python)
                if package:
                    found = OdooInstall(package, f"importable by {python}")
                    break
        if not found:
            package = _package_dir_from(CONVENTIONAL_ODOO_DIR)
            if package:
                found = OdooInstall(package, str(CONVENTIONAL_ODOO_DIR))
    if not found:
        raise SetupError(
            f"Odoo 18 was not found: ODOO_PATH is not set, no 'odoo' package can be "
            f"imported, and {CONVENTIONAL_ODOO_DIR} holds no Odoo source. "
            + HOW_TO_GET_ODOO
        )
    if not found.version or found.version[0] != 18:
        version = (
            ".".join(map(str, found.version)) if found.version else "an unknown version"
        )
        raise SetupError(
            f"The Odoo found at {found.root} ({found.how}) is {version}, but Confirm@ "
            f"is written for Odoo 18.0. " + HOW_TO_GET_ODOO
        )
    return found


# ---------------------------------------------------------------------------
# Python environment
# ---------------------------------------------------------------------------


def venv_python():
    return VENV / "bin" / "python"


def in_venv():
    return Path(sys.prefix).resolve() == VENV.resolve()


def _run(cmd, what, **kwargs):
    proc = subprocess.run(cmd, **kwargs)
    if proc.returncode:
        raise SetupError(
            f"{what} failed (exit code {proc.returncode}, command: "
            f"{' '.join(map(str, cmd))}). Read the output above; the environment "
            f"can be rebuilt from scratch with 'rm -rf {VENV}' and running the "
            f"command again."
        )
    return proc


def _digest(*paths):
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path).encode())
        if Path(path).is_file():
            digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def isolated_venv(odoo):
    """Whether the environment must not see the system's site-packages.

    Only a packaged Odoo (Debian package, importable by the system's Python)
    keeps its dependencies there. Under ``CI=true`` the environment is always
    isolated: what was installed by hand on the machine can then not hide a
    dependency the project forgot to declare.
    """
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        return True
    return not odoo.how.startswith(f"importable by {sys.executable}")


#: lxml and xmlsec must link the same libxml2 (xmlsec refuses to import
#: otherwise): pip builds both from source against the system's libraries.
NO_BINARY = ["--no-binary", "lxml,xmlsec"]


def ensure_venv(odoo):
    """Create the virtual environment and install the Python dependencies.

    The environment is isolated from the system's site-packages, except for
    a packaged Odoo outside CI (see :func:`isolated_venv`). Odoo's own
    ``requirements.txt`` is installed when the source tree ships one and its
    dependencies are not importable yet. Safe to run again: a stamp records
    what was installed. It ends with an import check of lxml and xmlsec that
    rebuilds both from source when they link different libxml2 versions.
    """
    python = venv_python()
    isolated = isolated_venv(odoo)
    if python.exists() and isolated and _sees_system_site_packages(python):
        print(
            f"confirma: {VENV} sees the system's site-packages; rebuilding it "
            f"isolated",
            flush=True,
        )
        shutil.rmtree(VENV)
    if not python.exists():
        print(f"confirma: creating the Python environment in {VENV}", flush=True)
        cmd = [sys.executable, "-m", "venv", str(VENV)]
        if not isolated:
            cmd.insert(3, "--system-site-packages")
        _run(
            cmd,
            "Creating the virtual environment (python3 -m venv; on Debian install "
            "the 'python3-venv' package)",
        )
    purelib = subprocess.run(
        [
            str(python),
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    pth = Path(purelib) / "confirma-odoo.pth"
    if _importable_odoo(python) != odoo.package_dir:
        pth.write_text(f"{odoo.root}\n", encoding="utf-8")
    odoo_requirements = odoo.root / "requirements.txt"
    stamp = VENV / ".confirma-stamp"
    oca = ROOT / "requirements-odoo-addons.txt"
    # a new OCA addon in the requirements prepares the environment again
    wanted = _digest(REQUIREMENTS, oca, odoo_requirements, odoo.root)
    if stamp.exists() and stamp.read_text() == wanted:
        return python
    missing = missing_debian_packages(BUILD_PACKAGES)
    if missing and not apt_install(missing):
        print(
            f"confirma: warning: the Debian packages {' '.join(missing)} are missing; "
            f"building the Python dependencies may fail (install them with apt-get)",
            flush=True,
        )
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    if odoo_requirements.is_file() and not _odoo_deps_importable(python):
        print(
            f"confirma: installing Odoo's dependencies from {odoo_requirements}",
            flush=True,
        )
        _run(
            pip + NO_BINARY + ["-r", str(odoo_requirements)],
            "Installing Odoo's Python dependencies (Debian needs: "
            + " ".join(BUILD_PACKAGES)
            + ")",
        )
    print("confirma: installing the project's Python dependencies", flush=True)
    _run(
        pip + NO_BINARY + ["-r", str(REQUIREMENTS)],
        "Installing the project's Python dependencies",
    )
    if oca.is_file() and any(
        line.strip() and not line.lstrip().startswith("#")
        for line in oca.read_text(encoding="utf-8").splitlines()
    ):
        # OCA addons from PyPI declare Odoo itself as a dependency: with Odoo as
        # a source tree, pip must not try to install it.
        _run(pip + ["--no-deps", "-r", str(oca)], "Installing the OCA addons")
    ensure_xmlsec(python)
    missing = _odoo_deps_importable(python, report=True)
    if missing:
        raise SetupError(
            f"Odoo 18 is at {odoo.root}, but its Python dependencies are not all "
            f"installed ({missing}). Install them in this environment with "
            f"'{python} -m pip install -r <odoo 18.0 requirements.txt>' (Odoo's "
            f"official source ships that file), or use the official Docker image."
        )
    stamp.write_text(wanted)
    return python


#: Debian packages that Odoo's and the project's Python dependencies build
#: against (lxml and xmlsec from source, python-ldap, psycopg2).
BUILD_PACKAGES = (
    "build-essential",
    "pkg-config",
    "libxml2-dev",
    "libxslt1-dev",
    "libxmlsec1-dev",
    "libldap2-dev",
    "libsasl2-dev",
    "libpq-dev",
)

_XMLSEC_CHECK = (
    "import lxml.etree, xmlsec\n" "print(lxml.etree.__version__, xmlsec.__version__)\n"
)


def missing_debian_packages(packages):
    """The ``packages`` dpkg does not list as installed ([] off Debian)."""
    dpkg = shutil.which("dpkg-query")
    if not dpkg:
        return []
    missing = []
    for package in packages:
        proc = subprocess.run(
            [dpkg, "-W", "-f=${Status}", package], capture_output=True, text=True
        )
        if "install ok installed" not in proc.stdout:
            missing.append(package)
    return missing


def apt_install(packages):
    """Install Debian ``packages`` with apt-get when running as root.

    True when they are installed; False when this machine cannot (not root,
    no apt-get) or apt-get failed: the caller explains what is missing."""
    apt = shutil.which("apt-get")
    if not packages:
        return True
    if not apt or os.geteuid() != 0:
        return False
    print(f"confirma: installing {', '.join(packages)} (apt-get)", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run([apt, "update", "-qq"], env=env, check=False)
    proc = subprocess.run(
        [apt, "install", "-y", "-qq", "--no-install-recommends", *packages], env=env
    )
    return proc.returncode == 0


def _import_error(python, code):
    """``None`` when ``code`` runs, else the last line it printed (no traceback)."""
    proc = subprocess.run([str(python), "-c", code], capture_output=True, text=True)
    if proc.returncode == 0:
        return None
    lines = (proc.stderr or proc.stdout).strip().splitlines()
    return lines[-1] if lines else f"exit code {proc.returncode}"


def _installed_version(python, dist):
    code = f"import importlib.metadata as m; print(m.version({dist!r}))"
    proc = subprocess.run([str(python), "-c", code], capture_output=True, text=True)
    return proc.stdout.strip() if proc.returncode == 0 else None


def ensure_xmlsec(python):
    """Check that lxml and xmlsec import together; rebuild both if not.

    A binary lxml wheel bundles its own libxml2, and pip never rebuilds a
    version that is already installed: xmlsec then refuses to import ("lxml &
    xmlsec libxml2 library version mismatch"). Both are rebuilt from source
    against the system's libxml2, keeping their versions. Prints one line per
    step, never a traceback.
    """
    error = _import_error(python, _XMLSEC_CHECK)
    if error is None:
        return
    print(
        f"confirma: lxml and xmlsec do not import together ({error}); rebuilding "
        f"both from source against the system's libxml2",
        flush=True,
    )
    pins = []
    for dist in ("lxml", "xmlsec"):
        version = _installed_version(python, dist)
        pins.append(f"{dist}=={version}" if version else dist)
    reinstall = [
        str(python),
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "-q",
        "--force-reinstall",
        "--no-deps",
        *NO_BINARY,
        *pins,
    ]
    # pip's cache keeps the wheels it built from source on this machine: try
    # them first, then build again without the cache (a system libxml2 upgrade)
    for extra in ([], ["--no-cache-dir"]):
        proc = subprocess.run(reinstall + extra, capture_output=True, text=True)
        error = _import_error(python, _XMLSEC_CHECK)
        if proc.returncode == 0 and error is None:
            break
    else:
        output = (proc.stderr or proc.stdout).strip().splitlines()
        raise SetupError(
            f"lxml and xmlsec could not be rebuilt to link the same libxml2 "
            f"({error or (output[-1] if output else 'pip failed')}). Install the "
            f"Debian packages {' '.join(BUILD_PACKAGES)} and run the command again."
        )
    print("confirma: lxml and xmlsec rebuilt; they import together", flush=True)


def _sees_system_site_packages(python):
    cfg = Path(python).parent.parent / "pyvenv.cfg"
    try:
        text = cfg.read_text(encoding="utf-8")
    except OSError:
        return False
    return bool(re.search(r"include-system-site-packages\s*=\s*true", text, re.I))


def _odoo_deps_importable(python, report=False):
    code = (
        "import importlib, sys\n"
        "missing = []\n"
        "for m in ('babel', 'dateutil', 'decorator', 'docutils', 'jinja2', 'lxml', "
        "'markupsafe', 'passlib', 'PIL', 'psutil', 'psycopg2', 'pytz', 'reportlab', "
        "'requests', 'werkzeug', 'zeep', 'stdnum', 'openpyxl', 'xlsxwriter', 'qrcode', "
        "'rjsmin', 'polib', 'num2words', 'PyPDF2'):\n"
        "    try: importlib.import_module(m)\n"
        "    except Exception: missing.append(m)\n"
        "print(','.join(missing))\n"
    )
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True)
    missing = out.stdout.strip()
    return missing if report else not missing


# ---------------------------------------------------------------------------
# Odoo configuration
# ---------------------------------------------------------------------------


MASTER_PASSWORD = STATE_DIR / "master-password"


def master_password():
    """The master password of this checkout's Odoo (database manager, the
    ``db`` RPC service): random, generated at the first start into
    ``.confirma/master-password`` (mode 0600, outside git), never committed."""
    try:
        return MASTER_PASSWORD.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    import secrets  # noqa: PLC0415

    STATE_DIR.mkdir(exist_ok=True)
    password = secrets.token_urlsafe(24)
    fd = os.open(MASTER_PASSWORD, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")
    print(
        f"confirma: generated the master password of this checkout's Odoo in "
        f"{MASTER_PASSWORD}",
        flush=True,
    )
    return password


def addons_path(odoo):
    """The project's addons, then the OCA addons and Odoo's own."""
    return ",".join([str(ADDONS_DIR)] + [str(p) for p in odoo.addons_dirs])


def write_runtime_conf(odoo, path=RUNTIME_CONF, **overrides):
    """Write .confirma/odoo.conf: the project's odoo.conf for this machine.

    The project file is shared with docker-compose (paths of the container);
    here the addons path and data folder point at this checkout. The database
    connection comes from the usual PGHOST/PGPORT/PGUSER/PGPASSWORD variables.
    Odoo serves directly (no proxy in front: X-Forwarded-* headers are not
    trusted unless ``CONFIRMA_PROXY_MODE=1``), each command names its one
    database with ``-d`` (Odoo exposes only the databases of ``db_name`` when
    no dbfilter is set), and the master password is this checkout's own.
    """
    parser = configparser.RawConfigParser()
    parser.read(PROJECT_CONF, encoding="utf-8")
    if not parser.has_section("options"):
        parser.add_section("options")
    parser.set("options", "addons_path", addons_path(odoo))
    parser.set("options", "data_dir", str(STATE_DIR / "data"))
    for key in ("db_host", "db_port", "db_user", "db_password", "dbfilter"):
        if parser.has_option("options", key):
            parser.remove_option("options", key)
    behind_proxy = os.environ.get("CONFIRMA_PROXY_MODE", "") in ("1", "true", "True")
    parser.set("options", "proxy_mode", str(behind_proxy))
    parser.set("options", "admin_passwd", master_password())
    for key, value in overrides.items():
        parser.set("options", key, str(value))
    STATE_DIR.mkdir(exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(path, 0o600)  # it holds the master password
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("; Written by ./confirma from odoo.conf: do not edit.\n")
        parser.write(handle)
    return path
