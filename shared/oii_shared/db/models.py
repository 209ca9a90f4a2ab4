"""Configuration tables: users, queues, their skills and memberships, module parameters.

Each table has a ``...Base`` with the fields an API would read or write and the
table model adding keys, in the style of the FastAPI full-stack template.
Changing a table means a new migration in ``db/migrations/versions``.
"""

from __future__ import annotations

from sqlmodel import Field, SQLModel


def user_key(user_id: str) -> str:
    """The lookup key of a login name: the spec treats user ids case-insensitively."""
    return user_id.strip().casefold()


class UserBase(SQLModel):
    name: str = ""
    phone: str | None = Field(default=None, index=True)
    email: str | None = Field(default=None, index=True)
    chat: str | None = Field(default=None, index=True)


class User(UserBase, table=True):
    __tablename__ = "users"

    # The login name as first written; CRM may send it in any case, so look up by ``key``.
    id: str = Field(primary_key=True)
    key: str = Field(unique=True, index=True)


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
