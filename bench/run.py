"""Run Confirm@'s benchmarks and write bench/results.json.

Each ``bench/bench_<group>.py`` defines ``run(ctx)`` returning a dict of named
figures. Benchmarks work on scratch databases they create and drop. The merged
figures go to bench/results.json (one flat JSON object) and to the table
between the ``bench:start``/``bench:end`` markers of the README.

Called by ``./confirma bench [--only GROUP]`` (``make bench [ONLY=GROUP]``),
inside the project's environment.
"""

import argparse
import contextlib
import importlib.util
import json
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tools"))

from confirma import cli, environment, postgres  # noqa: E402

RESULTS = HERE / "results.json"
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


class Context:
    """What a benchmark gets: the Odoo configuration and scratch databases."""

    def __init__(self, conf):
        self.conf = conf
        self.addons = environment.ADDONS
        self.root = ROOT

    @contextlib.contextmanager
    def scratch_db(self, name, modules=None, demo=False):
        """A fresh database with ``modules`` installed, dropped afterwards."""
        name = f"confirma_bench_{name}"
        cli.db_drop(self.conf, name)
        try:
            cli.db_init(self.conf, name, demo, modules=modules)
            yield name
        finally:
            cli.db_drop(self.conf, name)

    def init_db(self, name, modules=None, demo=False):
        cli.db_init(self.conf, name, demo, modules=modules)

    def drop_db(self, name):
        cli.db_drop(self.conf, name)

    @staticmethod
    def database_exists(name):
        return postgres.database_exists(name)


def discover():
    groups = {}
    for path in sorted(HERE.glob("bench_*.py")):
        group = path.stem[len("bench_") :]
        spec = importlib.util.spec_from_file_location(f"bench_{group}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        groups[group] = module
    return groups


def update_readme(results):
    if not README.is_file():
        return
    text = README.read_text(encoding="utf-8")
    if START not in text or END not in text:
        return
    rows = ["| figure | value |", "| --- | ---: |"]
    for key in sorted(results):
        if key.startswith("_"):
            continue
        value = results[key]
        shown = f"{value:,.2f}" if isinstance(value, float) else f"{value:,}"
        rows.append(f"| `{key}` | {shown} |")
    meta = results.get("_machine", "")
    table = "\n".join(rows)
    block = f"{START}\n{table}\n\nMeasured on: {meta}\n{END}"
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    README.write_text(before + block + after, encoding="utf-8")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--only")
    args = parser.parse_args()
    groups = discover()
    if args.only and args.only not in groups:
        sys.exit(f"bench: no group '{args.only}'; groups: {', '.join(groups)}")
    ctx = Context(args.config)
    results = json.loads(RESULTS.read_text()) if RESULTS.is_file() and args.only else {}
    for group, module in groups.items():
        if args.only and group != args.only:
            continue
        print(f"bench: {group}", flush=True)
        started = time.perf_counter()
        figures = module.run(ctx)
        print(f"bench: {group} done in {time.perf_counter() - started:.1f}s: {figures}")
        results.update(figures)
    pg = postgres.ensure_postgres()
    results["_machine"] = (
        f"{os.cpu_count()} cores {platform.machine()}, Python "
        f"{platform.python_version()}, PostgreSQL {pg // 10000}, "
        f"{time.strftime('%Y-%m-%d')}"
    )
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    update_readme(results)
    print(json.dumps(results, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
