"""The skill catalog, users' GUIDs and CRM login ids, and the ACTION queue's members (7.3, 4.7.3).

On real databases: SQLite files, and PostgreSQL with OII_TEST_POSTGRES_URL.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from oii_shared.config.parameters import ModuleParameters
from oii_shared.config.schema import ContactCenterConfig
from oii_shared.configuration import Configuration, load_configuration
from oii_shared.db.engine import create_migration_engine, session_factory
from oii_shared.db.migrate import upgrade
from oii_shared.db.models import User
from oii_shared.db.repository import (
    ConfigConflict,
    SkillRecord,
    UserRecord,
    list_skills,
    upsert_config,
)

GERMAN_GUID = "6F9619FF8B86D011B42D00C04FC964FF"
NEW_GERMAN_GUID = "22222222333344445555666666666666"
HARRI_GUID = "0A1B2C3D4E5F60718293A4B5C6D7E8F9"
STORED_GUID = re.compile(r"[0-9A-F]{32}")


def config_of(data: dict[str, object]) -> ContactCenterConfig:
    return ContactCenterConfig.model_validate(data)


CATALOG = config_of(
    {
        "skills": [
            {"id": "English", "external_name": "EN"},
            {"id": "German", "guid": "6f9619ff-8b86-d011-b42d-00c04fc964ff"},
        ],
        "queues": [{"id": "2001", "channel": "phone", "skills": {"Finnish": 2}}],
        "users": [
            {"id": "HARRI", "guid": HARRI_GUID, "crm_login": "HAGENT", "queues": ["2001"]},
            {"id": "ANNA", "crm_login": "HARRI", "skills": {"Swedish": 3, "German": 4}},
            {"id": "BERT"},
        ],
    }
)


async def skills_by_id(engine: AsyncEngine) -> dict[str, SkillRecord]:
    async with session_factory(engine)() as session:
        return {skill.id: skill for skill in await list_skills(session)}


async def users_by_id(engine: AsyncEngine) -> dict[str, UserRecord]:
    configuration = await load_configuration(engine)
    return {user.id: user for user in configuration.users}


async def test_generated_guids_stay_and_the_file_can_replace_them(engine: AsyncEngine) -> None:
    summary = await upsert_config(engine, CATALOG)

    assert (summary.skills_inserted, summary.skills_updated) == (4, 0)
    skills = await skills_by_id(engine)
    assert {id_: skill.external_name for id_, skill in skills.items()} == {
        "English": "EN",
        "German": "German",
        "Finnish": "Finnish",
        "Swedish": "Swedish",
    }
    assert skills["German"].guid == GERMAN_GUID
    users = await users_by_id(engine)
    assert users["HARRI"].guid == HARRI_GUID
    assert (users["HARRI"].crm_login, users["BERT"].crm_login) == ("HAGENT", None)
    for record in (*skills.values(), *users.values()):
        assert STORED_GUID.fullmatch(record.guid), record
    assert len({record.guid for record in (*skills.values(), *users.values())}) == 7

    again = await upsert_config(engine, CATALOG)

    assert (again.skills_inserted, again.skills_updated) == (0, 2)
    assert await skills_by_id(engine) == skills
    assert await users_by_id(engine) == users

    new_anna_guid = "11111111-2222-3333-4444-555555555555"
    await upsert_config(
        engine,
        config_of(
            {
                "skills": [
                    {"id": "English", "guid": GERMAN_GUID},
                    {"id": "German", "guid": NEW_GERMAN_GUID},
                ],
                "users": [{"id": "anna", "guid": new_anna_guid}],
            }
        ),
    )

    changed = await skills_by_id(engine)
    assert (changed["English"].guid, changed["English"].external_name) == (GERMAN_GUID, "English")
    assert (changed["German"].guid, changed["German"].external_name) == (NEW_GERMAN_GUID, "German")
    assert changed["Finnish"] == skills["Finnish"]
    changed_users = await users_by_id(engine)
    assert changed_users["ANNA"].guid == new_anna_guid.replace("-", "")
    assert changed_users["ANNA"].crm_login is None
    assert changed_users["HARRI"] == users["HARRI"]


async def test_users_may_swap_guids_in_one_load(engine: AsyncEngine) -> None:
    await upsert_config(engine, CATALOG)
    anna_guid = (await users_by_id(engine))["ANNA"].guid

    await upsert_config(
        engine,
        config_of(
            {"users": [{"id": "HARRI", "guid": anna_guid}, {"id": "ANNA", "guid": HARRI_GUID}]}
        ),
    )

    users = await users_by_id(engine)
    assert (users["HARRI"].guid, users["ANNA"].guid) == (anna_guid, HARRI_GUID)


async def test_a_guid_or_name_kept_for_another_row_is_refused(engine: AsyncEngine) -> None:
    await upsert_config(engine, CATALOG)
    before = (await skills_by_id(engine), await users_by_id(engine))

    conflicts = [
        (
            {"skills": [{"id": "Danish", "guid": GERMAN_GUID}]},
            f'skills "Danish" and "German" would both have the GUID "{GERMAN_GUID}"',
        ),
        (
            {"skills": [{"id": "Danish", "external_name": "EN"}]},
            'skills "Danish" and "English" would both have the external name "EN"',
        ),
        (
            {"users": [{"id": "CARL", "guid": HARRI_GUID}]},
            f'users "CARL" and "HARRI" would both have the GUID "{HARRI_GUID}"',
        ),
        (
            # HARRI keeps his stored GUID when the file gives him none.
            {"users": [{"id": "HARRI"}, {"id": "ANNA", "guid": HARRI_GUID}]},
            f'users "ANNA" and "HARRI" would both have the GUID "{HARRI_GUID}"',
        ),
        (
            # German keeps its stored GUID when the file gives it none.
            {"skills": [{"id": "English", "guid": GERMAN_GUID}, {"id": "German"}]},
            f'skills "English" and "German" would both have the GUID "{GERMAN_GUID}"',
        ),
    ]
    for data, message in conflicts:
        with pytest.raises(ConfigConflict, match=re.escape(message)):
            await upsert_config(engine, config_of({**data, "parameters": {"OII.Country": "1"}}))

    assert (await skills_by_id(engine), await users_by_id(engine)) == before
    configuration = await load_configuration(engine)
    assert configuration.parameters.text("OII.Country") == "49"


async def test_lookups_by_guid_external_name_crm_login_and_login_id(engine: AsyncEngine) -> None:
    await upsert_config(engine, CATALOG)
    configuration = await load_configuration(engine)

    german = configuration.skill(GERMAN_GUID)
    assert german is not None and german.id == "German"
    assert configuration.skill(" 6f9619ff-8b86-d011-b42d-00c04fc964ff ") == german
    assert configuration.skill(" german ") == german
    english = configuration.skill("en")
    assert english is not None and english.id == "English"
    assert configuration.skill("English") is None  # its external name is EN
    assert configuration.skill(english.guid.lower()) == english
    swedish = configuration.skill("SWEDISH")
    assert swedish is not None and swedish.id == swedish.external_name == "Swedish"
    assert configuration.skill("11111111222233334444555555555555") is None
    assert configuration.skill("") is None

    def user_named(text: str) -> str | None:
        user = configuration.user_named(text)
        return None if user is None else user.id

    assert user_named(HARRI_GUID.lower()) == "HARRI"
    assert user_named("0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9") == "HARRI"
    assert user_named(" hagent ") == "HARRI"
    assert user_named("bert") == "BERT"
    # ANNA's CRM login id is HARRI: the CRM login id comes before the login id.
    assert user_named("Harri") == "ANNA"
    anna = configuration.user_named("anna")
    assert anna is not None and user_named(anna.guid) == "ANNA"
    assert user_named("CARL") is None
    assert user_named("") is None


def test_lookups_of_a_configuration_built_in_memory() -> None:
    skill = SkillRecord("English", GERMAN_GUID, "EN")
    harri = UserRecord("HARRI", "Harri", "+129", None, None, ("2001",), guid=HARRI_GUID)
    anna = UserRecord("ANNA", "Anna", None, None, None, crm_login="Harri")
    configuration = Configuration(
        users=(harri, anna), queues=(), parameters=ModuleParameters({}), skills=(skill,)
    )

    assert configuration.skill("en") is skill
    assert configuration.user_named(HARRI_GUID) is harri
    assert configuration.user_named("HARRI") is anna
    assert Configuration().skill("en") is None
    assert Configuration(users=(harri,)).user_named("harri") is harri


async def action_queue_members(engine: AsyncEngine, data: dict[str, object]) -> list[str]:
    await upsert_config(engine, config_of(data))
    configuration = await load_configuration(engine)
    return sorted(user.id for user in configuration.users if "ACTION" in user.queues)


USERS = [
    {"id": "ANNA", "queues": ["2001"]},
    {"id": "BERT", "queues": ["OII_ACTION"]},
    {"id": "CARL"},
]
PHONE_QUEUE = [{"id": "2001", "channel": "phone"}]


async def test_every_user_with_the_action_channel_is_in_the_action_queue(
    engine: AsyncEngine,
) -> None:
    users = [{"id": "ANNA", "queues": ["2001"]}, {"id": "CARL"}]
    data = {"parameters": {"OII.Action": "1"}, "queues": PHONE_QUEUE, "users": users}

    assert await action_queue_members(engine, data) == ["ANNA", "CARL"]
    anna = (await users_by_id(engine))["ANNA"]
    assert anna.queues == ("2001", "ACTION")


async def test_nobody_is_in_the_action_queue_without_the_action_channel(
    engine: AsyncEngine,
) -> None:
    data = {"queues": PHONE_QUEUE, "users": [{"id": "ANNA", "queues": ["2001"]}]}

    assert await action_queue_members(engine, data) == []


async def test_the_action_queue_members_the_file_lists(engine: AsyncEngine) -> None:
    users = [{"id": "ANNA", "queues": ["2001", "action"]}, {"id": "CARL"}]
    data = {"parameters": {"OII.Action": "1"}, "queues": PHONE_QUEUE, "users": users}

    assert await action_queue_members(engine, data) == ["ANNA"]


async def test_the_oii_action_pseudo_queue_decides_who_has_the_channel(
    engine: AsyncEngine,
) -> None:
    data = {"parameters": {"OII.Action": "1"}, "queues": PHONE_QUEUE, "users": USERS}

    assert await action_queue_members(engine, data) == ["BERT"]
    bert = (await users_by_id(engine))["BERT"]
    assert bert.queues == ("ACTION", "OII_ACTION")


def test_the_migration_gives_existing_rows_guids_and_fills_the_catalog(
    database_url: str,
) -> None:
    upgrade(database_url, "0003")
    engine = create_migration_engine(database_url)
    try:
        with engine.begin() as connection:
            for user_id in ("HARRI", "ANNA"):
                connection.execute(
                    text("INSERT INTO users (id, key, name) VALUES (:id, :key, :id)"),
                    {"id": user_id, "key": user_id.lower()},
                )
            connection.execute(
                text("INSERT INTO queues (id, name, channel, enabled, answer_info) "
                     "VALUES ('2001', '', 'phone', true, '')")
            )  # fmt: skip
            connection.execute(
                text("INSERT INTO user_skills (user_id, skill, level) VALUES "
                     "('HARRI', 'English', 4), ('ANNA', 'English', 3), ('ANNA', 'German', 2)")
            )  # fmt: skip
            connection.execute(
                text("INSERT INTO queue_skills (queue_id, skill, level) VALUES "
                     "('2001', 'Finnish', 1)")
            )  # fmt: skip

        upgrade(database_url)

        with engine.connect() as connection:
            users = connection.execute(text("SELECT id, guid, crm_login FROM users")).all()
            skills = connection.execute(text("SELECT id, guid, external_name FROM skills")).all()
    finally:
        engine.dispose()
    assert sorted((user_id, crm_login) for user_id, _, crm_login in users) == [
        ("ANNA", None),
        ("HARRI", None),
    ]
    assert sorted((skill_id, name) for skill_id, _, name in skills) == [
        ("English", "English"),
        ("Finnish", "Finnish"),
        ("German", "German"),
    ]
    guids = [row[1] for row in (*users, *skills)]
    assert all(STORED_GUID.fullmatch(guid) for guid in guids), guids
    assert len(set(guids)) == len(guids)


def test_a_user_row_made_in_code_gets_a_guid() -> None:
    first, second = User(id="A", key="a"), User(id="B", key="b")
    assert STORED_GUID.fullmatch(first.guid)
    assert first.guid != second.guid
