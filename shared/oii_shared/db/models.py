"""Configuration tables (users, queues, skills, memberships, parameters) and call history.

Each table has a ``...Base`` with the fields an API would read or write and the
table model adding keys, in the style of the FastAPI full-stack template.
Changing a table means a new migration in ``db/migrations/versions``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, TypeDecorator
from sqlmodel import Field, SQLModel


def user_key(user_id: str) -> str:
    """The lookup key of a login name: the spec treats user ids case-insensitively."""
    return user_id.strip().casefold()


def new_guid() -> str:
    """A GUID as stored: 32 upper-case hex digits."""
    return uuid.uuid4().hex.upper()


class UserBase(SQLModel):
    name: str = ""
    phone: str | None = Field(default=None, index=True)
    email: str | None = Field(default=None, index=True)
    chat: str | None = Field(default=None, index=True)
    # The CRM login id (7.3 REQUIRED_AGENT), compared without case.
    crm_login: str | None = Field(default=None, index=True)


class User(UserBase, table=True):
    __tablename__ = "users"

    # The login name as first written; CRM may send it in any case, so look up by ``key``.
    id: str = Field(primary_key=True)
    key: str = Field(unique=True, index=True)
    # 32 upper-case hex digits; generated once, then kept unless the YAML names another.
    guid: str = Field(default_factory=new_guid, unique=True, index=True)


class QueueBase(SQLModel):
    name: str = ""
    # One of oii_shared.config.schema.Channel: phone, email, chat, action.
    channel: str = Field(index=True)
    # Queue parameter OII (spec 4.3.2, 4.7.1).
    enabled: bool = True
    # Queue parameter AnswerInfo (spec 4.7.2).
    answer_info: str = ""


class Queue(QueueBase, table=True):
    __tablename__ = "queues"

    # The queue's address: phone number, e-mail or chat address, ACTION, OII_EMAIL...
    id: str = Field(primary_key=True)


class Skill(SQLModel, table=True):
    """A skill of the catalog: CRM names it by GUID or external name (7.3 SKILL)."""

    __tablename__ = "skills"

    # The name the users' and queues' skill rows (``skill``) use.
    id: str = Field(primary_key=True)
    # 32 upper-case hex digits; generated once, then kept unless the YAML names another.
    guid: str = Field(default_factory=new_guid, unique=True, index=True)
    external_name: str = Field(unique=True, index=True)


class UserQueue(SQLModel, table=True):
    """The queues a user may serve (which ones are active is live state in NATS)."""

    __tablename__ = "user_queues"

    user_id: str = Field(foreign_key="users.id", primary_key=True, ondelete="CASCADE")
    queue_id: str = Field(foreign_key="queues.id", primary_key=True, ondelete="CASCADE", index=True)


class UserSkill(SQLModel, table=True):
    __tablename__ = "user_skills"

    user_id: str = Field(foreign_key="users.id", primary_key=True, ondelete="CASCADE")
    skill: str = Field(primary_key=True)
    level: int = Field(ge=1, le=5)


class QueueSkill(SQLModel, table=True):
    """A skill a contact of the queue requires, at least at ``level``."""

    __tablename__ = "queue_skills"

    queue_id: str = Field(foreign_key="queues.id", primary_key=True, ondelete="CASCADE")
    skill: str = Field(primary_key=True)
    level: int = Field(ge=1, le=5)


class ModuleParameter(SQLModel, table=True):
    """A module parameter or registry setting that is set; unset ones take the spec's default."""

    __tablename__ = "module_parameters"

    # The spec's spelling (oii_shared.config.parameters); values are canonical strings.
    name: str = Field(primary_key=True)
    value: str = ""


class NotReadyReasonBase(SQLModel):
    description: str = ""


class NotReadyReason(NotReadyReasonBase, table=True):
    """A custom not-ready workmode offered besides the spec's 1, 2, 3 and 1000 (10.10)."""

    __tablename__ = "not_ready_reasons"

    # Above 1000 (No Phone), so it never collides with a workmode of the spec.
    id: int = Field(primary_key=True, gt=1000)


# --------------------------------------------------------------------------- telephony history
# Callbacks (IciSystem 9.1.6-9.1.8) and call recordings (9.1.5), written and read by
# telephony-svc (oii_telephony.callbacks, oii_telephony.recordings); migration 0003.


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp, the same on every database.

    SQLite stores no offset: values are converted to UTC on the way in (a naive
    value is refused, it would be ambiguous) and marked UTC on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} given for a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class CallbackBase(SQLModel):
    # Only the characters +0123456789 (spec 1.2).
    number: str = Field(index=True)
    # The queue's id (its number), whichever of number or name createCallBack was given.
    queue_id: str = Field(index=True)
    max_calls: int
    failures: int = 0
    # A CallbackResult value; None until the first result.
    last_result: str | None = None
    # extraData exactly as createCallBack received it (returned by getCallBacks).
    extra_data: str = ""
    notes: str = ""
    gw_prefix: str = ""
    # What extraData asked for (9.1.6.2): contact priority, skill levels, CAD key -> value.
    priority: int = 1
    skills: dict[str, int] = Field(default_factory=dict, sa_type=JSON)
    attached_data: dict[str, str] = Field(default_factory=dict, sa_type=JSON)


class Callback(CallbackBase, table=True):
    """A web callback request; open while ``handled_time`` is None."""

    __tablename__ = "callbacks"

    # Upper-case GUID with dashes, e.g. C2DE7EC4-7886-466D-8A04-1120845D5E57.
    id: str = Field(primary_key=True)
    created_at: datetime = Field(sa_type=UtcDateTime)
    # When the next call is due; None once handled.
    next_call_time: datetime | None = Field(default=None, sa_type=UtcDateTime, index=True)
    last_call_time: datetime | None = Field(default=None, sa_type=UtcDateTime)
    handled_time: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # "<queue_id> <number>" while open, None once handled: one open callback per number
    # and queue (9.1.6), enforced by the database even across service replicas.
    open_key: str | None = Field(default=None, unique=True)
    # Set while a scheduler has handed the callback to the call engine: until then no
    # other scheduler offers it again. A lease its holder (``offered_by``) renews while it
    # runs, so the offer of a replica that died is made again by another one.
    offered_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    offered_by: str | None = Field(default=None, index=True)
    # Incremented by every write: writers compare-and-set on it.
    version: int = 0


class CallRecordingBase(SQLModel):
    # The call's handle: the call GUID without dashes (spec 7.2.1).
    call_handle: str = Field(index=True)
    # The agent's login name as configured; ``user_key`` is its lookup form.
    user_id: str = ""
    user_key: str = Field(default="", index=True)
    # The agent's phone line (ICI containerId) and the customer's number.
    line: str = ""
    remote_number: str = ""
    # "inbound" (the customer called) or "outbound" (the agent called the customer).
    direction: str = "inbound"
    # The queue an inbound call came through; "" for direct and outbound calls.
    queue_id: str = ""
    # Where the recording file is (a directory or URL prefix) and its name in there.
    file_path: str = ""
    file_name: str = Field(default="", index=True)
    duration_s: int | None = None


class CallRecording(CallRecordingBase, table=True):
    """One recorded call, for IciSystem.getCallRecordings (9.1.5, 10.7)."""

    __tablename__ = "call_recordings"

    id: int | None = Field(default=None, primary_key=True)
    # When the recording was saved (10.7 creationTime); getCallRecordings filters on it.
    creation_time: datetime = Field(sa_type=UtcDateTime, index=True)
    # When the call was connected and disconnected.
    start_time: datetime | None = Field(default=None, sa_type=UtcDateTime)
    end_time: datetime | None = Field(default=None, sa_type=UtcDateTime)


# --------------------------------------------------------------------------- action items
# The record of every action item (IciActionItem.route, 9.12), written and read by
# action-svc (oii_action.items.records); migration 0005.


class ActionItemRecord(SQLModel, table=True):
    """An action item; open while ``ended_at`` is None."""

    __tablename__ = "action_items"

    # 32 upper-case hex digits, the first the action channel's channelType (4).
    id: str = Field(primary_key=True)
    # CRM's processId (itemData), for OII.CheckDuplicateActionItem's search.
    process_id: str = Field(default="", index=True)
    # The processId while the item is open and duplicates are checked: one open item per
    # processId, enforced by the database even across service replicas.
    open_key: str | None = Field(default=None, unique=True)
    created_at: datetime = Field(sa_type=UtcDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UtcDateTime, index=True)
    # Ended by CRM routing it again with DELETE=X.
    deleted: bool = False
    # The item's live state as action-svc last wrote it (oii_action.items.model.ActionItem),
    # and that state's version: replicas write in any order, a row never goes back.
    item: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    version: int = 0
