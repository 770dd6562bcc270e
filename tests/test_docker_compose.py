"""docker-compose.yml is valid for a compose tool and wires what the README says."""

import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
ADDONS = (
    "confirma_citizen,confirma_tramites,confirma_interop,confirma_surveys,"
    "confirma_legal,confirma_network"
)


def _config():
    tool = shutil.which("docker-compose")
    assert tool, "docker-compose is needed to validate docker-compose.yml"
    proc = subprocess.run(
        [tool, "-f", str(ROOT / "docker-compose.yml"), "config"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    return yaml.safe_load(proc.stdout)


def test_compose_file_validates_and_wires_services():
    config = _config()
    services = config["services"]
    assert services["db"]["image"] == "postgres:16"
    # the official image plus python3-xmlsec (docker/odoo/Dockerfile)
    dockerfile = (ROOT / "docker" / "odoo" / "Dockerfile").read_text()
    assert "FROM odoo:18" in dockerfile and "python3-xmlsec" in dockerfile
    for name in ("odoo", "init", "simulator"):
        assert services[name]["image"] == "confirma-odoo:18", name
        assert str(services[name]["build"]["context"]).endswith("docker/odoo"), name
    for name in ("db", "odoo"):
        assert services[name]["healthcheck"]["test"], name
    for name in ("odoo", "init"):
        volumes = [str(v) for v in services[name]["volumes"]]
        assert any("/mnt/extra-addons" in v and "addons" in v for v in volumes), name
        assert any("/etc/odoo/confirma-base.conf" in v for v in volumes), name
        assert services[name]["environment"]["HOST"] == "db"
    assert f"--init={ADDONS}" in services["init"]["command"]
    assert "--stop-after-init" in services["init"]["command"]
    # the residents' languages active, with the addons' translations
    assert "--load-language=es_ES,ca_ES" in services["init"]["command"]
    depends = services["odoo"]["depends_on"]
    assert depends["init"]["condition"] == "service_completed_successfully"
    assert depends["db"]["condition"] == "service_healthy"
    simulator = services["simulator"]
    # the addon's Odoo command, found through the addons path given first
    command = simulator["command"]
    assert command[0] == "odoo"
    assert command[1].startswith("--addons-path=/mnt/extra-addons")
    assert command[2:4] == ["confirma-interop", "simulate"]
    assert simulator["healthcheck"]["test"]
    assert services["init"]["environment"]["CONFIRMA_SIMULATOR_URL"].startswith(
        "http://simulator:8070/"
    )


def test_odoo_conf_matches_the_container():
    text = (ROOT / "odoo.conf").read_text()
    assert "addons_path = /mnt/extra-addons" in text


def test_only_the_proxy_is_published():
    """Odoo, PostgreSQL and the simulator are reachable through the proxy
    only (or not at all): the proxy is the one service with ports, Odoo and
    the database are on the internal network, the simulator only there."""
    config = _config()
    services = config["services"]
    published = sorted(name for name, svc in services.items() if svc.get("ports"))
    assert published == ["proxy"]
    assert any("8069" in str(p) for p in services["proxy"]["ports"])
    assert services["proxy"]["image"].startswith("nginx:")
    assert config["networks"]["internal"]["internal"] is True
    assert list(services["simulator"]["networks"]) == ["internal"]
    assert list(services["db"]["networks"]) == ["internal"]
    assert "public" not in services["simulator"]["networks"]
    assert set(services["proxy"]["networks"]) == {"public"}
    assert services["odoo"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_proxy_blocks_the_database_manager_and_limits_the_page():
    conf = (ROOT / "docker" / "proxy" / "nginx.conf").read_text()
    assert "location ~* ^/web/database(/|$)" in conf
    assert "location ~* ^/xmlrpc/(2/)?db(/|$)" in conf
    assert conf.count("return 404;") >= 2
    assert "limit_req_zone" in conf and "limit_req zone=confirma_page" in conf
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host"):
        assert f"proxy_set_header {header}" in conf
    assert "8070" not in conf  # the simulator is never proxied


def test_several_nodes_and_one_job_runner():
    """Two Odoo services share the database and the filestore: "odoo" runs
    the job runner, which hands the jobs to every node through the proxy's
    internal port; "odoo-node" (replicas) runs none. The job queue's entry
    point is not reachable from outside."""
    services = _config()["services"]
    main, node = services["odoo"], services["odoo-node"]
    assert main["environment"]["ODOO_QUEUE_JOB_HOST"] == "proxy"
    assert str(main["environment"]["ODOO_QUEUE_JOB_PORT"]) == "8080"
    assert "ODOO_QUEUE_JOB_CHANNELS" not in main["environment"]
    assert node["environment"]["ODOO_QUEUE_JOB_CHANNELS"] == "root:0"
    assert node["deploy"]["replicas"] >= 1
    assert [str(v) for v in node["volumes"]] == [str(v) for v in main["volumes"]]
    assert "odoo-node" in services["proxy"]["depends_on"]
    published = [str(p.get("target")) for p in services["proxy"]["ports"]]
    assert published == ["80"]  # 8080 stays internal
    nginx = (ROOT / "docker" / "proxy" / "nginx.conf").read_text()
    assert "server odoo:8069;" in nginx and "server odoo-node:8069;" in nginx
    public, internal = nginx.split("listen 8080;")
    assert "location ^~ /queue_job/ {\n        return 404;" in public
    assert "location = /queue_job/runjob" in internal
