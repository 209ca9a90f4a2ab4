"""One CRM subscription session and what it watches.

The spec keys a subscription by (appUrl, appId) (9.2.6, 9.5.1). CRM uses one
appId per IC WebClient session for the user and for each of its containers,
so a session here holds every user and container that pair subscribed to;
IciUser.unsubscribe empties its users, IciContainer.unsubscribe its containers.
"""

from __future__ import annotations

import hashlib

from pydantic import BaseModel, ConfigDict


def session_key(app_url: str, app_id: str) -> str:
    """KV key of the (appUrl, appId) pair; both are compared exactly, as CRM sends them."""
    return hashlib.sha256(f"{app_url}\n{app_id}".encode()).hexdigest()[:40]


class ContainerRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    # The container's channel (Channel.ici_id): "1" phone line, "2" folder .. "4" inbox.
    channel_type: str
    # container_key() of the container id.
    container: str


class Subscription(BaseModel):
    """The value stored under ``session_key(app_url, app_id)``."""

    model_config = ConfigDict(frozen=True)

    app_url: str
    app_id: str
    # user_key() of every user this session watches.
    users: tuple[str, ...] = ()
    containers: tuple[ContainerRef, ...] = ()
    created_at: float = 0.0

    @property
    def key(self) -> str:
        return session_key(self.app_url, self.app_id)

    @property
    def empty(self) -> bool:
        return not self.users and not self.containers
