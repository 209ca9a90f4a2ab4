"""Compare-and-set access to subscription sessions in the ``oii_subscriptions`` bucket."""

from __future__ import annotations

from collections.abc import Callable

from nats.js.kv import KeyValue

from oii_shared.bus.kv import ModelCodec, cas_update, read
from oii_shared.subscriptions.model import Subscription

_CODEC = ModelCodec(Subscription)


def decode_subscription(data: bytes) -> Subscription:
    return _CODEC.decode(data)


class SubscriptionStore:
    def __init__(self, kv: KeyValue) -> None:
        self.kv = kv

    async def get(self, key: str) -> Subscription | None:
        return (await read(self.kv, key, _CODEC)).value

    async def update(
        self, key: str, mutate: Callable[[Subscription | None], Subscription | None]
    ) -> Subscription | None:
        """Compare-and-set; a session left watching nothing is deleted, not stored empty."""

        def pruned(current: Subscription | None) -> Subscription | None:
            wanted = mutate(current)
            if wanted is not current and wanted is not None and wanted.empty:
                return None
            return wanted

        return await cas_update(self.kv, key, pruned, _CODEC)
