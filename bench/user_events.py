"""userChanged latency as one IC WebClient session sees it, against a running stack.

    make run    # in another terminal
    .venv/bin/python -m bench.user_events [--gateway http://127.0.0.1:8080] [--switches 40]

Logs a user in with the WebClient's sequence (getAttributes, setCurrentWorkmode,
setCurrentChannels, setCurrentQueues, setAddresses, subscribe), then switches the
workmode between ready and not ready. For each switch it measures the time from
sending setCurrentWorkmode to a local CRM stand-in receiving the userChanged, and
checks that each arrives once and in order.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
import uuid

import aiohttp

from bench.ici_client import ACTION as ICI_ACTION
from bench.ici_client import ENVELOPE
from oii_shared.crm_stand_in import CrmStandIn

ACTION = ICI_ACTION.format("IciUser")
PAUSE_S = 0.05


def user_op(operation: str, user: str, extra: str = "") -> str:
    return (
        f'<{operation} xmlns="urn:IciUserInterface"><userId xmlns="">{user}</userId>'
        f"{extra}</{operation}>"
    )


async def call(session: aiohttp.ClientSession, gateway: str, operation_xml: str) -> None:
    async with session.post(
        f"{gateway}/OII/OII.asmx",
        data=ENVELOPE.format(operation_xml),
        headers={"SOAPAction": ACTION, "Content-Type": "text/xml; charset=utf-8"},
    ) as answer:
        body = await answer.text()
        if answer.status != 200:
            raise SystemExit(f"HTTP {answer.status}: {body[:500]}")


async def run(gateway: str, user: str, switches: int) -> dict[str, object]:
    async with CrmStandIn() as crm, aiohttp.ClientSession() as session:
        app_id = str(uuid.uuid4())
        workmode = '<workmode xmlns="">{}</workmode>'
        for step in (
            user_op("getAttributes", user),
            user_op("setCurrentWorkmode", user, workmode.format(3)),
            user_op("setCurrentChannels", user, '<channels xmlns=""><item>1</item></channels>'),
            user_op("setCurrentQueues", user, '<queues xmlns=""><item>2001</item></queues>'),
            user_op("setAddresses", user, '<addresses xmlns=""/>'),
            '<subscribe xmlns="urn:IciUserInterface">'
            f'<appUrl xmlns="">{crm.url()}</appUrl><appId xmlns="">{app_id}</appId>'
            f'<userId xmlns="">{user}</userId></subscribe>',
        ):
            await call(session, gateway, step)
        latencies_ms: list[float] = []
        for n in range(switches):
            wanted = "2" if n % 2 == 0 else "3"
            sent = time.perf_counter()
            await call(
                session, gateway, user_op("setCurrentWorkmode", user, workmode.format(wanted))
            )
            [event] = (await crm.wait_events("userChanged", app_id, count=n + 1))[n:]
            if event.text("user/currentWorkmode/id") != wanted:
                raise SystemExit(f"switch {n}: userChanged out of order")
            latencies_ms.append((event.received_perf - sent) * 1000)
            await asyncio.sleep(PAUSE_S)
        await asyncio.sleep(0.5)
        return {
            "switches": switches,
            "user_changed_received": len(crm.of("userChanged", app_id)),
            "p50_ms": round(statistics.median(latencies_ms), 1),
            "max_ms": round(max(latencies_ms), 1),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", default="http://127.0.0.1:8080")
    parser.add_argument("--user", default="HARRI")
    parser.add_argument("--switches", type=int, default=40)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.gateway, args.user, args.switches)), indent=2))


if __name__ == "__main__":
    main()
