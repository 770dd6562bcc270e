"""Cross-addon checks of the project's layout and manifests."""

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADDONS = [
    "confirma_citizen",
    "confirma_tramites",
    "confirma_interop",
    "confirma_surveys",
    "confirma_legal",
    "confirma_network",
]
EXPECTED_DEPENDS = {
    "confirma_citizen": set(),
    "confirma_tramites": {"confirma_citizen"},
    "confirma_interop": {"confirma_tramites"},
    "confirma_surveys": {"confirma_tramites"},
    "confirma_legal": {"confirma_interop"},
    "confirma_network": {"confirma_tramites", "confirma_surveys"},
}
ENTERPRISE = {
    "marketing_automation",
    "web_enterprise",
    "web_studio",
    "documents",
    "sign",
    "helpdesk",
    "spreadsheet_edition",
    "account_accountant",
}


def _manifest(addon):
    return ast.literal_eval((ROOT / "addons" / addon / "__manifest__.py").read_text())


def test_manifests():
    for addon in ADDONS:
        manifest = _manifest(addon)
        version = manifest["version"]
        assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", version), addon
        if version != "18.0.1.0.0":  # a bump comes with its migration
            migration = ROOT / "addons" / addon / "migrations" / version
            assert any(migration.glob("*-migrate.py")), f"{addon}: {migration}"
        assert manifest["license"] in ("AGPL-3", "LGPL-3"), addon
        assert manifest["installable"] is True
        confirma_deps = {d for d in manifest["depends"] if d.startswith("confirma_")}
        assert confirma_deps == EXPECTED_DEPENDS[addon], addon
        assert not ENTERPRISE & set(manifest["depends"]), addon
        for key, value in manifest.items():
            assert value not in ("", [], {}, None), f"{addon}: empty manifest key {key}"
        for path in manifest.get("data", []) + manifest.get("demo", []):
            assert (ROOT / "addons" / addon / path).is_file(), f"{addon}: {path}"


def test_addon_layout():
    for addon in ADDONS:
        folder = ROOT / "addons" / addon
        for needed in (
            "readme/DESCRIPTION.md",
            "i18n/es.po",
            "i18n/ca.po",
            "tests/__init__.py",
            "tests/common.py",
            "security/ir.model.access.csv",
            "static/description/icon.png",
        ):
            assert (folder / needed).is_file(), f"{addon}: {needed} is missing"


def test_readme_screenshots():
    """The README shows every screenshot ``./confirma screenshots`` takes, at
    both sizes, and nothing it does not take."""
    sys.path.insert(0, str(ROOT / "tools"))
    from confirma import screenshots  # noqa: PLC0415

    shown = set(
        re.findall(
            r"\]\((docs/screenshots/[\w-]+\.png)\)", (ROOT / "README.md").read_text()
        )
    )
    taken = {
        f"docs/screenshots/{path.name}"
        for path in (ROOT / "docs" / "screenshots").glob("*.png")
    }
    assert taken, "no screenshot in docs/screenshots"
    assert shown == taken
    screens = {name.split("/")[-1].rsplit("-", 1)[0] for name in shown}
    for screen in screens:
        for viewport in screenshots.VIEWPORTS:
            assert f"docs/screenshots/{screen}-{viewport}.png" in shown
    for screen in (
        "resident-form", "procedure-rules", "case-form", "campaign-form",
        "indicators-dashboard", "letter", "confirm-1-birthdate", "confirm-2-offer",
        "confirm-3-receipt", "transparency",
    ):  # fmt: skip
        assert screen in screens
