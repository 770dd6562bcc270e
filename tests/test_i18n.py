"""Every user-facing term of every addon is translated to Spanish and Catalan.

The .pot templates are exported from Odoo (``./confirma i18n --db NAME``); this
checks that es.po and ca.po cover them completely.
"""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
ADDONS = sorted(p.parent.name for p in (ROOT / "addons").glob("*/__manifest__.py"))


@pytest.mark.parametrize("addon", ADDONS)
@pytest.mark.parametrize("lang", ["es", "ca"])
def test_translations_complete(addon, lang):
    folder = ROOT / "addons" / addon / "i18n"
    pot = polib.pofile(str(folder / f"{addon}.pot"))
    po = polib.pofile(str(folder / f"{lang}.po"))
    translated = {
        (e.msgctxt, e.msgid): e.msgstr for e in po if e.msgstr and not e.obsolete
    }
    missing = [e.msgid for e in pot if not translated.get((e.msgctxt, e.msgid))]
    assert not missing, f"{addon}/{lang}.po lacks: {missing}"
    assert len(pot) > 0
    for entry in po:
        if "%(" in entry.msgid:
            names = sorted(set(_placeholders(entry.msgid)))
            assert names == sorted(set(_placeholders(entry.msgstr))), entry.msgid


def _placeholders(text):
    import re

    return re.findall(r"%\((\w+)\)s", text)
