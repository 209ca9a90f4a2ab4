"""The gateway's settings: where the services are, who may call admin operations."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import NoDecode

from oii_shared.ici.schema import Owner
from oii_shared.settings import (
    LOOPBACK,
    EventUrlSettings,
    IpNetwork,
    Names,
    Networks,
    parse_admin_tokens,
    parse_names,
    parse_networks,
)


class GatewaySettings(EventUrlSettings):
    telephony_url: str = ""
    messaging_url: str = ""
    chat_url: str = ""
    action_url: str = ""
    sapphone_url: str = ""
    notifier_url: str = ""

    admin_allow: Networks = Field(
        default=parse_networks(LOOPBACK),
        description="CIDRs allowed to call the admin operations of OII.asmx.",
    )
    admin_hosts: Names = Field(
        default=(),
        description="Host names the admin operations and pages answer to besides IP addresses "
        "and localhost (the Host header; against DNS rebinding).",
    )
    admin_tokens: Annotated[tuple[tuple[str, str], ...], NoDecode] = Field(
        default=(),
        description="name=token pairs: bearer tokens of the tools and people that may call the "
        "state-changing admin operations (the name is what the audit log says).",
    )
    forward_timeout_ms: int = Field(default=10_000, gt=0)

    @field_validator("admin_allow", mode="before")
    @classmethod
    def _admin_networks(cls, value: object) -> tuple[IpNetwork, ...]:
        return parse_networks(value)

    @field_validator("admin_hosts", mode="before")
    @classmethod
    def _admin_hosts(cls, value: object) -> tuple[str, ...]:
        return parse_names(value)

    @field_validator("admin_tokens", mode="before")
    @classmethod
    def _tokens(cls, value: object) -> tuple[tuple[str, str], ...]:
        if isinstance(value, tuple) and all(isinstance(item, tuple) for item in value):
            return value
        return parse_admin_tokens(parse_names(value))

    @property
    def service_urls(self) -> dict[Owner, str]:
        """Base URLs of the services the gateway forwards to."""
        return {
            Owner.TELEPHONY: self.telephony_url,
            Owner.MESSAGING: self.messaging_url,
            Owner.CHAT: self.chat_url,
            Owner.ACTION: self.action_url,
            Owner.NOTIFIER: self.notifier_url,
            Owner.SAPPHONE: self.sapphone_url,
        }
