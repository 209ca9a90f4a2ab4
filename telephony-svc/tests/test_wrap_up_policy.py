"""Wrap-up decisions (spec 4.3.1 OII.RequestedWrapUp, WrapUpOutbound, ForwardAndEnd,
TransferAndEnd; 9.4.2)."""

from __future__ import annotations

import pytest

from oii_shared.config.parameters import ModuleParameters
from oii_shared.ici.tables import ProcessingStatus
from oii_telephony.calls.model import Leg, Origin, Phase
from oii_telephony.calls.wrapup import EndReason, WrapUpRules, ended, wrap_up_over

WRAP = ProcessingStatus.WRAP_UP
DONE = ProcessingStatus.NOT_IN_PROCESS


def call(**fields: object) -> Leg:
    base = Leg(
        handle="A" * 32,
        origin=Origin.QUEUE,
        phase=Phase.CONNECTED,
        processing=2,
        customer=True,
        connected_once=True,
    )
    return base.model_copy(update=fields)


@pytest.mark.parametrize(
    ("rules", "leg", "reason", "expected"),
    [
        (WrapUpRules(), call(), EndReason.REMOTE_HANGUP, WRAP),
        (WrapUpRules(), call(), EndReason.DROPPED, WRAP),
        (WrapUpRules(), call(phase=Phase.ALERTING, connected_once=False), EndReason.DROPPED, DONE),
        (WrapUpRules(), call(customer=False), EndReason.DROPPED, DONE),
        (WrapUpRules(requested=True), call(), EndReason.DROPPED, DONE),
        (WrapUpRules(requested=True), call(wrap_up_requested=True), EndReason.DROPPED, WRAP),
        (WrapUpRules(), call(inbound=False, connected_once=False, phase=Phase.RINGING),
         EndReason.FAILED, DONE),
        (WrapUpRules(outbound=True), call(inbound=False, connected_once=False,
         phase=Phase.BUSY), EndReason.FAILED, WRAP),
        (WrapUpRules(), call(inbound=False), EndReason.DROPPED, WRAP),
        (WrapUpRules(), call(), EndReason.FORWARDED, WRAP),
        (WrapUpRules(forward_and_end=True), call(), EndReason.FORWARDED, DONE),
        (WrapUpRules(), call(), EndReason.TRANSFERRED, WRAP),
        (WrapUpRules(transfer_and_end=True), call(), EndReason.TRANSFERRED, DONE),
        (WrapUpRules(forward_and_end=True), call(), EndReason.TRANSFERRED, WRAP),
        (WrapUpRules(), call(), EndReason.MERGED, DONE),
        (WrapUpRules(), call(phase=Phase.CREATED, connected_once=False), EndReason.DROPPED, DONE),
    ],
)  # fmt: skip
def test_processing_after_the_end(
    rules: WrapUpRules, leg: Leg, reason: EndReason, expected: ProcessingStatus
) -> None:
    after = ended(leg, reason, rules)
    assert after.phase is Phase.ENDED
    assert after.processing == expected.value
    assert after.final is (expected is DONE)
    assert after.peers == () and not after.on_hold


def test_rules_from_parameters() -> None:
    rules = WrapUpRules.from_parameters(
        ModuleParameters(
            {
                "OII.RequestedWrapUp": "1",
                "OII.WrapUpOutbound": "1",
                "OII.ForwardAndEnd": "1",
                "OII.TransferAndEnd": "1",
            }
        )
    )
    assert rules == WrapUpRules(True, True, True, True)
    assert WrapUpRules.from_parameters(ModuleParameters({})) == WrapUpRules()


def test_an_ended_call_stays_ended_and_wrap_up_ends() -> None:
    done = ended(call(), EndReason.DROPPED, WrapUpRules())
    assert ended(done, EndReason.REMOTE_HANGUP, WrapUpRules()) is done
    assert wrap_up_over(done).final
