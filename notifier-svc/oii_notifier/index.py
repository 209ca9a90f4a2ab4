"""Who watches what: the subscription sessions of KV ``oii_subscriptions``, kept by a watch.

The race it guards against: the gateway stores a subscription and answers CRM,
then a channel publishes an event, and the event reaches the notifier before
the watch has brought the subscription. So before a batch of events is
dispatched, :meth:`SubscriptionFollower.catch_up` reads the bucket's last
sequence (one round trip per batch) and waits until the index has applied it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from nats.js import JetStreamContext
from nats.js.kv import KeyValue
from pydantic import ValidationError

from oii_shared.bus.follower import KvFollower, KvUpdate
from oii_shared.bus.ici_events import Target
from oii_shared.bus.topology import KV_STREAM_PREFIX, SUBSCRIPTIONS_BUCKET
from oii_shared.subscriptions.model import Subscription
from oii_shared.subscriptions.store import decode_subscription

log = logging.getLogger(__name__)

FIRST_SNAPSHOT_TIMEOUT_S = 10.0
# A watch lags by milliseconds; waiting longer means the last message is gone (purged).
CATCH_UP_TIMEOUT_S = 2.0


class SubscriptionIndex:
    def __init__(self) -> None:
        self._sessions: dict[str, Subscription] = {}
        self._by_target: dict[Target, set[str]] = {}
        # Stream sequence of the newest bucket entry applied.
        self.revision = 0
        self._advanced = asyncio.Event()

    def __len__(self) -> int:
        return len(self._sessions)

    def apply(self, key: str, subscription: Subscription | None, revision: int) -> None:
        old = self._sessions.pop(key, None)
        if old is not None:
            for target in _targets(old):
                keys = self._by_target.get(target)
                if keys is not None:
                    keys.discard(key)
                    if not keys:
                        del self._by_target[target]
        if subscription is not None:
            self._sessions[key] = subscription
            for target in _targets(subscription):
                self._by_target.setdefault(target, set()).add(key)
        self.advance(revision)

    def advance(self, revision: int) -> None:
        if revision > self.revision:
            self.revision = revision
            self._advanced.set()
            self._advanced = asyncio.Event()

    def sessions_for(self, target: Target) -> list[Subscription]:
        return [self._sessions[key] for key in self._by_target.get(target, ())]

    def sessions(self) -> dict[str, Subscription]:
        return dict(self._sessions)

    async def wait_for(self, revision: int, timeout_s: float) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while self.revision < revision:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(remaining):
                    await self._advanced.wait()
        return True


def _targets(subscription: Subscription) -> list[Target]:
    return [Target("", user) for user in subscription.users] + [
        Target(ref.channel_type, ref.container) for ref in subscription.containers
    ]


class SubscriptionFollower:
    """Keeps a :class:`SubscriptionIndex` equal to the bucket."""

    def __init__(self, js: JetStreamContext, kv: KeyValue, index: SubscriptionIndex) -> None:
        self._js = js
        self.index = index
        self._follower = KvFollower(
            kv, self._apply, name="subscriptions", first_load_timeout_s=FIRST_SNAPSHOT_TIMEOUT_S
        )

    @property
    def following(self) -> bool:
        return self._follower.following

    async def start(self) -> None:
        """Load every session, then follow changes."""
        await self._follower.start()
        log.info("%d subscription session(s) loaded", len(self.index))

    async def stop(self) -> None:
        await self._follower.stop()

    async def catch_up(self) -> None:
        """Return once every subscription stored before this call is in the index."""
        info = await self._js.stream_info(KV_STREAM_PREFIX + SUBSCRIPTIONS_BUCKET)
        last = info.state.last_seq
        if self.index.revision >= last:
            return
        if not await self.index.wait_for(last, CATCH_UP_TIMEOUT_S):
            log.warning(
                "subscription watch at sequence %d, bucket at %d after %.0f s; going on",
                self.index.revision,
                last,
                CATCH_UP_TIMEOUT_S,
            )
            # The last message was purged and will never come: do not wait for it again.
            self.index.advance(last)

    def _apply(self, update: KvUpdate) -> None:
        if update.value is None:
            self.index.apply(update.key, None, update.revision)
            return
        try:
            subscription = decode_subscription(update.value)
        except (ValidationError, ValueError) as error:
            log.warning("subscription %s unreadable, ignored: %s", update.key, error)
            self.index.apply(update.key, None, update.revision)
            return
        self.index.apply(update.key, subscription, update.revision)
