"""telephony-svc's settings: call routing and the simulated telephone network."""

from __future__ import annotations

from pydantic import Field

from oii_shared.settings import Settings


class TelephonySettings(Settings):
    alert_timeout_ms: int = Field(
        default=20_000,
        gt=0,
        description="An alerting queue call not accepted within this time goes back to its queue.",
    )
    sim_answer_ms: int = Field(
        default=1_000, ge=0, description="The simulated network answers outbound calls after this."
    )
    sim_ring_timeout_ms: int = Field(
        default=30_000,
        gt=0,
        description="The simulated network gives up on a no-answer number after this.",
    )
