"""Run Confirm@'s benchmarks and write bench/results.json.

Each ``bench/bench_<group>.py`` defines ``run(ctx)`` returning a dict of named
figures. Benchmarks work on scratch databases they create and drop. The merged
figures go to bench/results.json (one flat JSON object) and to the table
between the ``bench:start``/``bench:end`` markers of the README.

Called by ``./confirma bench [--only GROUP]`` (``make bench [ONLY=GROUP]``),
inside the project's environment. Each group runs in a sub-process of its own
(``--group GROUP --out FILE``): Odoo parses its configuration once per
process, and a group that fails or dies does not stop the others.
"""

import argparse
import contextlib
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
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


def run_group(conf, group, out):
    """Run one group in this process and write its figures to ``out``."""
    module = discover()[group]
    figures = module.run(Context(conf))
    Path(out).write_text(json.dumps(figures), encoding="utf-8")


def run_isolated(conf, group):
    """Run ``group`` in a sub-process; its figures, or None if it failed."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"{group}.json"
        cmd = [sys.executable, __file__, "--config", conf, "--group", group]
        proc = subprocess.run(cmd + ["--out", str(out)], cwd=ROOT)
        if proc.returncode or not out.is_file():
            return None
        return json.loads(out.read_text(encoding="utf-8"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--only")
    parser.add_argument("--group", help=argparse.SUPPRESS)  # one group, in-process
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    groups = sorted(p.stem[len("bench_") :] for p in HERE.glob("bench_*.py"))
    if args.group:
        run_group(args.config, args.group, args.out)
        return
    if args.only and args.only not in groups:
        sys.exit(f"bench: no group '{args.only}'; groups: {', '.join(groups)}")
    # one group refreshes its figures; a full run writes only what it measured
    results = json.loads(RESULTS.read_text()) if RESULTS.is_file() and args.only else {}
    failed = []
    for group in groups:
        if args.only and group != args.only:
            continue
        print(f"bench: {group}", flush=True)
        started = time.perf_counter()
        figures = run_isolated(args.config, group)
        elapsed = time.perf_counter() - started
        if figures is None:
            print(f"bench: {group} FAILED after {elapsed:.1f}s (see above)", flush=True)
            failed.append(group)
            continue
        print(f"bench: {group} done in {elapsed:.1f}s: {figures}", flush=True)
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
    if failed:
        sys.exit(f"bench: failed groups: {', '.join(failed)} (other figures written)")


if __name__ == "__main__":
    main()
