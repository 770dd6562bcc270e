"""Deployment defaults: no master password in the repository, no database
list, the database filter and the proxy mode; the master password of a
checkout or a container is generated at its first start and kept private."""

import configparser
import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from confirma import environment as envmod  # noqa: E402

ENTRYPOINT = ROOT / "docker" / "odoo" / "confirma-entrypoint"


def _options(path):
    parser = configparser.RawConfigParser()
    parser.read(path, encoding="utf-8")
    return dict(parser.items("options"))


def test_repository_holds_no_master_password_and_no_database_list():
    options = _options(ROOT / "odoo.conf")
    assert "admin_passwd" not in options
    assert options["list_db"] == "False"
    assert options["dbfilter"] == "^confirma_demo$"
    assert options["proxy_mode"] == "True"  # docker-compose: behind the proxy
    tracked = subprocess.run(
        ["git", "grep", "-n", "-I", "-i", "-e", "confirma" + "-admin", "--", "."],
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    assert tracked == "", tracked


def test_runtime_conf_has_the_checkouts_own_master_password(tmp_path, monkeypatch):
    """./confirma's configuration: a random master password kept in
    .confirma (0600), the same at every start; Odoo serves directly, so it
    does not trust X-Forwarded-* and each command names its database (-d)."""
    monkeypatch.setattr(envmod, "STATE_DIR", tmp_path)
    monkeypatch.setattr(envmod, "MASTER_PASSWORD", tmp_path / "master-password")
    monkeypatch.delenv("CONFIRMA_PROXY_MODE", raising=False)

    class FakeOdoo:  # only the paths write_runtime_conf reads
        addons_dirs = [tmp_path / "odoo" / "addons"]

    conf = envmod.write_runtime_conf(FakeOdoo(), path=tmp_path / "odoo.conf")
    options = _options(conf)
    secret = (tmp_path / "master-password").read_text().strip()
    assert len(secret) >= 32
    assert options["admin_passwd"] == secret
    assert options["proxy_mode"] == "False"
    assert "dbfilter" not in options
    assert options["list_db"] == "False"
    for path in (conf, tmp_path / "master-password"):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
    again = envmod.write_runtime_conf(FakeOdoo(), path=tmp_path / "odoo.conf")
    assert _options(again)["admin_passwd"] == secret
    monkeypatch.setenv("CONFIRMA_PROXY_MODE", "1")
    behind = envmod.write_runtime_conf(FakeOdoo(), path=tmp_path / "odoo.conf")
    assert _options(behind)["proxy_mode"] == "True"


def test_container_entrypoint_generates_and_keeps_the_master_password(tmp_path):
    base = tmp_path / "base.conf"
    base.write_text("[options]\nlist_db = False\nadmin_passwd = leaked\n")
    env = dict(
        os.environ,
        CONFIRMA_BASE_CONF=str(base),
        ODOO_RC=str(tmp_path / "odoo.conf"),
        CONFIRMA_MASTER_PASSWORD_FILE=str(tmp_path / "secret"),
        CONFIRMA_NEXT_ENTRYPOINT="echo",
    )
    first = subprocess.run(
        ["sh", str(ENTRYPOINT), "odoo", "--stop-after-init"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert first.stdout.strip() == "odoo --stop-after-init"  # handed over
    assert "generated the master password" in first.stderr
    secret = (tmp_path / "secret").read_text().strip()
    assert len(secret) >= 32 and "leaked" not in secret
    options = _options(tmp_path / "odoo.conf")
    assert options["admin_passwd"] == secret
    assert options["list_db"] == "False"
    assert stat.S_IMODE(os.stat(tmp_path / "secret").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "odoo.conf").st_mode) == 0o600
    second = subprocess.run(
        ["sh", str(ENTRYPOINT)], env=env, capture_output=True, text=True, check=True
    )
    assert second.stderr == ""
    assert _options(tmp_path / "odoo.conf")["admin_passwd"] == secret
    dockerfile = (ROOT / "docker" / "odoo" / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["/usr/local/bin/confirma-entrypoint"]' in dockerfile


def test_job_runner_and_channels():
    """queue_job is loaded server-wide (its job runner starts with Odoo, for
    ./confirma and in the containers), and the configuration gives a
    capacity to every channel the addons declare."""
    import re  # noqa: PLC0415

    parser = configparser.RawConfigParser()
    parser.read(ROOT / "odoo.conf", encoding="utf-8")
    modules = parser.get("options", "server_wide_modules").split(",")
    assert {"base", "web", "queue_job"} <= set(modules)
    capacities = dict(
        item.split(":", 1) for item in parser.get("queue_job", "channels").split(",")
    )
    assert int(capacities["root"]) >= 2
    declared = set()
    names = {"channel_root": "root"}
    for path in sorted(ROOT.glob("addons/*/data/queue_job_channel_data.xml")):
        text = path.read_text()
        for xmlid, name, parent in re.findall(
            r'<record id="(\w+)" model="queue.job.channel">\s*'
            r'<field name="name">(\w+)</field>\s*'
            r'<field name="parent_id" ref="(?:\w+\.)?(\w+)" />',
            text,
        ):
            names[xmlid] = f"{names[parent]}.{name}"
            declared.add(names[xmlid])
    assert {
        "root.confirma",
        "root.confirma.import",
        "root.confirma.interop",
    } <= declared
    assert declared <= set(capacities), declared - set(capacities)
