"""What every call use case works with, built once by the composition root."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from oii_shared.routing.waiting import Target, WaitingStore
from oii_telephony.calls.core import CallCore
from oii_telephony.calls.model import Leg
from oii_telephony.calls.store import CallStore
from oii_telephony.calls.wrapup import WrapUpRules
from oii_telephony.lines.directory import Directory
from oii_telephony.network.port import TelephoneNetwork
from oii_telephony.settings import TelephonySettings


@dataclass(slots=True)
class CallContext:
    core: CallCore
    store: CallStore  # the core's store, with what only calls have
    directory: Directory
    network: TelephoneNetwork
    waiting: WaitingStore
    settings: TelephonySettings
    # Wakes the dispatcher of this replica: something may now be routable.
    kick: Callable[[], None]

    @property
    def wrap_up(self) -> WrapUpRules:
        return WrapUpRules.from_parameters(self.directory.parameters)

    @property
    def cad_application(self) -> str:
        return self.directory.parameters.text("OII.CADApplicationID")

    @property
    def max_cad_bytes(self) -> int:
        return self.settings.max_body_bytes

    @staticmethod
    def now() -> float:
        return time.time()


def waiting_target(leg: Leg) -> Target:
    """Where a waiting leg waits: for its line's agent (knocking) or in its queue."""
    if leg.target_line:
        return Target(leg.target_line, personal=True)
    return Target(leg.queue)
