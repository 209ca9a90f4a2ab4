"""Typed domain events published once to JetStream.

In the style of wazo-calld's events: each event class names itself and builds
its subject from its own fields::

    class UserChanged(Event):
        name = "user_changed"
        subject_format = "oii.events.user.{user_id}.changed"
        user_id: str

On the wire an event is ``{"name": ..., "data": {...fields}}`` as JSON, with the
name also in the ``Oii-Event`` header so consumers can route without parsing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from string import Formatter
from typing import Any, ClassVar, TypeVar

from nats.js import JetStreamContext, api
from pydantic import BaseModel, ConfigDict

NAME_HEADER = "Oii-Event"
MSG_ID_HEADER = "Nats-Msg-Id"
# Characters that would split or wildcard a subject token; "%" so escaping round-trips.
_SUBJECT_UNSAFE = re.compile(r"[\s.*>%]")

E = TypeVar("E", bound="Event")


def subject_token(value: object) -> str:
    """``value`` as one subject token: ``"jane.doe@x.com"`` -> ``"jane%2Edoe@x%2Ecom"``."""
    text = str(value)
    if not text:
        raise ValueError("an empty value cannot be a subject token")
    return _SUBJECT_UNSAFE.sub(lambda match: f"%{ord(match.group()):02X}", text)


class Event(BaseModel):
    """Base of every domain event; subclasses set ``name`` and ``subject_format``."""

    # Fields a newer producer added are ignored, so consumers can be upgraded later.
    model_config = ConfigDict(frozen=True, extra="ignore")

    name: ClassVar[str]
    subject_format: ClassVar[str]

    # When set, JetStream drops a second publish with the same id within the
    # stream's duplicate window: a retried publish is delivered once.
    id: str | None = None

    @property
    def subject(self) -> str:
        fields = {field for _, field, _, _ in Formatter().parse(self.subject_format) if field}
        return self.subject_format.format(
            **{field: subject_token(getattr(self, field)) for field in fields}
        )

    def to_bytes(self) -> bytes:
        envelope = {"name": self.name, "data": self.model_dump(mode="json")}
        return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False).encode()

    def headers(self) -> dict[str, str]:
        headers = {NAME_HEADER: self.name}
        if self.id:
            headers[MSG_ID_HEADER] = self.id
        return headers


async def publish(
    js: JetStreamContext, event: Event, ack_wait_s: float | None = None
) -> api.PubAck:
    """Publish ``event`` to JetStream and wait for the stream's acknowledgement.

    ``ack.duplicate`` is true when the stream had already stored this event id.
    """
    return await js.publish(
        event.subject, event.to_bytes(), timeout=ack_wait_s, headers=event.headers()
    )


def decode_event(data: bytes, known: Iterable[type[E]]) -> E | None:
    """The event in ``data`` as the class of ``known`` that has its name; ``None`` if unknown."""
    envelope: dict[str, Any] = json.loads(data)
    by_name = {event_type.name: event_type for event_type in known}
    event_type = by_name.get(envelope.get("name", ""))
    if event_type is None:
        return None
    return event_type.model_validate(envelope.get("data", {}))
