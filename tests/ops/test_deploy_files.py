"""The files in deploy/ as an operator's tools read them: compose (current and Debian's 1.29),
systemd, and the lock file the image installs from. No container engine is needed."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.ops.helpers import ROOT

DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service")) + sorted(
    (DEPLOY / "systemd").glob("*.timer")
)
# The schema docker-compose 1.29.2 validates with: Debian 12's and Ubuntu's `docker-compose`
# package. Taken from that release (Apache-2.0); it refuses a top-level `name:`, for one.
COMPOSE_1_29_SCHEMA = Path(__file__).parent / "schemas" / "compose-1.29.2.json"


def check_jsonschema() -> str:
    """The check-jsonschema command of this Python's environment (a dev dependency), or skip."""
    beside = Path(sys.executable).parent / "check-jsonschema"
    found = str(beside) if beside.exists() else shutil.which("check-jsonschema")
    if found is None:
        pytest.skip("check-jsonschema is not installed (pip install -e '.[dev]')")
    return found


@pytest.mark.parametrize(
    "schema",
    [["--builtin-schema", "vendor.compose-spec"], ["--schemafile", str(COMPOSE_1_29_SCHEMA)]],
    ids=["compose-spec", "docker-compose-1.29"],
)
def test_compose_file_matches_the_compose_schema(schema):
    result = subprocess.run(
        [check_jsonschema(), *schema, str(DEPLOY / "compose.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="no docker-compose here")
def test_debians_docker_compose_reads_the_file(tmp_path):
    # `config` parses, validates and fills in the file without a Docker engine.
    deploy = tmp_path / "deploy"
    shutil.copytree(DEPLOY, deploy)
    settings = (DEPLOY / "env.example").read_text()

    def config(token: str) -> subprocess.CompletedProcess:
        (deploy / ".env").write_text(settings.replace("BOT_TOKEN=\n", f"BOT_TOKEN={token}\n"))
        return subprocess.run(
            ["docker-compose", "--profile", "caddy", "config"],
            cwd=deploy,
            capture_output=True,
            text=True,
            timeout=120,
        )

    result = config("123456:TEST")
    assert result.returncode == 0, result.stderr
    assert "name: landgenoot_data" in result.stdout
    refused = config("")
    assert refused.returncode != 0 and "set BOT_TOKEN in deploy/.env" in refused.stderr


def test_compose_keeps_the_data_in_the_volume_the_guide_names():
    compose = (DEPLOY / "compose.yaml").read_text()
    assert "name: ${COMPOSE_PROJECT_NAME:-landgenoot}_data" in compose
    assert "COMPOSE_PROJECT_NAME=landgenoot" in (DEPLOY / "env.example").read_text()
    assert "landgenoot_data" in (DEPLOY / "README.md").read_text()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_units_verify(tmp_path):
    # verify checks that ExecStart's program exists: give it one at the path the units name,
    # by rewriting /opt/landgenoot to a stand-in folder.
    code = tmp_path / "opt" / "landgenoot"
    (code / ".venv" / "bin").mkdir(parents=True)
    (code / ".venv" / "bin" / "python").symlink_to(sys.executable)
    units = tmp_path / "units"
    units.mkdir()
    for unit in UNITS:
        text = unit.read_text().replace("/opt/landgenoot", str(code))
        (units / unit.name).write_text(text)
    # A template (landgenoot@.service) is verified through one of its instances.
    names = []
    for unit in UNITS:
        name = unit.name.replace("@.", "@example.")
        if name != unit.name:
            (units / name).symlink_to(units / unit.name)
        names.append(str(units / name))
    assert any("@example." in name for name in names)
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *names],
        capture_output=True,
        text=True,
        timeout=120,
    )
    # Lines about this machine rather than our units (no systemd running, in a container).
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and str(units) in line
    ]
    assert result.returncode == 0 and not problems, result.stdout + result.stderr


def test_the_units_stop_restarting_on_a_configuration_error():
    for unit in (DEPLOY / "systemd").glob("landgenoot*.service"):
        text = unit.read_text()
        if "-m bot run" in text:
            assert "RestartPreventExitStatus=2" in text, unit.name


def lock_pins() -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) from requirements.lock."""
    text = (ROOT / "requirements.lock").read_text().replace("\\\n", " ")
    pins = {}
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)(.*)$", line)
        if match:
            name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
            pins[name] = (match.group(2), re.findall(r"--hash=sha256:[0-9a-f]{64}", line))
    return pins


def test_the_lock_file_pins_every_runtime_dependency_with_hashes():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = lock_pins()
    for requirement in project["dependencies"]:
        match = re.match(r"^([A-Za-z0-9_.-]+)(\[[^\]]*\])?==(\S+)$", requirement)
        assert match, f"pin {requirement} exactly in pyproject.toml"
        name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
        assert name in pins, f"{name} is missing from requirements.lock: run make lock"
        assert pins[name][0] == match.group(3), f"{name}: requirements.lock is stale: make lock"
    assert all(hashes for _, hashes in pins.values())
    assert "requirements.lock" in (DEPLOY / "Dockerfile").read_text()
