"""Integrity tests of the ICI data transcribed from spec chapters 7.1, 9 and 10."""

from __future__ import annotations

import enum
from collections import Counter

from oii_shared.ici import tables
from oii_shared.ici.operations import EVENTS, OPERATIONS
from oii_shared.ici.schema import (
    BOOLEAN,
    DATETIME,
    INT,
    PRIMITIVES,
    STRING,
    VOID,
    Field,
    Interface,
    Operation,
    Owner,
)
from oii_shared.ici.types import TYPES

# The "Functions" column of the table in spec 7.1.
SPEC_7_1_FUNCTIONS: dict[Interface, tuple[str, ...]] = {
    Interface.SYSTEM: (
        "exchangeProductInformation",
        "getWorkcenterCapability",
        "getPresenceQueueInfo",
        "getUserPresence",
    ),
    Interface.USER: (
        "getAttributes",
        "setWorkmode",
        "setCurrentChannels",
        "setCurrentQueues",
        "setAddresses",
        "subscribe",
        "unsubscribe",
    ),
    Interface.EVENT: (
        "userChanged",
        "subscriptionEnded",
        "containerChanged",
        "phoneCallChanged",
        "messageChanged",
        "chatChanged",
        "chatNewPosting",
        "actionItemChanged",
        "monitorDataChanged",
    ),
    Interface.ITEM: (
        "create",
        "wrapUpRequired",
        "wrapUpEnded",
        "accept",
        "reroute",
        "forward",
        "getAttachedData",
        "setAttachedData",
        "deleteAttachedData",
    ),
    Interface.CONTAINER: ("subscribe", "unsubscribe"),
    Interface.PHONE_LINE: ("getCalls", "dropCalls"),
    Interface.PHONE_CALL: (
        "getAttributes",
        "dial",
        "consult",
        "transfer",
        "reconnect",
        "drop",
        "hold",
        "unhold",
        "alternate",
        "conference",
        "dropParty",
    ),
    Interface.FOLDER: ("getMessages",),
    Interface.MESSAGE: (
        "getAttributes",
        "getContent",
        "setContent",
        "delete",
        "send",
        "setActionFlags",
        "end",
    ),
    Interface.CHAT_LINE: ("getSessions",),
    Interface.CHAT_SESSION: ("getAttributes", "postMessage", "getDialog", "invite", "leave"),
    Interface.ACTION_ITEM: ("route",),
    Interface.MONITOR: ("subscribe", "getInstances", "getCatalog", "unsubscribe"),
}

# Operations defined in chapter 9, per interface.
CHAPTER_9_COUNTS: dict[Interface, int] = {
    Interface.SYSTEM: 8,
    Interface.USER: 7,
    Interface.EVENT: 8,
    Interface.ITEM: 9,
    Interface.CONTAINER: 2,
    Interface.PHONE_LINE: 2,
    Interface.PHONE_CALL: 11,
    Interface.FOLDER: 1,
    Interface.MESSAGE: 6,
    Interface.CHAT_LINE: 1,
    Interface.CHAT_SESSION: 5,
    Interface.ACTION_ITEM: 1,
}

EXPECTED_OWNERS: dict[Interface, Owner] = {
    Interface.USER: Owner.GATEWAY,
    Interface.CONTAINER: Owner.GATEWAY,
    Interface.MONITOR: Owner.GATEWAY,
    Interface.ITEM: Owner.ITEM_OWNER,
    Interface.PHONE_LINE: Owner.TELEPHONY,
    Interface.PHONE_CALL: Owner.TELEPHONY,
    Interface.FOLDER: Owner.MESSAGING,
    Interface.MESSAGE: Owner.MESSAGING,
    Interface.CHAT_LINE: Owner.CHAT,
    Interface.CHAT_SESSION: Owner.CHAT,
    Interface.ACTION_ITEM: Owner.ACTION,
    Interface.EVENT: Owner.NOTIFIER,
}
# IciMessage.end ends an action item (7.1): it goes to the item's owner, as IciItem does.
OPERATION_OWNERS: dict[tuple[Interface, str], Owner] = {
    (Interface.MESSAGE, "end"): Owner.ITEM_OWNER,
}

ALL_OPERATIONS: tuple[Operation, ...] = OPERATIONS + EVENTS


def _find(interface: Interface, name: str) -> Operation:
    matches = [op for op in ALL_OPERATIONS if op.interface is interface and name in op.names]
    assert len(matches) == 1, (interface, name, matches)
    return matches[0]


def _all_fields() -> list[tuple[str, Field]]:
    found = [(f"type {t.name}", f) for t in TYPES.values() for f in t.fields]
    for op in ALL_OPERATIONS:
        where = f"{op.interface.value}.{op.name}"
        found += [(where, f) for f in op.request + op.response]
    return found


def test_every_field_type_is_known() -> None:
    unknown = [
        (where, f.name, f.type)
        for where, f in _all_fields()
        if f.type not in PRIMITIVES and f.type not in TYPES
    ]
    assert unknown == []


def test_types_are_keyed_by_name_without_prefix() -> None:
    for key, complex_type in TYPES.items():
        assert key == complex_type.name
        assert not key.startswith("ici.")
        names = [f.name for f in complex_type.fields]
        assert len(names) == len(set(names)), key


def test_every_type_is_used() -> None:
    used = {f.type for _, f in _all_fields()}
    assert set(TYPES) - used == set()


def test_operation_interfaces_and_owners() -> None:
    for op in OPERATIONS:
        assert isinstance(op.interface, Interface)
        assert op.interface is not Interface.EVENT
        assert isinstance(op.owner, Owner)
        if op.interface in EXPECTED_OWNERS:
            expected = OPERATION_OWNERS.get((op.interface, op.name), EXPECTED_OWNERS[op.interface])
            assert op.owner is expected, op.name
    for op in EVENTS:
        assert op.interface is Interface.EVENT
        assert op.owner is Owner.NOTIFIER


def test_system_owners() -> None:
    gateway = {
        "exchangeProductInformation",
        "getWorkcenterCapability",
        "getPresenceQueueInfo",
        "getUserPresence",
    }
    for op in OPERATIONS:
        if op.interface is Interface.SYSTEM:
            expected = Owner.GATEWAY if op.name in gateway else Owner.TELEPHONY
            assert op.owner is expected, op.name


def test_names_and_aliases_unique_per_interface() -> None:
    for interface in Interface:
        names = Counter(
            name for op in ALL_OPERATIONS if op.interface is interface for name in op.names
        )
        assert [name for name, count in names.items() if count > 1] == [], interface


def test_no_two_operations_share_a_name_ignoring_case() -> None:
    for interface in Interface:
        owner_of: dict[str, str] = {}
        for op in ALL_OPERATIONS:
            if op.interface is not interface:
                continue
            for name in op.names:
                assert owner_of.setdefault(name.lower(), op.name) == op.name, (interface, name)


def test_request_and_response_fields_unique() -> None:
    for op in ALL_OPERATIONS:
        for part in (op.request, op.response):
            names = [f.name for f in part]
            assert len(names) == len(set(names)), op.name


def test_every_spec_7_1_function_is_present() -> None:
    for interface, functions in SPEC_7_1_FUNCTIONS.items():
        for function in functions:
            _find(interface, function)


def test_operation_counts() -> None:
    from_chapter_9 = Counter(op.interface for op in ALL_OPERATIONS if op.spec_section[:2] == "9.")
    assert dict(from_chapter_9) == CHAPTER_9_COUNTS
    served_in_chapter_9 = sum(n for i, n in CHAPTER_9_COUNTS.items() if i is not Interface.EVENT)
    assert served_in_chapter_9 == 53
    # Chapter 7.1 adds IciMessage.end and the four IciMonitor operations.
    assert len(OPERATIONS) == 58
    assert len(EVENTS) == 9
    assert {op.interface for op in OPERATIONS} == set(Interface) - {Interface.EVENT}


def test_spec_sections_match_interfaces() -> None:
    chapter = {
        Interface.SYSTEM: "9.1.",
        Interface.USER: "9.2.",
        Interface.EVENT: "9.3.",
        Interface.ITEM: "9.4.",
        Interface.CONTAINER: "9.5.",
        Interface.PHONE_LINE: "9.6.",
        Interface.PHONE_CALL: "9.7.",
        Interface.FOLDER: "9.8.",
        Interface.MESSAGE: "9.9.",
        Interface.CHAT_LINE: "9.10.",
        Interface.CHAT_SESSION: "9.11.",
        Interface.ACTION_ITEM: "9.12.",
    }
    sections = [op.spec_section for op in ALL_OPERATIONS if op.spec_section != "7.1"]
    assert len(sections) == len(set(sections))
    for op in ALL_OPERATIONS:
        assert op.doc
        if op.spec_section != "7.1":
            assert op.spec_section.startswith(chapter[op.interface]), op.name


def test_aliases() -> None:
    assert _find(Interface.USER, "setWorkmode").name == "setCurrentWorkmode"
    assert _find(Interface.SYSTEM, "createCallback").name == "createCallBack"
    assert _find(Interface.SYSTEM, "updateCallback").name == "updateCallBack"
    assert _find(Interface.SYSTEM, "getCallbacks").name == "getCallBacks"
    assert _find(Interface.CHAT_LINE, "getSession").name == "getSessions"


def _check_table(
    capabilities: dict[int, tables.Capability], statuses: dict[int, tables.Status]
) -> None:
    for key, capability in capabilities.items():
        assert key == capability.id
        assert capability.name and capability.method
    for key, status in statuses.items():
        assert key == status.id
        assert status.name and status.description
        assert set(status.capabilities) <= set(capabilities), status
        assert list(status.capabilities) == sorted(set(status.capabilities)), status


def test_status_capabilities_exist() -> None:
    _check_table(tables.PHONE_CALL_CAPABILITIES, tables.PHONE_CALL_STATUSES)
    _check_table(tables.MESSAGE_CAPABILITIES, tables.MESSAGE_STATUSES)
    _check_table(tables.CHAT_SESSION_CAPABILITIES, tables.CHAT_SESSION_STATUSES)
    _check_table(tables.ACTION_SESSION_CAPABILITIES, tables.ACTION_SESSION_STATUSES)


def test_capability_methods_name_operations() -> None:
    documented_elsewhere = {
        "IciPhoneCall_listen",
        "IciPhoneCall_listenEnd",
        "IciChatSession_join",
        "IciChatSession_conference",
        "IciActionItem_enqueue",
    }
    for table in tables.CAPABILITY_TABLES.values():
        for capability in table.values():
            if capability.method in documented_elsewhere:
                continue
            interface_name, _, operation = capability.method.partition("_")
            _find(Interface(interface_name), operation)


def test_enums_match_tables() -> None:
    pairs: list[tuple[type[enum.IntEnum], dict[int, object]]] = [
        (tables.PhoneCallStatus, dict(tables.PHONE_CALL_STATUSES)),
        (tables.MessageStatus, dict(tables.MESSAGE_STATUSES)),
        (tables.ChatSessionStatus, dict(tables.CHAT_SESSION_STATUSES)),
        (tables.ActionSessionStatus, dict(tables.ACTION_SESSION_STATUSES)),
        (tables.PhoneCallCapability, dict(tables.PHONE_CALL_CAPABILITIES)),
        (tables.MessageCapability, dict(tables.MESSAGE_CAPABILITIES)),
        (tables.ChatSessionCapability, dict(tables.CHAT_SESSION_CAPABILITIES)),
        (tables.ActionSessionCapability, dict(tables.ACTION_SESSION_CAPABILITIES)),
        (tables.ProcessingStatus, dict(tables.PROCESSING_STATUSES)),
        (tables.ItemStatus, dict(tables.ITEM_STATUSES)),
    ]
    for enum_type, table in pairs:
        assert {m.value for m in enum_type} == set(table), enum_type


def test_described_enums_have_descriptions() -> None:
    described = [
        tables.ChannelType,
        tables.ContainerType,
        tables.DestinationType,
        tables.ContainerStatus,
        tables.Workmode,
        tables.WrapUpMode,
        tables.PresenceStatus,
        tables.CollaborationType,
        tables.SubscriptionEndedReason,
        tables.ConsultNextStep,
        tables.WorkcenterIdentificationType,
        tables.ProcessingStatus,
        tables.ItemStatus,
    ]
    for enum_type in described:
        for member in enum_type:
            assert member.description, member


def test_status_spot_checks() -> None:
    connected = (3, 4, 6, 7, 8, 102, 104, 105, 107, 109, 110)
    assert tables.PHONE_CALL_STATUSES[101].capabilities == connected
    assert tables.PhoneCallStatus.CONNECTED.status.name == "Connected"
    hold = (4, 6, 7, 8, 102, 103, 104, 105, 108, 109, 110)
    assert tables.PhoneCallStatus.HOLD.capabilities == hold
    assert tables.PHONE_CALL_STATUSES[2].capabilities == ()
    assert tables.PHONE_CALL_STATUSES[109].name == "ConferenceParticipant"
    assert tables.CHAT_SESSION_STATUSES[301].capabilities == (3, 4, 6, 7, 8, 301, 302, 303, 304)
    assert tables.CHAT_SESSION_STATUSES[302].capabilities == (301,)
    assert tables.MESSAGE_STATUSES[202].capabilities == (4, 6, 7, 8, 201, 202, 203)
    assert tables.ACTION_SESSION_STATUSES[3].capabilities == (1, 2, 3, 6)
    assert tables.ACTION_SESSION_CAPABILITIES[403].method == "IciMessage_end"
    assert tables.PHONE_CALL_CAPABILITIES[110].method == "IciPhoneCall_reconnect"
    assert tables.MessageCapability.SEND.capability.method == "IciMessage_send"
    assert all("Icil" not in s.description for s in tables.PHONE_CALL_STATUSES.values())


def test_enum_spot_checks() -> None:
    assert tables.Workmode.READY.value == 2
    assert tables.Workmode.NO_PHONE.description == "No Phone"
    assert tables.Workmode.NOT_READY.description == "Logged on - not ready"
    assert tables.ChannelType.ACTION.value == 4
    assert tables.ChannelType.ACTION.description == "action routing"
    assert tables.PresenceStatus.LOGGED_OFF.description == "LoggedOff"
    assert tables.SubscriptionEndedReason.TIMEOUT.value == 3
    assert tables.DestinationType.QUEUE.value == 12
    assert tables.ProcessingStatus.WRAP_UP.description == "Wrap up"
    assert tables.CallbackResult.NO_ANSWER in tables.CALLBACK_FAILURES
    assert tables.CallbackResult.HANDLED not in tables.CALLBACK_FAILURES


def test_user_field_order() -> None:
    assert [f.name for f in TYPES["User"].fields] == [
        "message",
        "userId",
        "currentWorkmode",
        "workmodes",
        "wrapUpMode",
        "currentChannels",
        "channels",
        "currentQueues",
        "queues",
        "addresses",
        "cmsHostId",
    ]
    wrap_up = TYPES["User"].fields[4]
    assert (wrap_up.type, wrap_up.nillable, wrap_up.min_occurs) == (INT, False, 1)
    workmodes = TYPES["User"].fields[3]
    assert (workmodes.type, workmodes.array) == ("TextElement", True)


def test_type_spot_checks() -> None:
    phone_call = {f.name: f for f in TYPES["PhoneCall"].fields}
    assert list(phone_call)[:3] == ["message", "lineNumber", "callHandle"]
    assert "dialedNumber" in phone_call
    assert phone_call["inbound"].type == BOOLEAN
    assert (phone_call["inbound"].nillable, phone_call["inbound"].min_occurs) == (False, 1)
    assert phone_call["capabilityList"].type == INT and phone_call["capabilityList"].array
    assert phone_call["remoteNumbers"].type == STRING and phone_call["remoteNumbers"].array
    assert [f.name for f in TYPES["TextElement"].fields] == ["message", "id", "description"]
    assert [f.name for f in TYPES["Item"].fields] == [
        "message",
        "status",
        "itemId",
        "processingStatus",
        "capabilityList",
    ]
    message = {f.name: f for f in TYPES["Message"].fields}
    assert not message["originator"].array
    assert [f.name for f in TYPES["Message"].fields][-4:] == [
        "notification",
        "read",
        "answered",
        "forwarded",
    ]
    chat = TYPES["ChatSession"].fields
    assert chat[0].name == "title" and chat[0].min_occurs == 1 and chat[0].nillable
    recording = {f.name: f for f in TYPES["CallRecording"].fields}
    assert recording["creationTime"].type == DATETIME
    assert (recording["creationTime"].nillable, recording["creationTime"].min_occurs) == (False, 1)
    assert (recording["callHandle"].nillable, recording["callHandle"].min_occurs) == (False, 0)
    call_back = {f.name: f for f in TYPES["CallBack"].fields}
    assert call_back["failures"].type == INT and not call_back["failures"].nillable
    action_item = TYPES["ActionItem"].fields
    assert action_item[-1].name == "actionItemAttributes"
    assert action_item[-1].type == "Attribute" and action_item[-1].array
    assert [f.name for f in TYPES["QueueInfo"].fields][:3] == ["id", "description", "guid"]


def test_operation_spot_checks() -> None:
    get_attributes = _find(Interface.USER, "getAttributes")
    assert [(f.name, f.type) for f in get_attributes.response] == [
        ("response", "User"),
        ("cmsHostId", STRING),
    ]
    get_call_backs = _find(Interface.SYSTEM, "getCallBacks")
    assert get_call_backs.request == ()
    assert len(get_call_backs.response) == 1
    response = get_call_backs.response[0]
    assert (response.name, response.type, response.array) == ("response", "CallBack", True)
    route = _find(Interface.ACTION_ITEM, "route")
    assert [f.name for f in route.request] == [
        "actionItemId",
        "itemData",
        "routingAttributes",
        "scenarioId",
    ]
    assert route.request[1].type == "ActionItem"
    assert (route.request[2].type, route.request[2].array) == ("Attribute", True)
    consult = _find(Interface.PHONE_CALL, "consult")
    assert [f.name for f in consult.request] == [
        "lineNumber",
        "callHandle",
        "connCallHandle",
        "dialNumber",
        "nextStep",
    ]
    assert consult.request[-1].type == INT
    create = _find(Interface.ITEM, "create")
    assert [f.name for f in create.request] == ["channelType", "containerId"]
    assert create.response == (Field("response", "Item"),)
    forward = _find(Interface.ITEM, "forward")
    assert [f.name for f in forward.request] == ["itemId", "containerId", "destType", "destination"]
    users = _find(Interface.SYSTEM, "getUserPresence").request[0]
    assert (users.name, users.type, users.array) == ("users", STRING, True)
    assert [f.name for f in _find(Interface.USER, "setCurrentWorkmode").response] == ["response"]
    assert _find(Interface.PHONE_LINE, "getCalls").response[0].array
    assert not _find(Interface.CHAT_SESSION, "getAttributes").response[0].array
    assert [f.name for f in _find(Interface.CHAT_SESSION, "postMessage").request][-1] == (
        "contentText"
    )
    send = _find(Interface.MESSAGE, "send")
    assert [f.type for f in send.request] == [STRING, BOOLEAN, BOOLEAN]
    changed = _find(Interface.EVENT, "actionItemChanged")
    assert [f.name for f in changed.request] == [
        "appIds",
        "userIds",
        "actionSession",
        "actionItemId",
        "itemData",
        "scenarioId",
    ]
    for event in EVENTS:
        assert event.request[0].name == "appIds" and event.request[0].array
        assert [(f.name, f.type) for f in event.response] == [("response", VOID)]


def test_void_operations_answer_an_empty_response_element() -> None:
    assert _find(Interface.SYSTEM, "updateCallBack").response == ()
    for op in (_find(Interface.USER, "setCurrentWorkmode"), _find(Interface.ITEM, "accept")):
        assert [(f.name, f.type) for f in op.response] == [("response", VOID)]
