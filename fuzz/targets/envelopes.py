"""Structure-aware: an envelope for any operation of the registry, its values fuzzed,
sent (mostly) where CRM sends it, through the whole gateway in process (fuzz.gateway_app).

Every operation of the registry reaches the gateway's checks; the gateway's own
operations (IciSystem, IciUser, IciContainer) run their handlers on NATS KV and the
database with the fuzzed values. The envelope of a telephony operation (and of IciItem)
also goes to telephony-svc in process, as the gateway forwards it, so that its handlers
meet the fuzzed values too.
"""

from __future__ import annotations

import atexit
from collections.abc import Callable, Iterable
from pathlib import Path

from fuzz.choices import Choices
from fuzz.envelopes import OPERATIONS, build_envelope, route_of
from fuzz.gateway_app import TELEPHONY, InProcessGateway, check_soap_answer
from fuzz.seeds import regression_inputs
from oii_shared.ici.schema import Owner
from oii_shared.soap.namespaces import CONTENT_TYPE

MAX_LEN = 4096
TELEPHONY_OWNED = frozenset({Owner.TELEPHONY, Owner.ITEM_OWNER})
TIMEOUT_S = 20


def seeds() -> Iterable[bytes]:
    # Each operation with every field present and the first value of each choice.
    for index in range(len(OPERATIONS)):
        yield bytes([index, 0, 1]) + bytes([9, 2]) * 40
    yield from regression_inputs("envelopes")


def setup(work_dir: Path) -> Callable[[bytes], None]:
    gateway = InProcessGateway(work_dir / "gateway")
    gateway.start()
    atexit.register(gateway.close)
    return setup_on(gateway)


def setup_on(gateway: InProcessGateway) -> Callable[[bytes], None]:
    def one_input(data: bytes) -> None:
        choices = Choices(data)
        envelope = build_envelope(choices)
        target = route_of(choices, envelope.operation.interface)
        headers = [(b"content-type", CONTENT_TYPE.encode())]
        if target.soap_action is not None:
            headers.append((b"soapaction", target.soap_action.encode("latin-1")))
        answer = gateway.post(target.path, headers, [envelope.body])
        operation = envelope.operation
        what = f"{operation.interface.value}.{operation.name}"
        check_soap_answer(answer, what)
        if operation.owner in TELEPHONY_OWNED:
            path = operation.interface.service_path
            answer = gateway.post(path, headers, [envelope.body], service=TELEPHONY)
            check_soap_answer(answer, f"{what} on telephony-svc")

    return one_input
