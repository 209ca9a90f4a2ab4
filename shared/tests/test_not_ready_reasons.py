"""The not_ready_reasons section of the contact-center YAML and its table (10.10 workmodes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from oii_shared.config.loader import ConfigError, demo_config_path, load_config
from oii_shared.config.schema import ContactCenterConfig
from oii_shared.db.engine import create_engine_for_url, session_factory
from oii_shared.db.migrate import upgrade
from oii_shared.db.repository import NotReadyReasonRecord, list_not_ready_reasons, upsert_config


def test_the_demo_offers_reasons_above_1000() -> None:
    reasons = load_config(demo_config_path()).not_ready_reasons
    assert reasons and all(reason.id > 1000 and reason.description for reason in reasons)


def test_bad_reasons_are_reported_with_their_entries(tmp_path: Path) -> None:
    path = tmp_path / "cc.yaml"
    path.write_text(
        "not_ready_reasons:\n"
        "  - {id: 1001, description: Lunch}\n"
        "  - {id: 1001, description: Again}\n"
        "  - {id: 3, description: Spec workmode}\n"
        "  - {id: 1002, description: ''}\n"
        "  - {id: 1003, description: Ok, colour: red}\n"
    )
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    problems = "\n".join(raised.value.problems)
    assert "not_ready_reasons[1] (id 1001): id: duplicate id 1001" in problems
    assert "not_ready_reasons[2] (id 3): id: Input should be greater than 1000" in problems
    assert "not_ready_reasons[3] (id 1002): description:" in problems
    assert "not_ready_reasons[4] (id 1003): colour: unknown field" in problems


async def test_reasons_are_upserted_and_listed_in_id_order(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'oii.sqlite3'}"
    upgrade(url)
    engine = create_engine_for_url(url)
    try:
        first = ContactCenterConfig.model_validate(
            {
                "not_ready_reasons": [
                    {"id": 1002, "description": "Meeting"},
                    {"id": "1001", "description": "Lunch"},
                ]
            }
        )
        summary = await upsert_config(engine, first)
        assert summary.not_ready_reasons_set == 2
        await upsert_config(
            engine,
            ContactCenterConfig.model_validate(
                {"not_ready_reasons": [{"id": 1002, "description": "Team meeting"}]}
            ),
        )
        async with session_factory(engine)() as session:
            assert await list_not_ready_reasons(session) == [
                NotReadyReasonRecord(1001, "Lunch"),
                NotReadyReasonRecord(1002, "Team meeting"),
            ]
    finally:
        await engine.dispose()
