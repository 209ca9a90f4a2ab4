"""The contact-center YAML contract, the loader's error messages and the parameter tables."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from oii_shared.channels import Channel
from oii_shared.config.loader import ConfigError, demo_config_path, load_config
from oii_shared.config.parameters import (
    MODULE_PARAMETERS,
    QUEUE_PARAMETERS,
    REGISTRY_SETTINGS,
    ModuleParameters,
    ParameterError,
    find_parameter,
    get_parameter,
    validate_value,
)
from oii_shared.config.schema import ContactCenterConfig, normalized_guid

GOOD = """\
parameters:
  oii.country: 358
  OII.IDD: 011
  OII.Email: yes
  OII.PdEndPreviewReject: reject
  OII.SAPphoneServer2: -aSAPphoneBCM -g1.2.3.4 -xsapgw76
  SOAP_TIMEOUT_MS: 5000
queues:
  - id: 2001
    name: Q 2001
    channel: phone
    skills: {English: 2}
  - id: 0800123
    channel: phone
    enabled: false
  - id: service@example.com
    name: Service
    channel: email
    answer_info: "*"
users:
  - id: HARRI
    name: Harri Agent
    phone: +129
    email: harri@example.com
    chat: harri@example.com
    queues: [2001, oii_email, SERVICE@example.com]
    skills: {English: 4}
  - id: NO
    queues: []
"""


GUID = "6F9619FF8B86D011B42D00C04FC964FF"
DASHED_GUID = "6F9619FF-8B86-D011-B42D-00C04FC964FF"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cc.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.path == path
    lines = str(caught.value).splitlines()
    assert lines == [f"config error in {path}: {problem}" for problem in caught.value.problems]
    return caught.value.problems


def test_good_config_keeps_numbers_as_written(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))

    assert config.parameters == {
        "OII.Country": "358",
        "OII.IDD": "011",
        "OII.Email": "1",
        "OII.PdEndPreviewReject": "REJECT",
        "OII.SAPphoneServer2": "-aSAPphoneBCM -g1.2.3.4 -xsapgw76",
        "SOAP_TIMEOUT_MS": "5000",
    }
    first, toll_free, email = config.queues
    assert (first.id, first.name, first.channel, first.enabled) == ("2001", "Q 2001", "phone", True)
    assert first.skills == {"English": 2}
    assert (toll_free.id, toll_free.name, toll_free.enabled) == ("0800123", "0800123", False)
    assert (email.channel, email.answer_info) == (Channel.EMAIL, "*")
    harri, norway = config.users
    assert harri.phone == "+129"
    assert harri.queues == ["2001", "OII_EMAIL", "service@example.com"]
    assert harri.skills == {"English": 4}
    assert (norway.id, norway.name, norway.phone, norway.email) == ("NO", "NO", None, None)
    assert [queue.id for queue in config.pseudo_queues_in_use()] == ["OII_EMAIL"]


def test_all_sections_are_optional(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "")) == ContactCenterConfig()
    assert load_config(write(tmp_path, "users:\nqueues:\n")) == ContactCenterConfig()


def test_programmatic_numbers_become_strings() -> None:
    config = ContactCenterConfig.model_validate(
        {"queues": [{"id": 2001, "channel": "phone"}], "users": [{"id": 7, "queues": [2001]}]}
    )
    assert config.queues[0].id == "2001"
    assert config.users[0].queues == ["2001"]


def test_demo_config() -> None:
    config = load_config(demo_config_path())

    queues = {queue.id: queue for queue in config.queues}
    assert [queues[q].name for q in ("2001", "2002", "2003")] == ["Q 2001", "Q 2002", "Q 2003"]
    assert queues["ACTION"].channel == Channel.ACTION
    assert queues["ACTION"].name == "Action Queue"
    assert {queue.channel for queue in config.queues} == set(Channel)
    harri = next(user for user in config.users if user.id == "HARRI")
    assert harri.phone == "+129"
    assert {"2001", "2003"} <= set(harri.queues)
    assert (harri.guid, harri.crm_login) == ("0B6E4A1C93D24F588C7A2E1F5D9B3A64", "HAGENT")
    assert 3 <= len(config.users) <= 4
    assert [(skill.id, skill.external_name) for skill in config.skills] == [("English", "ENGLISH")]
    assert {skill.id for skill in config.implied_skills()} == {"Finnish", "German"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "queues: [{id: '2001', channel: phone}]\n"
            "users: [{id: ANNA, queues: ['2001']}, {id: HARRI, queues: ['2001', '2009']}]\n",
            'users[1] (id HARRI): queues: unknown queue "2009"',
        ),
        ("parameters: {OII.Countr: 49}\n", "parameters: OII.Countr: unknown module parameter"),
        (
            "parameters: {OII.Email: 2}\n",
            'parameters: OII.Email: invalid value "2"; allowed: 0 or 1',
        ),
        (
            "parameters: {OII.PdEndPreviewReject: DROP}\n",
            'parameters: OII.PdEndPreviewReject: invalid value "DROP"; allowed: SKIP or REJECT',
        ),
        (
            "parameters: {OII.IDD: +00}\n",
            'parameters: OII.IDD: invalid value "+00"; allowed: digits only',
        ),
        (
            "parameters: {OII.Email: 1, oii.email: 0}\n",
            "parameters: oii.email: given twice (also as OII.Email)",
        ),
        (
            "users: [{id: harri}, {id: HARRI}]\n",
            'users[1] (id HARRI): id: duplicate user id "HARRI" (also users[0], ignoring case)',
        ),
        (
            "queues: [{id: '2001', channel: phone}, {id: '2001', channel: phone}]\n",
            'queues[1] (id 2001): id: duplicate queue id "2001" (also queues[0])',
        ),
        (
            "queues: [{id: '2001', channel: fax}]\n",
            "queues[0] (id 2001): channel: Input should be 'phone', 'email', 'chat' or 'action'",
        ),
        (
            "queues: [{id: OII_CHAT, channel: email}]\n",
            "queues[0] (id OII_CHAT): channel: queue OII_CHAT must have channel chat",
        ),
        (
            "users: [{id: HARRI, skills: {English: 6}}]\n",
            "users[0] (id HARRI): skills: English: Input should be less than or equal to 5",
        ),
        (
            "users: [{id: HARRI, phon: '+129'}]\n",
            "users[0] (id HARRI): phon: unknown field; "
            "allowed: id, name, phone, email, chat, queues, skills",
        ),
        ("users: [{name: Nobody}]\n", "users[0]: id: required field is missing"),
        (
            "skills: [{id: English}, {id: English, external_name: EN}]\n",
            'skills[1] (id English): id: duplicate skill id "English" (also skills[0])',
        ),
        (
            f"skills: [{{id: A, guid: {GUID}}}, {{id: B, guid: {DASHED_GUID.lower()}}}]\n",
            f'skills[1] (id B): guid: duplicate guid "{GUID}" (also skills[0])',
        ),
        (
            "skills: [{id: English}, {id: EN, external_name: ' english '}]\n",
            'skills[1] (id EN): external_name: duplicate external name "english" '
            "(also skills[0], ignoring case)",
        ),
        (
            "skills: [{id: English, guid: 6F9619FF-8B86-D011-B42D}]\n",
            'skills[0] (id English): guid: "6F9619FF-8B86-D011-B42D" is not a GUID '
            "(32 hex digits, or 8-4-4-4-12 hex digits with dashes)",
        ),
        (
            "skills: [{id: EN, external_name: English}]\nusers: [{id: A, skills: {english: 2}}]\n",
            'users[0] (id A): skills: skill "english" is not in the skill catalog, and its '
            "implied external name is that of skills[0] (id EN)",
        ),
        (
            "skills: [{id: EN, external_name: English}]\n"
            "queues: [{id: '2001', channel: phone, skills: {English: 2}}]\n",
            'queues[0] (id 2001): skills: skill "English" is not in the skill catalog',
        ),
        (
            f"users: [{{id: A, guid: {GUID}}}, {{id: B, guid: '{DASHED_GUID}'}}]\n",
            f'users[1] (id B): guid: duplicate guid "{GUID}" (also users[0])',
        ),
        (
            "users: [{id: A, guid: 12345}]\n",
            'users[0] (id A): guid: "12345" is not a GUID',
        ),
        (
            "users: [{id: A, crm_login: agent1}, {id: B, crm_login: ' AGENT1'}]\n",
            'users[1] (id B): crm_login: duplicate crm_login "AGENT1" '
            "(also users[0], ignoring case)",
        ),
        (
            "users: [{id: A, phone: '+129'}, {id: B, phone: '+129'}]\n",
            'users[1] (id B): phone: "+129" is also the phone of users[0]',
        ),
        ("agents: []\n", "agents: unknown field; allowed: parameters, skills, queues, users"),
        ("users: HARRI\n", "users: Input should be a valid list"),
        ("- HARRI\n", "the file holds a list, expected a mapping"),
        ("users: []\nusers: []\n", 'line 2, column 1: invalid YAML: duplicate key "users"'),
        ("users: [\n", "line 2, column 1: invalid YAML: while parsing a flow"),
    ],
)
def test_bad_config_names_file_entry_and_field(tmp_path: Path, text: str, expected: str) -> None:
    problems = problems_of(write(tmp_path, text))
    assert any(problem.startswith(expected) for problem in problems), problems


def test_skill_catalog_and_user_ids(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            f"""\
            skills:
              - {{id: English, guid: '{DASHED_GUID.lower()}', external_name: ' EN '}}
              - {{id: German}}
            queues: [{{id: '2001', channel: phone, skills: {{Finnish: 2, English: 3}}}}]
            users:
              - {{id: HARRI, guid: {GUID.lower()}, crm_login: ' hagent ', skills: {{Swedish: 1}}}}
              - {{id: ANNA, skills: {{German: 4}}}}
            """,
        )
    )

    english, german = config.skills
    assert (english.id, english.guid, english.external_name) == ("English", GUID, "EN")
    assert (german.id, german.guid, german.external_name) == ("German", None, "German")
    harri, anna = config.users
    assert (harri.guid, harri.crm_login) == (GUID, "hagent")
    assert (anna.guid, anna.crm_login) == (None, None)
    implied = config.implied_skills()
    assert [(skill.id, skill.guid, skill.external_name) for skill in implied] == [
        ("Finnish", None, "Finnish"),
        ("Swedish", None, "Swedish"),
    ]


def test_skill_problems_are_reported_with_the_rest(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"""\
        skills:
          - {{id: A, guid: {GUID}}}
          - {{id: B, guid: '{DASHED_GUID}', external_name: a}}
          - {{id: C, guid: nope}}
        users:
          - {{id: X, crm_login: c1, guid: {GUID}}}
          - {{id: Y, crm_login: C1, guid: {GUID}}}
        """,
    )
    assert problems_of(path) == [
        f'skills[1] (id B): guid: duplicate guid "{GUID}" (also skills[0])',
        'skills[1] (id B): external_name: duplicate external name "a" '
        "(also skills[0], ignoring case)",
        'skills[2] (id C): guid: "nope" is not a GUID '
        "(32 hex digits, or 8-4-4-4-12 hex digits with dashes)",
        f'users[1] (id Y): guid: duplicate guid "{GUID}" (also users[0])',
        'users[1] (id Y): crm_login: duplicate crm_login "C1" (also users[0], ignoring case)',
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GUID, GUID),
        (GUID.lower(), GUID),
        (DASHED_GUID, GUID),
        (f" {DASHED_GUID.lower()} ", GUID),
        ("6F9619FF-8B86D011-B42D-00C04FC964FF", None),
        ("{6F9619FF-8B86-D011-B42D-00C04FC964FF}", None),
        (GUID[:-1] + "G", None),
        (GUID + "0", None),
        ("English", None),
    ],
)
def test_normalized_guid(text: str, expected: str | None) -> None:
    assert normalized_guid(text) == expected


def test_missing_file(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "absent.yaml") == ["file not found"]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        parameters: {OII.Countr: 49, OII.Chat: maybe}
        queues:
          - {id: '2001', channel: fax}
          - {id: '2002', channel: phone}
        users:
          - {id: harri, phon: x, queues: ['2009']}
          - {id: HARRI, queues: ['2001', '2002']}
        """,
    )
    problems = problems_of(path)
    assert problems == [
        "parameters: OII.Countr: unknown module parameter",
        'parameters: OII.Chat: invalid value "maybe"; allowed: 0 or 1',
        "queues[0] (id 2001): channel: Input should be 'phone', 'email', 'chat' or 'action'",
        "users[0] (id harri): phon: unknown field; "
        "allowed: id, name, phone, email, chat, queues, skills, guid, crm_login",
        'users[0] (id harri): queues: unknown queue "2009"',
        'users[1] (id HARRI): id: duplicate user id "HARRI" (also users[0], ignoring case)',
    ]


def test_parameter_tables() -> None:
    names = [spec.name for spec in MODULE_PARAMETERS]
    # 4.3.1's rows plus OII.RemovePlusPrefix of the revision history.
    assert len(names) == len(set(names)) == 47
    assert sum(name.startswith("OII.") for name in names) == 43
    assert len(REGISTRY_SETTINGS) == 11
    assert [spec.name for spec in QUEUE_PARAMETERS] == ["AnswerInfo", "OII"]
    for spec in (*MODULE_PARAMETERS, *REGISTRY_SETTINGS, *QUEUE_PARAMETERS):
        assert validate_value(spec, spec.default) == spec.default, spec.name
    assert get_parameter("OII.CADApplicationID").default == "SAP_BCM/OII"


def test_parameter_lookup_ignores_case() -> None:
    assert get_parameter("oii.ignoreoperdirect").name == "OII.IgnoreOperDirect"
    assert get_parameter(" soap_wait_ms ").name == "SOAP_WAIT_MS"
    assert get_parameter("oii.sapphoneclient3").name == "OII.SAPphoneClient3"
    assert find_parameter("OII.SAPphoneClient1") is None
    assert find_parameter("OII.Nothing") is None
    with pytest.raises(ParameterError, match=r"^OII\.Nothing: unknown module parameter$"):
        get_parameter("OII.Nothing")


@pytest.mark.parametrize(
    ("name", "value", "canonical"),
    [
        ("OII.Email", True, "1"),
        ("OII.Email", "off", "0"),
        ("OII.BusyStatusDuration", " 2500 ", "2500"),
        ("OII.GetPresenceQueueInfoFilter", 2, "2"),
        ("OII.MapSubscribeUrl", "127.0.0.1:80,  server1.com:80", "127.0.0.1:80,server1.com:80"),
        ("OII.MapSubscribeUrl", None, ""),
    ],
)
def test_validate_value_canonicalises(name: str, value: object, canonical: str) -> None:
    assert validate_value(get_parameter(name), value) == canonical


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("OII.BusyStatusDuration", "-1", 'invalid value "-1"; allowed: an integer >= 0'),
        ("OII.GetPresenceQueueInfoFilter", "3", 'invalid value "3"; allowed: 0 or 1 or 2'),
        ("SOAP_TIMEOUT_MS", "soon", 'invalid value "soon"; allowed: an integer >= 1'),
        ("OII.Country", [49], "expected a single value, got list"),
    ],
)
def test_validate_value_explains(name: str, value: object, message: str) -> None:
    with pytest.raises(ParameterError) as caught:
        validate_value(get_parameter(name), value)
    assert str(caught.value).startswith(f"{name}: ")
    assert message in str(caught.value)


def test_module_parameters_typed_view() -> None:
    parameters = ModuleParameters.from_values(
        {"oii.email": "1", "SOAP_WAIT_MS": "100", "ICIUSER_SETCURRENTQUEUES": "1", "x": "y"}
    )
    assert parameters.flag("OII.Email") is True
    assert parameters.flag("OII.Chat") is False
    assert parameters.integer("SOAP_WAIT_MS") == 100
    assert parameters.integer("OII.GetPresenceQueueInfoFilter") == 0
    assert parameters.text("OII.IDD") == "00"
    assert parameters.items("ExtraDataWhenConnected") == ("SIP_CALL_ID",)
    # OII.SetCurrentQueues overrides the registry setting only when it is set (spec 4.2).
    assert parameters.flag("OII.SetCurrentQueues") is True
    overridden = ModuleParameters.from_values(
        {"ICIUSER_SETCURRENTQUEUES": "1", "OII.SetCurrentQueues": "0"}
    )
    assert overridden.flag("OII.SetCurrentQueues") is False
    with pytest.raises(TypeError):
        parameters.integer("OII.IDD")


def test_invalid_stored_value_falls_back_to_default(caplog: pytest.LogCaptureFixture) -> None:
    parameters = ModuleParameters.from_values({"OII.BusyStatusDuration": "soon"})
    assert parameters.integer("OII.BusyStatusDuration") == 5000
    assert "OII.BusyStatusDuration" in caplog.text
