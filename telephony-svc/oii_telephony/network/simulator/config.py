"""The simulator's rules: numbers from the contact-center YAML, delays from the settings."""

from __future__ import annotations

from pathlib import Path

from oii_shared.config.loader import demo_config_path, load_config
from oii_telephony.network.simulator.network import SimulatorRules
from oii_telephony.settings import TelephonySettings


def config_path(settings: TelephonySettings) -> Path:
    # OII_CONFIG set to an empty string reads as Path("."): treat it as unset, as init does.
    if settings.config is None or settings.config == Path():
        return demo_config_path()
    return settings.config


def simulator_rules(settings: TelephonySettings) -> SimulatorRules:
    simulator = load_config(config_path(settings)).simulator
    return SimulatorRules(
        busy=frozenset(simulator.busy),
        no_answer=frozenset(simulator.no_answer),
        answer_after_s=settings.sim_answer_ms / 1000,
        ring_timeout_s=settings.sim_ring_timeout_ms / 1000,
    )
