"""CRM's subscription sessions (appUrl + appId) as IciUser and IciContainer change them.

The notifier reads these sessions to find who gets an event; the gateway is
the only writer. Every change is a compare-and-set on the session's key.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from oii_shared.db.models import user_key
from oii_shared.soap.faults import Errors, IciFault
from oii_shared.subscriptions.model import ContainerRef, Subscription, session_key
from oii_shared.subscriptions.store import SubscriptionStore
from oii_shared.subscriptions.url_guard import UrlGuard
from oii_shared.subscriptions.url_map import UrlMapping, map_url

Clock = Callable[[], float]


def session_address(app_url: object, app_id: object) -> tuple[str, str]:
    """appUrl and appId of a request, both required."""
    url = str(app_url or "").strip()
    app = str(app_id or "").strip()
    if not url:
        raise IciFault(Errors.MISSING_ARGUMENT, "appUrl is required")
    if not app:
        raise IciFault(Errors.MISSING_ARGUMENT, "appId is required")
    return url, app


class SessionBook:
    def __init__(
        self,
        store: SubscriptionStore,
        guard: UrlGuard,
        url_map: Callable[[], Sequence[UrlMapping]] = tuple,
        clock: Clock = time.time,
    ) -> None:
        self._store = store
        self._guard = guard
        self._url_map = url_map
        self._clock = clock

    async def check_url(self, app_url: str) -> None:
        """Events may only go where the SSRF guard allows (OII_EVENT_ALLOW).

        The guard judges the URL the notifier will really call: CRM's appUrl after
        OII.MapSubscribeUrl, so an internal address CRM names can be mapped away (4.4.1).
        """
        refusal = await self._guard.refusal(map_url(self._url_map(), app_url))
        if refusal is not None:
            raise IciFault(Errors.SUBSCRIBER_URL_REFUSED, f"appUrl refused: {refusal}")

    async def watch_user(self, app_url: str, app_id: str, user_id: str) -> str:
        """The session now watches ``user_id``; returns the session key."""
        wanted = user_key(user_id)

        def mutate(current: Subscription | None) -> Subscription | None:
            session = current or self._new(app_url, app_id)
            if wanted in session.users:
                return current
            return session.model_copy(update={"users": (*session.users, wanted)})

        key = session_key(app_url, app_id)
        await self._store.update(key, mutate)
        return key

    async def forget_users(self, app_url: str, app_id: str) -> tuple[str, ...]:
        """IciUser.unsubscribe; returns the user keys the session watched."""
        watched: list[tuple[str, ...]] = [()]

        def mutate(current: Subscription | None) -> Subscription | None:
            watched[0] = current.users if current is not None else ()
            if current is None or not current.users:
                return current
            return current.model_copy(update={"users": ()})

        await self._store.update(session_key(app_url, app_id), mutate)
        return watched[0]

    async def watch_container(self, app_url: str, app_id: str, container: ContainerRef) -> None:
        def mutate(current: Subscription | None) -> Subscription | None:
            session = current or self._new(app_url, app_id)
            if container in session.containers:
                return current
            return session.model_copy(update={"containers": (*session.containers, container)})

        await self._store.update(session_key(app_url, app_id), mutate)

    async def forget_containers(self, app_url: str, app_id: str) -> None:
        """IciContainer.unsubscribe: every container of the session."""

        def mutate(current: Subscription | None) -> Subscription | None:
            if current is None or not current.containers:
                return current
            return current.model_copy(update={"containers": ()})

        await self._store.update(session_key(app_url, app_id), mutate)

    async def end_for_user(self, key: str, user_id: str) -> None:
        """Automatic unsubscribe (ICIUSER_AUTOMATIC_UNSUBSCRIBE): the old IC WebClient
        session stops watching the user and every container it watched."""
        gone = user_key(user_id)

        def mutate(current: Subscription | None) -> Subscription | None:
            if current is None:
                return None
            users = tuple(user for user in current.users if user != gone)
            if users == current.users and not current.containers:
                return current
            return current.model_copy(update={"users": users, "containers": ()})

        await self._store.update(key, mutate)

    def _new(self, app_url: str, app_id: str) -> Subscription:
        return Subscription(app_url=app_url, app_id=app_id, created_at=self._clock())
