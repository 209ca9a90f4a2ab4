"""Compare-and-set on JetStream KV keys, value codecs, and bucket counts."""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
from collections.abc import Callable
from typing import Generic, NamedTuple, Protocol, TypeVar, cast

from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, Header
from nats.js.client import JetStreamContext
from nats.js.errors import APIError, KeyNotFoundError, KeyWrongLastSequenceError
from nats.js.kv import KV_DEL, KV_MARKER_REASON, KV_OP, KV_PURGE, KeyValue
from pydantic import BaseModel

from oii_shared.keyed_locks import KeyedLocks

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

# The server's "wrong last sequence" answers to an expected-last-subject-sequence
# header: a concurrent writer got there first (or the key exists, for a create).
WRONG_LAST_SEQUENCE = frozenset({10071, 10164})
DEFAULT_ATTEMPTS = 32


# Well below the NATS server's default control line (4 KiB), with a bucket's prefix.
MAX_KEY_CHARS = 240
_KEY_SAFE = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def safe_key(text: str) -> str:
    """``text`` as one KV key token: ``"+129"`` -> ``"=2B129"``, at most ``MAX_KEY_CHARS``.

    KV keys allow only ``[-/_=.a-zA-Z0-9]``, and ``.`` splits tokens, while user ids,
    phone lines and e-mail addresses carry ``+``, ``@``, ``.`` and any Unicode. A text
    whose escaped form is longer is keyed by its SHA-256 after ``==`` (which escaping never
    writes): a client's 5,000-character id must not make a subject longer than the NATS
    server's control line, which closes the connection of every request on it.
    """
    if not text:
        raise ValueError("an empty value cannot be a KV key")
    key = "".join(chr(byte) if byte in _KEY_SAFE else f"={byte:02X}" for byte in text.encode())
    if len(key) > MAX_KEY_CHARS:
        return "==" + hashlib.sha256(text.encode()).hexdigest()
    return key


class Codec(Protocol[T]):
    def encode(self, value: T) -> bytes: ...

    def decode(self, data: bytes) -> T: ...


class JsonCodec(Generic[T]):
    """Plain JSON; ``T`` is whatever ``json.loads`` gives back for the stored shape."""

    def encode(self, value: T) -> bytes:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()

    def decode(self, data: bytes) -> T:
        return cast(T, json.loads(data))


class ModelCodec(Generic[M]):
    """A pydantic model as JSON, validated on the way in.

    ``compact``: fields at their default are left out (read back as the default), for
    values that hold many small records, such as a queue's waiting list.
    """

    def __init__(self, model: type[M], *, compact: bool = False) -> None:
        self.model = model
        self._compact = compact

    def encode(self, value: M) -> bytes:
        return value.model_dump_json(exclude_defaults=self._compact).encode()

    def decode(self, data: bytes) -> M:
        return self.model.model_validate_json(data)


class CasConflictError(Exception):
    """Every attempt of a compare-and-set lost against concurrent writers."""

    def __init__(self, key: str, attempts: int) -> None:
        super().__init__(f"{key}: still conflicting after {attempts} attempts")
        self.key = key
        self.attempts = attempts


class Stored(NamedTuple, Generic[T]):
    value: T | None
    # What ``update(last=...)`` must name: 0 for a key never written, else the
    # revision of its last write or of its tombstone.
    revision: int


async def read(kv: KeyValue, key: str, codec: Codec[T]) -> Stored[T]:
    """The key's value (``None`` if absent) and the revision a write must expect."""
    try:
        entry = await kv.get(key)
    except KeyNotFoundError as missing:
        tombstone = missing.entry
        return Stored(None, (tombstone.revision or 0) if tombstone is not None else 0)
    if entry.value is None:
        return Stored(None, entry.revision or 0)
    return Stored(codec.decode(entry.value), entry.revision or 0)


class RevisionCache(Generic[T]):
    """The newest value and revision this process knows of some keys, to skip the read of
    a compare-and-set.

    What it knows comes from this process's own writes and, where a watch follows the
    keys (:class:`oii_shared.bus.mirror.KvMirror`), from every writer's: a remembered value
    is only a guess, since the write still names its revision, so a key another writer
    changed meanwhile fails the write and is read again. An older revision never replaces
    a newer one, and a key this process saw deleted is not brought back by an older write
    a lagging watch delivers afterwards. Values must be immutable (frozen models, or
    containers nobody changes).
    """

    def __init__(self, capacity: int = 100_000) -> None:
        self._capacity = capacity
        self._entries: dict[str, Stored[T]] = {}
        # Revision of the delete of keys seen deleted (``get`` knows nothing of them).
        self._deleted: dict[str, int] = {}
        # This process's writes of one key take turns, so they never conflict among
        # themselves and each starts from the revision the one before wrote.
        self.writers = KeyedLocks()

    def get(self, key: str) -> Stored[T] | None:
        return self._entries.get(key)

    def known_revision(self, key: str) -> int:
        """The newest revision of ``key`` known here, written or deleted; 0 when none is."""
        entry = self._entries.get(key)
        return entry.revision if entry is not None else self._deleted.get(key, 0)

    def remember(self, key: str, stored: Stored[T]) -> bool:
        """Keep ``stored`` unless a newer revision of ``key`` is known; whether it was kept."""
        if stored.revision and stored.revision < self.known_revision(key):
            return False
        self._deleted.pop(key, None)
        self._entries.pop(key, None)
        self._entries[key] = stored
        if len(self._entries) > self._capacity:
            # The oldest remembered key goes first: dicts keep insertion order.
            del self._entries[next(iter(self._entries))]
        return True

    def remember_deleted(self, key: str, revision: int) -> bool:
        """``key`` was deleted at ``revision`` (unless something newer is known)."""
        if revision < self.known_revision(key):
            return False
        self._entries.pop(key, None)
        self._deleted.pop(key, None)
        self._deleted[key] = revision
        if len(self._deleted) > self._capacity:
            del self._deleted[next(iter(self._deleted))]
        return True

    def forget(self, key: str) -> None:
        self._entries.pop(key, None)

    def take(
        self, key: str, revision: int, data: bytes | None, decode: Callable[[bytes], T]
    ) -> T | None:
        """What a watch brought for ``key`` (``data`` None: deleted; ``revision`` 0: gone while
        the watch started over), unless a newer revision is known here; the value known now
        (None: absent). Only a value newer than anything known is decoded (its ValueError
        passes), so a write of this process that the watch brings back costs nothing.
        """
        if data is None:
            if revision:
                self.remember_deleted(key, revision)
            else:
                self.forget(key)
        elif revision > self.known_revision(key):
            self.remember(key, Stored(decode(data), revision))
        entry = self._entries.get(key)
        return entry.value if entry is not None else None

    def __len__(self) -> int:
        return len(self._entries)


class _CasRead(Generic[T]):
    """The reads of one compare-and-set: from ``cache`` first, from the bucket once the
    remembered value proved stale or a decision needs the stored one."""

    def __init__(self, kv: KeyValue, key: str, codec: Codec[T], cache: RevisionCache[T] | None):
        self._kv, self._key, self._codec, self._cache = kv, key, codec, cache
        self.fresh = cache is None

    async def current(self) -> Stored[T]:
        if not self.fresh and self._cache is not None:
            remembered = self._cache.get(self._key)
            if remembered is not None:
                return remembered
        self.fresh = True
        return await read(self._kv, self._key, self._codec)

    def distrust(self) -> bool:
        """Whether the value came from the cache; from now on only the bucket is read."""
        guessed, self.fresh = not self.fresh, True
        if self._cache is not None:
            self._cache.forget(self._key)
        return guessed

    def stored(self, value: T | None, revision: int | None) -> None:
        if self._cache is None:
            return
        if value is None or revision is None:
            self._cache.forget(self._key)
        else:
            self._cache.remember(self._key, Stored(value, revision))

    def deleted(self, revision: int) -> None:
        if self._cache is not None:
            self._cache.remember_deleted(self._key, revision)


async def cas_update(
    kv: KeyValue,
    key: str,
    mutate: Callable[[T | None], T | None],
    codec: Codec[T],
    attempts: int = DEFAULT_ATTEMPTS,
    cache: RevisionCache[T] | None = None,
) -> T | None:
    """Read ``key``, apply ``mutate`` and write the result only if nobody wrote in between.

    ``mutate`` gets the current value (``None`` if the key is absent) and may run
    several times, so it must be free of side effects; it may raise to refuse the
    change. Its result decides:
    the very object it was given (``is``) means no change and no write; ``None``
    deletes the key; anything else is written. On a conflict the read is redone,
    up to ``attempts`` times, then :class:`CasConflictError` is raised.
    With a ``cache``, the first attempt starts from the remembered value; "no change"
    and a refusal are only believed of a value read from the bucket.
    Returns the value now stored (``None`` if absent).
    """
    if cache is None:
        return await _cas_update(kv, key, mutate, codec, attempts, None)
    async with cache.writers.hold(key):
        return await _cas_update(kv, key, mutate, codec, attempts, cache)


async def _cas_update(
    kv: KeyValue,
    key: str,
    mutate: Callable[[T | None], T | None],
    codec: Codec[T],
    attempts: int,
    cache: RevisionCache[T] | None,
) -> T | None:
    reads = _CasRead(kv, key, codec, cache)
    for attempt in range(attempts):
        stored = await reads.current()
        try:
            wanted = mutate(stored.value)
        except Exception:
            if reads.distrust():
                continue
            raise
        if wanted is stored.value:
            if reads.distrust():
                continue
            reads.stored(stored.value, stored.revision)
            return wanted
        try:
            if wanted is None:
                reads.deleted(await delete(kv, key, last=stored.revision))
            else:
                revision = await kv.update(key, codec.encode(wanted), last=stored.revision)
                reads.stored(wanted, revision)
            return wanted
        except APIError as error:
            if not is_conflict(error):
                raise
            if reads.distrust():
                continue  # the cache was behind, nobody is racing us
        # Two writers retrying in lockstep would keep colliding; a little jitter breaks it.
        await asyncio.sleep(random.uniform(0, 0.0005 * attempt))  # noqa: S311
    raise CasConflictError(key, attempts)


async def delete(kv: KeyValue, key: str, last: int = 0) -> int:
    """Delete ``key`` (only if its revision is still ``last``, when given); the revision
    of the delete, which ``KeyValue.delete`` does not tell."""
    headers = {KV_OP: KV_DEL}
    if last:
        headers[Header.EXPECTED_LAST_SUBJECT_SEQUENCE] = str(last)
    # The bucket's subject prefix and JetStream context are KeyValue's own fields.
    ack = await kv._js.publish(f"{kv._pre}{key}", headers=headers)
    return ack.seq


def is_conflict(error: APIError) -> bool:
    """Whether a write failed because another writer got there first."""
    return isinstance(error, KeyWrongLastSequenceError) or error.err_code in WRONG_LAST_SEQUENCE


async def live_count(js: JetStreamContext, bucket: str) -> int:
    """Exact number of live keys; streams every key's headers (not its value) once."""
    return len(await snapshot(js, bucket, values=False))


SNAPSHOT_BATCH = 256
# A snapshot's consumer is ephemeral: the server drops it this long after the last fetch.
SNAPSHOT_CONSUMER_IDLE_S = 5.0


async def snapshot(
    js: JetStreamContext,
    bucket: str,
    pattern: str = ">",
    values: bool = True,
    timeout_s: float = 10.0,
) -> list[tuple[str, bytes]]:
    """Every live key of ``bucket`` under ``pattern`` with its value, read once.

    With ``values=False`` only the keys come over the wire (their values are ``b""``).

    Not ``KeyValue.watch``: its end-of-initial-values marker comes from consumer info
    taken after its push consumer started delivering, so on a loaded machine it can
    say "no more" before the first entries were handed over, and a listing comes back
    short. A pull consumer delivers nothing before it is asked, so its pending count
    at creation is exact; writes made afterwards are not waited for.
    """
    prefix = f"$KV.{bucket}."
    subscription = await js.pull_subscribe(
        prefix + pattern,
        stream=f"KV_{bucket}",
        config=ConsumerConfig(
            deliver_policy=DeliverPolicy.LAST_PER_SUBJECT,
            ack_policy=AckPolicy.NONE,
            inactive_threshold=SNAPSHOT_CONSUMER_IDLE_S,
            headers_only=not values,
        ),
    )
    entries: list[tuple[str, bytes]] = []
    try:
        remaining = (await subscription.consumer_info()).num_pending or 0
        while remaining > 0:
            for message in await subscription.fetch(
                min(remaining, SNAPSHOT_BATCH), timeout=timeout_s
            ):
                remaining = message.metadata.num_pending or 0
                headers = message.headers or {}
                if headers.get(KV_OP) in (KV_DEL, KV_PURGE) or KV_MARKER_REASON in headers:
                    continue
                entries.append((message.subject[len(prefix) :], message.data))
    finally:
        await subscription.unsubscribe()
    return entries


async def first_written(kv: KeyValue, key: str, make: Callable[[], bytes]) -> bytes:
    """The value of ``key``; ``make()`` is stored first if nobody has (first writer wins).

    Every process that asks gets the same value, however many ask at once.
    """
    stored = await _read_value(kv, key)
    if stored:
        return stored
    value = make()
    try:
        await kv.create(key, value)
    except APIError as error:
        if not is_conflict(error):
            raise
        # Another process created it between our read and our create.
        stored = await _read_value(kv, key)
        if stored:
            return stored
        raise
    return value


async def _read_value(kv: KeyValue, key: str) -> bytes | None:
    try:
        entry = await kv.get(key)
    except KeyNotFoundError:
        return None
    return entry.value or None
