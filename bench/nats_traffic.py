"""Messages each service exchanged with NATS, from the server's monitoring endpoint:
how many round trips the hot path costs, per call."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import aiohttp


@dataclass(frozen=True)
class Traffic:
    """Per connection name: messages the service sent (in to NATS) and received."""

    sent: Counter[str]
    received: Counter[str]
    sent_bytes: Counter[str]
    received_bytes: Counter[str]


async def read_traffic(http: aiohttp.ClientSession, monitoring_url: str | None) -> Traffic:
    traffic = Traffic(Counter(), Counter(), Counter(), Counter())
    if monitoring_url is None:
        return traffic
    async with http.get(f"{monitoring_url}/connz", params={"limit": "1024"}) as answer:
        connz = await answer.json()
    for connection in connz.get("connections", []):
        name = connection.get("name") or "?"
        traffic.sent[name] += connection.get("in_msgs", 0)
        traffic.received[name] += connection.get("out_msgs", 0)
        traffic.sent_bytes[name] += connection.get("in_bytes", 0)
        traffic.received_bytes[name] += connection.get("out_bytes", 0)
    return traffic


def per_unit(before: Traffic, after: Traffic, units: int) -> dict[str, dict[str, float]]:
    """Messages sent and received by each connection per unit (e.g. per call)."""
    names = sorted(set(after.sent) | set(after.received))
    return {
        name: {
            "sent": round((after.sent[name] - before.sent[name]) / max(units, 1), 1),
            "received": round((after.received[name] - before.received[name]) / max(units, 1), 1),
            "sent_kb": round(
                (after.sent_bytes[name] - before.sent_bytes[name]) / max(units, 1) / 1024, 1
            ),
            "received_kb": round(
                (after.received_bytes[name] - before.received_bytes[name]) / max(units, 1) / 1024,
                1,
            ),
        }
        for name in names
    }
