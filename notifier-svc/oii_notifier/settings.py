"""The notifier's settings: how events are delivered to CRM (spec 4.4, 4.4.3)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator

from oii_shared.settings import EventUrlSettings


class NotifierSettings(EventUrlSettings):
    event_verify_tls: bool = Field(
        default=True, description="Verify CRM's HTTPS certificate when sending events."
    )
    event_ca_bundle: Path | None = Field(
        default=None,
        description="PEM file of the CAs that sign CRM's certificate; unset: the system's CAs.",
    )
    event_client_cert: Path | None = Field(
        default=None,
        description="PEM client certificate (chain) the notifier presents to CRM (spec 4.4.3); "
        "unset: the registry setting SOAP_CLIENT_CERTIFICATE_PATH, if any.",
    )
    event_client_key: Path | None = Field(
        default=None,
        description="PEM private key of the client certificate; unset: it is in the cert file.",
    )
    event_retry_s: float = Field(
        default=60.0,
        ge=0,
        le=3600,
        description="How long an event that met a connection error or HTTP 5xx is retried "
        "(with backoff) before it is given up; 0: a single attempt.",
    )
    event_ack_wait_s: float = Field(
        default=30.0,
        ge=1,
        le=3600,
        description="JetStream ack wait of the notifier's consumer: after a notifier crash, "
        "events it had not finished are delivered again this much later.",
    )
    event_max_pending: int = Field(
        default=10_000,
        ge=1,
        description="Events the notifier holds unfinished at most (JetStream max_ack_pending).",
    )

    @field_validator("event_ca_bundle", "event_client_cert", "event_client_key", mode="before")
    @classmethod
    def _optional_path(cls, value: object) -> object:
        # An empty variable means "unset", not the current directory.
        return None if value is None or str(value).strip() == "" else value
