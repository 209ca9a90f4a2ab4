import asyncio

from stand_in_common import journal, nats_answers

journal("init", nats_up=asyncio.run(nats_answers()))
