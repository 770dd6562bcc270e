"""Generate each addon's README.rst from its readme/*.md fragments.

Like OCA's oca-gen-addon-readme (which is not published on PyPI): the
fragments are the source, README.rst is generated and never edited by hand.
Exits 1 when a file changed, so that pre-commit reports it.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = [
    ("DESCRIPTION", None),
    ("CONTEXT", "Use Cases / Context"),
    ("INSTALL", "Installation"),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("DEVELOP", "Development"),
    ("HISTORY", "Changelog"),
]


def _title(text, char):
    return f"{text}\n{char * len(text)}\n"


def render(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text(encoding="utf-8"))
    readme = addon / "readme"
    name = manifest["name"]
    out = [
        ".. Generated from readme/*.md by tools/gen_addon_readme.py: do not edit.\n",
        "=" * len(name) + "\n" + name + "\n" + "=" * len(name) + "\n",
        f"| Version {manifest['version']} | License {manifest['license']} | "
        f"{manifest.get('development_status', 'Beta')} |\n",
    ]
    toc = []
    for fragment, title in SECTIONS:
        path = readme / f"{fragment}.md"
        if not path.is_file():
            continue
        body = path.read_text(encoding="utf-8").strip() + "\n"
        if title:
            toc.append(title)
            out.append(_title(title, "="))
        out.append(body)
    credits = ["Authors\n~~~~~~~\n", f"* {manifest['author']}\n"]
    contributors = readme / "CONTRIBUTORS.md"
    if contributors.is_file():
        credits += [
            "Contributors\n~~~~~~~~~~~~\n",
            contributors.read_text().strip() + "\n",
        ]
    out.append(_title("Credits", "="))
    out += credits
    return "\n".join(out)


def main():
    changed = []
    for manifest in sorted((ROOT / "addons").glob("*/__manifest__.py")):
        addon = manifest.parent
        target = addon / "README.rst"
        text = render(addon)
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            changed.append(str(target.relative_to(ROOT)))
    for path in changed:
        print(f"generated {path}")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
