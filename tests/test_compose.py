"""docker-compose.yml runs what the embedded catalog runs: same modules, same settings keys.

Only addresses, ports and paths may differ between the two ways to run the suite.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from oii_gateway.settings import GatewaySettings
from oii_shared.embedded.catalog import (
    Catalog,
    JobSpec,
    ServiceSpec,
    StackAddresses,
    StackSecrets,
    default_catalog,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
INTERNAL_PORT = 8000
GATEWAY_PORT = 8080
# Keys whose values are addresses, ports or paths: the only ones allowed to differ.
ADDRESS_KEYS = {
    "OII_HOST",
    "OII_PORT",
    "OII_DATA_DIR",
    "OII_NATS_URL",
    "OII_DATABASE_URL",
    "OII_SUITE_ENDPOINTS",
}
OPTIONAL_KEYS = {"OII_CONFIG"}
# Secrets: made anew by each embedded stack, taken from the environment by compose.
SECRET_KEYS = {"OII_INTERNAL_TOKEN", "OII_NATS_PASSWORD"}
_REQUIRED_VARIABLE = re.compile(r"\$\{[A-Z0-9_]+:\?[^}]*\}")
_DEFAULTED_VARIABLE = re.compile(r"\$\{[A-Z0-9_]+:-([^}]*)\}")

CATALOG = default_catalog()
ALL_SPECS: list[ServiceSpec | JobSpec] = [*CATALOG.services, CATALOG.init]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    services: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())["services"]
    return services


def compose_addresses(catalog: Catalog, config: str | None) -> StackAddresses:
    ports = {service.name: INTERNAL_PORT for service in catalog.internal}
    ports[catalog.gateway.name] = GATEWAY_PORT
    return StackAddresses(
        host="0.0.0.0",
        ports=ports,
        urls={name: f"http://{name}:{port}" for name, port in ports.items()},
        nats_url="nats://nats:4222",
        nats_monitoring_url="http://nats:8222",
        database_url="postgresql+psycopg://oii:oii@postgres:5432/oii",
        data_dir="/tmp/oii",
        config=config,
        secrets=StackSecrets(internal_token="t", nats_user="oii", nats_password="p"),
    )


def catalog_environments(spec: ServiceSpec | JobSpec) -> list[dict[str, str]]:
    """What the catalog gives ``spec``, without and with a contact-center config."""
    environments = []
    for config in (None, "/config/oii.yaml"):
        addresses = compose_addresses(CATALOG, config)
        if isinstance(spec, JobSpec):
            environments.append(CATALOG.job_environment(spec, addresses))
        else:
            environments.append(CATALOG.service_environment(spec, addresses))
    return environments


def resolved(value: object) -> str:
    """A compose value as a container sees it when no variable is set."""
    return _DEFAULTED_VARIABLE.sub(r"\1", str(value))


def dockerfile_module(dockerfile: Path) -> str:
    cmd_lines = [line for line in dockerfile.read_text().splitlines() if line.startswith("CMD")]
    assert len(cmd_lines) == 1, f"{dockerfile}: expected one CMD line"
    cmd = json.loads(cmd_lines[0].removeprefix("CMD"))
    assert cmd[:2] == ["python", "-m"] and len(cmd) == 3, f"{dockerfile}: CMD {cmd}"
    return str(cmd[2])


def command_module(service: dict[str, Any]) -> str:
    command = service.get("command")
    assert isinstance(command, list), f"command must be a list, not {command!r}"
    assert command[:2] == ["python", "-m"] and len(command) == 3, command
    return str(command[2])


@pytest.mark.parametrize("spec", ALL_SPECS, ids=lambda spec: spec.name)
def test_compose_runs_the_catalog_module_from_its_dockerfile(
    compose: dict[str, Any], spec: ServiceSpec | JobSpec
) -> None:
    assert spec.name in compose, f"{spec.name} is in the catalog but not in {COMPOSE_FILE.name}"
    service = compose[spec.name]
    assert command_module(service) == spec.module
    assert service["build"] == {"context": ".", "dockerfile": f"{spec.directory}/Dockerfile"}
    dockerfile = REPO_ROOT / spec.directory / "Dockerfile"
    assert dockerfile.is_file(), f"{dockerfile} does not exist"
    if isinstance(spec, ServiceSpec):
        assert dockerfile_module(dockerfile) == spec.module
    else:
        assert "COPY shared" in dockerfile.read_text(), f"{dockerfile} lacks the shared package"


@pytest.mark.parametrize("spec", ALL_SPECS, ids=lambda spec: spec.name)
def test_compose_sets_the_catalog_environment_keys(
    compose: dict[str, Any], spec: ServiceSpec | JobSpec
) -> None:
    environment = {key: resolved(value) for key, value in compose[spec.name]["environment"].items()}
    expected_variants = catalog_environments(spec)
    assert any(set(environment) == set(expected) for expected in expected_variants), (
        f"{spec.name}: compose sets {sorted(environment)}, "
        f"the catalog {sorted(expected_variants[0])} (+ optional {sorted(OPTIONAL_KEYS)})"
    )
    url_keys = {service.url_key for service in CATALOG.internal}
    for key, value in expected_variants[0].items():
        if key not in ADDRESS_KEYS | SECRET_KEYS | url_keys:
            assert environment[key] == value, f"{spec.name}: {key} differs from the catalog"


@pytest.mark.parametrize("spec", CATALOG.services, ids=lambda spec: spec.name)
def test_every_service_waits_for_init_and_nats_and_has_a_healthcheck(
    compose: dict[str, Any], spec: ServiceSpec
) -> None:
    service = compose[spec.name]
    assert service["depends_on"]["init"]["condition"] == "service_completed_successfully"
    assert service["depends_on"]["nats"]["condition"] == "service_healthy"
    port = service["environment"]["OII_PORT"]
    assert f"127.0.0.1:{port}/livez" in " ".join(service["healthcheck"]["test"])


def test_only_the_gateway_publishes_a_port(compose: dict[str, Any]) -> None:
    publishing = sorted(name for name, service in compose.items() if service.get("ports"))
    assert publishing == [CATALOG.gateway.name]


def test_gateway_urls_point_at_existing_compose_services(compose: dict[str, Any]) -> None:
    environment = compose[CATALOG.gateway.name]["environment"]
    for target in CATALOG.internal:
        assert target.url_key is not None, f"{target.name} has no url_key"
        url = urlsplit(environment[target.url_key])
        assert url.hostname == target.name, f"{target.url_key} points at {url.hostname}"
        assert url.hostname in compose
        assert str(url.port) == compose[target.name]["environment"]["OII_PORT"]


def test_every_catalog_url_key_is_a_setting() -> None:
    # The gateway reads OII_<X>_URL into GatewaySettings.<x>_url; a typo would go unnoticed.
    fields = {f"OII_{name.upper()}" for name in GatewaySettings.model_fields}
    for service in CATALOG.internal:
        assert service.url_key in fields, f"{service.url_key} is no GatewaySettings field"


def test_compose_runs_no_oii_module_the_catalog_does_not_know(compose: dict[str, Any]) -> None:
    known = {spec.module for spec in ALL_SPECS}
    for name, service in compose.items():
        command = service.get("command")
        if isinstance(command, list) and command[:2] == ["python", "-m"]:
            assert command[2] in known, f"{name} runs {command[2]}, unknown to the catalog"
        if "build" in service:
            dockerfile = REPO_ROOT / service["build"]["dockerfile"]
            assert dockerfile.is_file(), f"{name}: {dockerfile} does not exist"


def test_compose_holds_no_secret_only_required_variables() -> None:
    text = COMPOSE_FILE.read_text()
    document = yaml.safe_load(text)
    environments = [service.get("environment", {}) for service in document["services"].values()] + [
        document["x-oii-environment"]
    ]
    for environment in environments:
        for key, value in environment.items():
            if key in SECRET_KEYS or "PASSWORD" in key:
                assert _REQUIRED_VARIABLE.fullmatch(str(value)), f"{key}: {value!r} is a literal"
            if key == "OII_DATABASE_URL":
                assert re.search(r"://oii:\$\{OII_DB_PASSWORD:\?[^}]*\}@", str(value)), value
    nats_conf = (REPO_ROOT / "deploy" / "nats.conf").read_text()
    assert "password: $OII_NATS_PASSWORD" in nats_conf


# --------------------------------------------------------------------------- images

DOCKERFILE_DIRECTORIES = sorted({spec.directory for spec in ALL_SPECS})
STAND_INS = REPO_ROOT / "tests" / "compose" / "stand-ins.yml"
COMPOSE_TEST_TOOL = REPO_ROOT / "tools" / "compose-test"
NON_ROOT_USER = "10001:10001"
TOP_LEVEL_KEYS = {"services", "volumes", "networks", "secrets", "configs"}


def shared_prefix(directory: str) -> list[str]:
    """A service Dockerfile's lines before its own package's COPY, less the first comment
    (which names the file)."""
    lines = (REPO_ROOT / directory / "Dockerfile").read_text().splitlines()
    own_copy = f"COPY {directory} /app/{directory}"
    assert own_copy in lines, f"{directory}/Dockerfile lacks {own_copy!r}"
    return lines[1 : lines.index(own_copy)]


def test_compose_file_has_no_key_docker_compose_1_29_rejects() -> None:
    # 1.29 knows no top-level `name:`: the project name comes from -p (README).
    document = yaml.safe_load(COMPOSE_FILE.read_text())
    unknown = {key for key in document if key not in TOP_LEVEL_KEYS and not key.startswith("x-")}
    assert not unknown, f"top-level keys docker-compose 1.29 rejects: {sorted(unknown)}"


def test_every_dockerfile_shares_one_prefix_so_the_builder_makes_it_once() -> None:
    # Python, the extra CAs, the shared package and every dependency: one set of layers
    # for all images, only as long as the lines are the same.
    prefixes = {directory: shared_prefix(directory) for directory in DOCKERFILE_DIRECTORIES}
    first = prefixes[DOCKERFILE_DIRECTORIES[0]]
    for directory, prefix in prefixes.items():
        assert prefix == first, f"{directory}/Dockerfile's prefix differs from the others"
    text = "\n".join(first)
    assert "ARG PYTHON_IMAGE=python:3.11-slim\nFROM ${PYTHON_IMAGE}" in text
    assert "COPY deploy/ca-certificates /usr/local/share/ca-certificates/" in text
    assert "COPY shared /app/shared" in text


@pytest.mark.parametrize("directory", DOCKERFILE_DIRECTORIES)
def test_every_image_runs_as_a_non_root_user(directory: str) -> None:
    lines = (REPO_ROOT / directory / "Dockerfile").read_text().splitlines()
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] == NON_ROOT_USER, f"{directory}: USER {users}"


def test_the_compose_test_builds_every_image_from_its_base_image() -> None:
    services: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())["services"]
    overrides: dict[str, Any] = yaml.safe_load(STAND_INS.read_text())["services"]
    assert set(overrides) <= set(services)
    match = re.search(r"^BASE_IMAGE=(\S+)", COMPOSE_TEST_TOOL.read_text(), re.MULTILINE)
    assert match, "tools/compose-test names no BASE_IMAGE"
    built = {name for name, service in services.items() if "build" in service}
    for name in built | {"nats", "postgres"}:
        build = overrides.get(name, {}).get("build", {})
        assert build.get("args", {}).get("PYTHON_IMAGE") == match.group(1), name
        assert "oii-compose-test" in build.get("labels", {}), f"{name}: not labelled"
    for name in ("nats", "postgres"):
        dockerfile = REPO_ROOT / overrides[name]["build"]["dockerfile"]
        assert dockerfile.is_file(), dockerfile
        assert overrides[name]["image"].startswith("oii-compose-test/"), name
