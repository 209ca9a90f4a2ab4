"""Typed settings, read from ``OII_*`` environment variables.

Nothing here is instantiated at import: each service's entry point builds its
settings once and hands them to its composition root.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Whatever the suite writes (SQLite, JetStream, secrets, logs) is its owner's alone.
OWNER_ONLY_UMASK = 0o077
OWNER_ONLY_DIRECTORY = 0o700

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
LOOPBACK = "127.0.0.0/8,::1/128"


def parse_networks(value: object) -> tuple[IpNetwork, ...]:
    """Read a comma-separated list of CIDRs or addresses (``10.0.0.0/8, ::1``)."""
    if isinstance(value, tuple):
        return value
    if value is None:
        return ()
    items = value if isinstance(value, list) else str(value).split(",")
    return tuple(
        ipaddress.ip_network(str(item).strip(), strict=False) for item in items if str(item).strip()
    )


MIN_ADMIN_TOKEN_CHARS = 16


def parse_names(value: object) -> tuple[str, ...]:
    """A comma-separated list (or a list) of names, blanks left out."""
    items = value if isinstance(value, tuple | list) else str(value or "").split(",")
    return tuple(str(item).strip() for item in items if str(item).strip())


def parse_admin_tokens(pairs: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """``name=token`` pairs; a token shorter than 16 characters is refused (guessable)."""
    tokens: list[tuple[str, str]] = []
    for pair in pairs:
        name, sep, token = pair.partition("=")
        name, token = name.strip(), token.strip()
        if not sep or not name or not token:
            raise ValueError("OII_ADMIN_TOKENS takes name=token pairs separated by commas")
        if len(token) < MIN_ADMIN_TOKEN_CHARS:
            raise ValueError(
                f"the admin token of {name} is shorter than {MIN_ADMIN_TOKEN_CHARS} characters"
            )
        tokens.append((name, token))
    return tuple(tokens)


Networks = Annotated[tuple[IpNetwork, ...], NoDecode]
Names = Annotated[tuple[str, ...], NoDecode]


class Settings(BaseSettings):
    """Settings every service of the suite reads; each service's own settings extend it
    (``GatewaySettings``, ``TelephonySettings``, ``NotifierSettings`` in their packages).

    An ``OII_*`` variable of another service is not read here (every process gets the
    stack's whole environment); a keyword that no field takes is an error, not ignored.
    """

    model_config = SettingsConfigDict(env_prefix="OII_", extra="forbid", frozen=True)

    service: str = Field(default="oii", description="Name of this service, used in logs.")
    host: str = Field(default="127.0.0.1", description="Address this service listens on.")
    port: int = Field(default=0, ge=0, le=65535, description="Port this service listens on.")
    data_dir: Path = Field(default=Path("var"), description="Where SQLite, NATS and logs live.")
    config: Path | None = Field(default=None, description="Contact-center YAML file.")
    log_level: str = Field(default="INFO")
    log_file: Path | None = Field(
        default=None, description="File the embedded stack copies every service's log lines to."
    )

    nats_url: str = Field(default="nats://127.0.0.1:4222")
    nats_user: str = Field(default="", description="NATS user name (with nats_password).")
    nats_password: str = Field(default="", repr=False, description="NATS password.")
    internal_token: str = Field(
        default="",
        repr=False,
        description="Shared secret the gateway sends to the internal services "
        "(X-OII-Internal-Token); they refuse every other caller but /healthz probes.",
    )
    database_url: str = Field(
        default="",
        description="SQLAlchemy async URL; empty means SQLite under data_dir.",
    )

    soap_allow: Networks = Field(
        default=(), description="CIDRs allowed to call the SOAP endpoints; empty allows all."
    )
    max_body_bytes: int = Field(default=1_048_576, gt=0)
    # Every listener (see service/listener.py).
    max_head_bytes: int = Field(
        default=32_768, ge=1024, description="Request line and headers together, at most."
    )
    max_headers: int = Field(default=100, ge=8, description="Header lines of a request, at most.")
    head_timeout_s: float = Field(
        default=10.0, gt=0, description="A request head must arrive within this time."
    )
    body_timeout_s: float = Field(
        default=30.0, gt=0, description="A request body must arrive within this time of its head."
    )
    keep_alive_s: int = Field(
        default=15, ge=1, description="An idle keep-alive connection is closed after this."
    )
    max_connections: int = Field(
        default=1000,
        ge=1,
        description="Open connections per listener, at most (and within the descriptor limit); "
        "more are answered 503 and closed.",
    )
    health_timeout_ms: int = Field(default=1_000, gt=0)

    @field_validator("soap_allow", mode="before")
    @classmethod
    def _networks(cls, value: object) -> tuple[IpNetwork, ...]:
        return parse_networks(value)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'oii.sqlite3').resolve()}"


class EventUrlSettings(Settings):
    """What decides where CRM's event URLs may point: the gateway checks them at subscribe,
    the notifier again at delivery (``url_guard.event_url_guard``)."""

    event_allow: Names = Field(
        default=(),
        description="Host names (*.domain too) and CIDRs CRM event URLs may point to; "
        "empty allows all but link-local and cloud metadata addresses.",
    )
    suite_endpoints: Names = Field(
        default=(),
        description="host:port of every listener of this suite (gateway, services, NATS and its "
        "monitoring port, SMTP, chat): event URLs may never point at them.",
    )
    event_allow_suite: Names = Field(
        default=(),
        description="URL prefixes inside the suite that event URLs may point at nevertheless "
        "(an event receiver that accepts IciEvent messages and nothing else).",
    )

    @field_validator("event_allow", "suite_endpoints", "event_allow_suite", mode="before")
    @classmethod
    def _names(cls, value: object) -> tuple[str, ...]:
        return parse_names(value)
