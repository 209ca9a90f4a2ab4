"""The suite's JetStream KV buckets and streams, as data, and their idempotent creation.

Every service calls :func:`ensure_topology` at start. Creation is idempotent on
the server (the same config twice, even at the same moment, is accepted); a
bucket or stream that exists with another config is updated to this one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from nats.js import JetStreamContext, api
from nats.js.errors import BadRequestError

AGENTS_BUCKET = "oii_agents"
SUBSCRIPTIONS_BUCKET = "oii_subscriptions"
QUEUES_BUCKET = "oii_queues"
SYSTEM_BUCKET = "oii_system"

EVENTS_STREAM = "OII_EVENTS"
EVENTS_SUBJECT_PREFIX = "oii.events"

# The server's "stream name already in use with a different configuration".
STREAM_CONFIG_DIFFERS = 10058
KV_STREAM_PREFIX = "KV_"
GIB = 1024**3
DAY_S = 24 * 3600.0


@dataclass(frozen=True)
class BucketSpec:
    name: str
    description: str
    # One revision per key is all compare-and-set needs; more is only for audit.
    history: int = 1
    max_bytes: int = -1
    ttl_s: float | None = None

    @property
    def stream_name(self) -> str:
        return KV_STREAM_PREFIX + self.name


@dataclass(frozen=True)
class StreamSpec:
    name: str
    description: str
    subjects: tuple[str, ...]
    max_age_s: float
    max_bytes: int
    duplicate_window_s: float = 120.0
    max_msg_size: int = 1024 * 1024

    def config(self) -> api.StreamConfig:
        return api.StreamConfig(
            name=self.name,
            description=self.description,
            subjects=list(self.subjects),
            retention=api.RetentionPolicy.LIMITS,
            storage=api.StorageType.FILE,
            discard=api.DiscardPolicy.OLD,
            max_age=self.max_age_s,
            max_bytes=self.max_bytes,
            max_msg_size=self.max_msg_size,
            # The server refuses a dedup window longer than the messages live.
            duplicate_window=min(self.duplicate_window_s, self.max_age_s),
            num_replicas=1,
        )


BUCKETS: tuple[BucketSpec, ...] = (
    BucketSpec(AGENTS_BUCKET, "Agents: workmode, active queues, current contacts, capacity."),
    BucketSpec(SUBSCRIPTIONS_BUCKET, "Event subscriptions: appUrl + appId -> user or container."),
    BucketSpec(QUEUES_BUCKET, "Queue statistics."),
    BucketSpec(SYSTEM_BUCKET, "System-wide state: service registrations, schema versions."),
)

STREAMS: tuple[StreamSpec, ...] = (
    StreamSpec(
        EVENTS_STREAM,
        "Domain events; the notifier turns them into IciEvent deliveries.",
        subjects=(f"{EVENTS_SUBJECT_PREFIX}.>",),
        # Long enough to survive a notifier outage over a weekend; bounded on disk.
        max_age_s=7 * DAY_S,
        max_bytes=1 * GIB,
    ),
)


async def ensure_topology(
    js: JetStreamContext,
    buckets: Iterable[BucketSpec] = BUCKETS,
    streams: Iterable[StreamSpec] = STREAMS,
) -> None:
    """Create every bucket and stream that is missing; bring the others to this config."""
    for bucket in buckets:
        await ensure_bucket(js, bucket)
    for stream in streams:
        await ensure_stream(js, stream)


async def ensure_bucket(js: JetStreamContext, bucket: BucketSpec) -> None:
    try:
        await js.create_key_value(
            bucket=bucket.name,
            description=bucket.description,
            history=bucket.history,
            max_bytes=bucket.max_bytes,
            ttl=bucket.ttl_s,
            storage=api.StorageType.FILE,
            direct=True,
        )
        return
    except BadRequestError as error:
        if error.err_code != STREAM_CONFIG_DIFFERS:
            raise
    # Only the fields this spec owns change; the rest stays as the KV layer made it.
    current = (await js.stream_info(bucket.stream_name)).config
    await js.update_stream(
        current.evolve(
            description=bucket.description,
            max_msgs_per_subject=bucket.history,
            max_bytes=bucket.max_bytes,
            max_age=bucket.ttl_s or 0.0,
            allow_direct=True,
        )
    )


async def ensure_stream(js: JetStreamContext, stream: StreamSpec) -> None:
    config = stream.config()
    try:
        await js.add_stream(config)
        return
    except BadRequestError as error:
        if error.err_code != STREAM_CONFIG_DIFFERS:
            raise
    await js.update_stream(config)
