"""Project-wide pytest rules for the Confirm@ test run.

- A skipped test proves nothing: any skip (HttpCase without a server, a browser
  test without Chromium, a missing package) fails the run.
- Every Confirm@ addon must have run at least one test.
"""

from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent
ADDONS = sorted(
    p.name for p in (ROOT / "addons").iterdir() if (p / "__manifest__.py").exists()
)


def _addon_of(nodeid):
    parts = nodeid.split("/")
    if len(parts) > 2 and parts[0] == "addons":
        return parts[1]
    return "tests (cross-addon)" if parts[0] == "tests" else parts[0]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    stats = terminalreporter.stats
    if not stats.get("passed") and not stats.get("failed") and not stats.get("skipped"):
        return
    ran = Counter(_addon_of(r.nodeid) for r in stats.get("passed", []))
    ran.update(_addon_of(r.nodeid) for r in stats.get("failed", []))
    terminalreporter.section("tests per addon")
    for name in ADDONS + ["tests (cross-addon)"]:
        terminalreporter.write_line(f"{name:<24} {ran.get(name, 0):>5}")


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or session.config.option.collectonly:
        return
    problems = []
    skipped = reporter.stats.get("skipped", [])
    if skipped:
        problems.append(
            f"{len(skipped)} test(s) were skipped; a skipped test is a failure here"
        )
    selected = bool(session.config.option.keyword or session.config.option.markexpr)
    explicit = [a for a in session.config.args if a not in ("addons", "tests")]
    if not selected and not explicit:
        ran = Counter(
            _addon_of(r.nodeid)
            for key in ("passed", "failed")
            for r in reporter.stats.get(key, [])
        )
        missing = [name for name in ADDONS if not ran.get(name)]
        if missing:
            problems.append(f"no test ran for {', '.join(missing)}")
    if problems and session.exitstatus == 0:
        for problem in problems:
            reporter.write_line(f"FAILED: {problem}", red=True, bold=True)
        session.exitstatus = 1
