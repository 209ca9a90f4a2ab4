"""action-svc's settings."""

from __future__ import annotations

from pydantic import Field

from oii_shared.settings import Settings


class ActionSettings(Settings):
    alert_timeout_ms: int = Field(
        default=30_000,
        gt=0,
        description="An alerting action item not accepted within this time waits again.",
    )
