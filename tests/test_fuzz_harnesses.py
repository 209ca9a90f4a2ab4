"""The fuzz harnesses (fuzz/, `make fuzz`) replayed without atheris, so they keep working.

Every seed and committed regression input (fuzz/regressions) of every harness must pass:
the pure harnesses here directly, the gateway ones on the whole gateway in process (a real
nats-server and SQLite). The structure-aware envelope builder is also run over many
inputs through the codec.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from fuzz.choices import Choices
from fuzz.envelopes import OPERATIONS, build_envelope
from fuzz.gateway_app import running_gateway
from fuzz.targets import TARGETS, harness
from fuzz.targets.decode import check_fields
from oii_shared.ici.registry import ici_registry
from oii_shared.soap.codec import read_operation
from oii_shared.soap.faults import IciFault

PURE = ("parse_xml", "resolve", "decode")
ON_THE_GATEWAY = ("envelopes", "gateway")


def test_every_harness_is_replayed_here() -> None:
    assert set(TARGETS) == {*PURE, *ON_THE_GATEWAY}


@pytest.mark.parametrize("name", PURE)
def test_seeds_and_regressions_of_the_pure_harnesses_pass(name: str, tmp_path: Path) -> None:
    target = harness(name)
    one_input = target.setup(tmp_path)
    inputs = list(target.seeds())
    assert inputs
    for data in inputs:
        one_input(data)


def test_built_envelopes_of_every_operation_decode_to_their_fields() -> None:
    registry = ici_registry()
    generator = random.Random(10)
    seen = set()
    for _ in range(3000):
        data = bytes(generator.randrange(256) for _ in range(generator.randrange(120)))
        envelope = build_envelope(Choices(data))
        seen.add(envelope.operation)
        try:
            call = read_operation(envelope.body, envelope.operation.interface, registry, 1 << 20)
        except IciFault:
            continue
        assert call.operation is envelope.operation
        check_fields(call.args, call.operation.request)
    assert seen == set(OPERATIONS)


def test_seeds_and_regressions_of_the_gateway_harnesses_pass(tmp_path: Path) -> None:
    with running_gateway(tmp_path / "gateway") as gateway:
        for name in ON_THE_GATEWAY:
            target = harness(name)
            one_input = target.setup_on(gateway)
            for data in target.seeds():
                one_input(data)
