"""What the suite runs: the one description both the embedded stack and compose follow.

``docker-compose.yml`` must run the same modules with the same ``OII_*`` keys,
only with other addresses; ``tests/test_compose.py`` holds it to this file.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from oii_shared.paths import END_SESSIONS


@dataclass(frozen=True)
class ServiceSpec:
    """A long-running HTTP service, started as ``python -m <module>``."""

    name: str
    module: str
    # Holds the service's Dockerfile; compose builds from <directory>/Dockerfile.
    directory: str
    # The gateway setting that holds this service's base URL.
    url_key: str | None = None
    # A path POSTed (with the internal token) before the whole stack stops.
    on_stack_stop: str | None = None


@dataclass(frozen=True)
class JobSpec:
    """A one-shot program the stack runs to completion before the services."""

    name: str
    module: str
    # Every image contains the shared package, so any service's image can run it.
    directory: str


@dataclass(frozen=True)
class StackSecrets:
    """What the suite's processes prove to each other: made anew for each embedded stack."""

    internal_token: str = field(repr=False)
    nats_user: str
    nats_password: str = field(repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> StackSecrets:
        """``OII_INTERNAL_TOKEN``, ``OII_NATS_USER`` and ``OII_NATS_PASSWORD`` where set,
        random ones otherwise (a tool that must reach the stack's insides sets them)."""
        return cls(
            internal_token=environ.get("OII_INTERNAL_TOKEN") or secrets.token_urlsafe(32),
            nats_user=environ.get("OII_NATS_USER") or "oii",
            nats_password=environ.get("OII_NATS_PASSWORD") or secrets.token_urlsafe(32),
        )

    def environment(self) -> dict[str, str]:
        return {
            "OII_INTERNAL_TOKEN": self.internal_token,
            "OII_NATS_USER": self.nats_user,
            "OII_NATS_PASSWORD": self.nats_password,
        }


@dataclass(frozen=True)
class StackAddresses:
    """Where things are in one deployment (embedded or compose)."""

    host: str
    ports: Mapping[str, int]
    urls: Mapping[str, str]
    nats_url: str
    database_url: str
    data_dir: str
    log_level: str = "INFO"
    # None leaves OII_CONFIG unset: an empty value would read as the current directory.
    config: str | None = None
    # Where the gateway listens when it differs from ``host`` (it faces CRM).
    gateway_host: str | None = None
    nats_monitoring_url: str | None = None
    secrets: StackSecrets | None = None


@dataclass(frozen=True)
class Catalog:
    gateway: ServiceSpec
    internal: tuple[ServiceSpec, ...]
    init: JobSpec

    def __post_init__(self) -> None:
        if len(set(self.names)) != len(self.names):
            raise ValueError(f"names must be unique: {self.names}")

    @property
    def services(self) -> tuple[ServiceSpec, ...]:
        return (self.gateway, *self.internal)

    @property
    def names(self) -> tuple[str, ...]:
        return (*(service.name for service in self.services), self.init.name)

    def job_environment(self, job: JobSpec, addresses: StackAddresses) -> dict[str, str]:
        env = _common_environment(job.name, addresses)
        env["OII_SUITE_ENDPOINTS"] = ",".join(self.suite_endpoints(addresses))
        return env

    def suite_endpoints(self, addresses: StackAddresses) -> list[str]:
        """host:port of every listener of the deployment: events may never be sent there."""
        endpoints = []
        for service in self.services:
            host = (addresses.gateway_host if service == self.gateway else None) or addresses.host
            if service.name in addresses.ports:
                endpoints.append(f"{host}:{addresses.ports[service.name]}")
        for url in (addresses.nats_url, addresses.nats_monitoring_url):
            if url:
                endpoints.append(urlsplit(url).netloc.rpartition("@")[2])
        return endpoints

    def service_environment(
        self, service: ServiceSpec, addresses: StackAddresses
    ) -> dict[str, str]:
        env = _common_environment(service.name, addresses)
        env["OII_SUITE_ENDPOINTS"] = ",".join(self.suite_endpoints(addresses))
        is_gateway = service == self.gateway
        env["OII_HOST"] = (addresses.gateway_host if is_gateway else None) or addresses.host
        env["OII_PORT"] = str(addresses.ports[service.name])
        if is_gateway:
            for target in self.internal:
                if target.url_key:
                    env[target.url_key] = addresses.urls[target.name]
        return env


def _common_environment(name: str, addresses: StackAddresses) -> dict[str, str]:
    env = {
        "OII_SERVICE": name,
        "OII_DATA_DIR": addresses.data_dir,
        "OII_NATS_URL": addresses.nats_url,
        "OII_DATABASE_URL": addresses.database_url,
        "OII_LOG_LEVEL": addresses.log_level,
    }
    if addresses.config is not None:
        env["OII_CONFIG"] = addresses.config
    if addresses.secrets is not None:
        env.update(addresses.secrets.environment())
    return env


def default_catalog() -> Catalog:
    return Catalog(
        gateway=ServiceSpec("gateway", "oii_gateway", "gateway"),
        internal=(
            ServiceSpec("telephony", "oii_telephony", "telephony-svc", "OII_TELEPHONY_URL"),
            ServiceSpec("messaging", "oii_messaging", "messaging-svc", "OII_MESSAGING_URL"),
            ServiceSpec("chat", "oii_chat", "chat-svc", "OII_CHAT_URL"),
            ServiceSpec("action", "oii_action", "action-svc", "OII_ACTION_URL"),
            ServiceSpec("sapphone", "oii_sapphone", "sapphone-svc", "OII_SAPPHONE_URL"),
            ServiceSpec(
                "notifier",
                "oii_notifier",
                "notifier-svc",
                "OII_NOTIFIER_URL",
                # The operator stops the suite: CRM's sessions end (and only then).
                on_stack_stop=END_SESSIONS,
            ),
        ),
        init=JobSpec("init", "oii_shared.bootstrap", "gateway"),
    )
