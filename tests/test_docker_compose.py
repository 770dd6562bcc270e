"""docker-compose.yml is valid for a compose tool and wires what the README says."""

import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
ADDONS = "confirma_citizen,confirma_tramites,confirma_interop,confirma_surveys"


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
        assert any("/etc/odoo/odoo.conf" in v for v in volumes), name
        assert services[name]["environment"]["HOST"] == "db"
    assert f"--init={ADDONS}" in services["init"]["command"]
    assert "--stop-after-init" in services["init"]["command"]
    depends = services["odoo"]["depends_on"]
    assert depends["init"]["condition"] == "service_completed_successfully"
    assert depends["db"]["condition"] == "service_healthy"
    assert any("8069" in str(p) for p in services["odoo"]["ports"])
    simulator = services["simulator"]
    assert "/mnt/extra-addons/confirma_interop/scsp/serve.py" in simulator["command"]
    assert simulator["healthcheck"]["test"]
    assert services["init"]["environment"]["CONFIRMA_SIMULATOR_URL"].startswith(
        "http://simulator:8070/"
    )


def test_odoo_conf_matches_the_container():
    text = (ROOT / "odoo.conf").read_text()
    assert "addons_path = /mnt/extra-addons" in text
