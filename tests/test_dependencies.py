"""Every Python module the project imports is declared.

A fresh machine has only what the declared files install: Odoo 18's official
``requirements.txt``, the project's ``requirements.txt`` and the OCA addons of
``requirements-odoo-addons.txt``. A module imported by an addon, the command
line, the benchmarks or the tests, or named in a manifest's
``external_dependencies``, that none of them declares works on a developer's
machine and fails on the town hall's ("External dependency xmlsec not
installed").
"""

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from confirma import environment as envmod  # noqa: E402

SOURCES = ("addons", "tools", "bench", "tests", "conftest.py")


def _normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_distributions(files):
    """Normalized distribution names of requirement files (options skipped)."""
    names = set()
    for path in files:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if not line or line.startswith("-"):
                continue
            names.add(_normalize(re.split(r"[<>=!~;\[ ]", line, maxsplit=1)[0]))
    return names


def requirement_files():
    odoo = envmod.find_odoo()
    official = odoo.root / "requirements.txt"
    if not official.is_file():  # a packaged Odoo: the official pins beside
        official = ROOT.parent / "shared" / "odoo18-requirements.txt"
    return [
        official,
        ROOT / "requirements.txt",
        ROOT / "requirements-odoo-addons.txt",
    ]


def local_names(root):
    """Modules and packages of the project itself (never a dependency)."""
    names = {"odoo"}
    for source in SOURCES:
        base = root / source
        paths = base.rglob("*") if base.is_dir() else [base]
        for path in paths:
            if path.suffix == ".py":
                names.add(path.stem)
            elif path.is_dir():
                names.add(path.name)
    return names


def imported_modules(root):
    """{top-level module: first file importing it} over the project's code."""
    found = {}
    for source in SOURCES:
        base = root / source
        files = sorted(base.rglob("*.py")) if base.is_dir() else [base]
        for path in files:
            if not path.is_file():
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and not node.level:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name.split(".")[0], path.relative_to(root))
    return found


def undeclared(root, declared):
    """Imports and manifest dependencies that no requirement file declares."""
    problems = []
    stdlib = set(sys.stdlib_module_names)
    local = local_names(root)
    distributions = importlib.metadata.packages_distributions()
    for module, path in sorted(imported_modules(root).items()):
        if module in stdlib or module in local:
            continue
        dists = distributions.get(module)
        if not dists:
            problems.append(f"{path}: imports '{module}', which nothing installs")
        elif not any(_normalize(dist) in declared for dist in dists):
            problems.append(
                f"{path}: imports '{module}' (from {', '.join(dists)}), declared in "
                f"no requirements file"
            )
    for manifest in sorted(root.glob("addons/*/__manifest__.py")):
        data = ast.literal_eval(manifest.read_text(encoding="utf-8"))
        for name in data.get("external_dependencies", {}).get("python", []):
            if _normalize(name) not in declared:
                problems.append(
                    f"{manifest.relative_to(root)}: external dependency '{name}' is "
                    f"declared in no requirements file"
                )
    return problems


def test_every_import_and_external_dependency_is_declared():
    declared = declared_distributions(requirement_files())
    assert "xmlsec" in declared and "lxml" in declared
    problems = undeclared(ROOT, declared)
    assert not problems, "\n".join(problems)


def test_the_check_finds_an_undeclared_module(tmp_path):
    """The check itself: a manifest dependency and an import that no file
    declares are both reported; declared ones and the stdlib are not."""
    addon = tmp_path / "addons" / "confirma_example"
    (addon / "models").mkdir(parents=True)
    (addon / "__manifest__.py").write_text(
        '{"name": "x", "external_dependencies": {"python": ["xmlsec", "lxml"]}}'
    )
    (addon / "models" / "thing.py").write_text(
        "import os\nimport lxml.etree\nimport xmlsec\nfrom . import other\n"
        "from odoo import models\n"
    )
    (addon / "models" / "other.py").write_text("import yaml\n")
    problems = undeclared(tmp_path, {"lxml", "pyyaml"})
    assert len(problems) == 2, problems
    assert "imports 'xmlsec'" in problems[0] or "imports 'xmlsec'" in problems[1]
    assert any("external dependency 'xmlsec'" in p for p in problems)
    assert undeclared(tmp_path, {"lxml", "pyyaml", "xmlsec"}) == []
