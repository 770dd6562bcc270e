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


def ensure_venv(odoo):
    """Create the virtual environment and install the Python dependencies.

    The environment sees the system's site-packages, where a packaged Odoo
    (Debian package, Docker image) keeps its dependencies. Odoo's own
    ``requirements.txt`` is installed when the source tree ships one and its
    dependencies are not importable yet. Safe to run again: a stamp records
    what was installed.
    """
    python = venv_python()
    if not python.exists():
        print(f"confirma: creating the Python environment in {VENV}", flush=True)
        _run(
            [sys.executable, "-m", "venv", "--system-site-packages", str(VENV)],
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
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    if odoo_requirements.is_file() and not _odoo_deps_importable(python):
        print(
            f"confirma: installing Odoo's dependencies from {odoo_requirements}",
            flush=True,
        )
        _run(
            pip + ["-r", str(odoo_requirements)],
            "Installing Odoo's Python dependencies",
        )
    print("confirma: installing the project's Python dependencies", flush=True)
    _run(
        pip + ["-r", str(REQUIREMENTS)], "Installing the project's Python dependencies"
    )
    if oca.is_file() and any(
        line.strip() and not line.lstrip().startswith("#")
        for line in oca.read_text(encoding="utf-8").splitlines()
    ):
        # OCA addons from PyPI declare Odoo itself as a dependency: with Odoo as
        # a source tree, pip must not try to install it.
        _run(pip + ["--no-deps", "-r", str(oca)], "Installing the OCA addons")
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


def write_runtime_conf(odoo, **overrides):
    """Write .confirma/odoo.conf: the project's odoo.conf for this machine.

    The project file is shared with docker-compose (paths of the container);
    here the addons path and data folder point at this checkout. The database
    connection comes from the usual PGHOST/PGPORT/PGUSER/PGPASSWORD variables.
    """
    parser = configparser.RawConfigParser()
    parser.read(PROJECT_CONF, encoding="utf-8")
    if not parser.has_section("options"):
        parser.add_section("options")
    addons = [str(ADDONS_DIR)] + [str(p) for p in odoo.addons_dirs]
    parser.set("options", "addons_path", ",".join(addons))
    parser.set("options", "data_dir", str(STATE_DIR / "data"))
    for key in ("db_host", "db_port", "db_user", "db_password"):
        if parser.has_option("options", key):
            parser.remove_option("options", key)
    for key, value in overrides.items():
        parser.set("options", key, str(value))
    STATE_DIR.mkdir(exist_ok=True)
    with open(RUNTIME_CONF, "w", encoding="utf-8") as handle:
        handle.write("; Written by ./confirma from odoo.conf: do not edit.\n")
        parser.write(handle)
    return RUNTIME_CONF
