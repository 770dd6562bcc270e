"""Export each addon's translation template and merge it into es.po and ca.po.

Run inside the environment (polib and Odoo are importable there) on a database
where the addons are installed: ``./confirma i18n --db NAME``.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

import polib

from . import environment as envmod

LANGUAGES = ("es", "ca")


def export_pot(conf, db, addon):
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / f"{addon}.pot"
        cmd = [
            sys.executable,
            "-m",
            "odoo",
            "-c",
            str(conf),
            "-d",
            db,
            f"--i18n-export={target}",
            f"--modules={addon}",
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
        ]
        subprocess.run(cmd, check=True, cwd=envmod.ROOT)
        return polib.pofile(str(target))


def merge(pot, po_path, lang):
    """Entries of ``pot``, keeping the translations ``po_path`` already has."""
    old = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
    known = {(e.msgctxt, e.msgid): e for e in old}
    new = polib.POFile(wrapwidth=78)
    new.metadata = {
        "Project-Id-Version": "Odoo Server 18.0",
        "Last-Translator": "",
        "Language-Team": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "",
        "Language": lang,
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    for entry in pot:
        previous = known.get((entry.msgctxt, entry.msgid))
        entry.msgstr = previous.msgstr if previous else ""
        new.append(entry)
    return new


def run(conf, db, addons):
    untranslated = 0
    for addon in addons:
        folder = envmod.ADDONS_DIR / addon / "i18n"
        folder.mkdir(exist_ok=True)
        pot = export_pot(conf, db, addon)
        pot.save(str(folder / f"{addon}.pot"))
        for lang in LANGUAGES:
            po = merge(pot, folder / f"{lang}.po", lang)
            po.save(str(folder / f"{lang}.po"))
            missing = [e for e in po if not e.msgstr]
            untranslated += len(missing)
            print(f"{addon}/{lang}.po: {len(po)} terms, {len(missing)} untranslated")
    return untranslated
