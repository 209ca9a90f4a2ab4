"""How IciUser requests change an agent's live state, as pure functions.

Each returns a mutation for :meth:`oii_shared.agents.store.AgentStore.update`:
it gets the stored state (``None`` if the agent never logged in) and returns
the very same object when nothing changes, so no write and no event follow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from oii_shared.agents.state import Address, AgentState, is_ready
from oii_shared.channels import Channel
from oii_shared.ici.tables import Workmode
from oii_shared.soap.faults import Errors, IciFault

Mutation = Callable[[AgentState | None], AgentState | None]


def _changed(state: AgentState | None, user_id: str, **fields: object) -> AgentState | None:
    base = state if state is not None else AgentState(user_id=user_id)
    wanted = base.model_copy(update={"user_id": user_id, **fields})
    if state is not None and wanted == state:
        return state
    if state is None and wanted == AgentState(user_id=user_id):
        return None  # still nothing to store for an agent that never logged in
    return wanted


def login(user_id: str, *, queues: tuple[str, ...], ended_sessions: Iterable[str] = ()) -> Mutation:
    """IciUser.getAttributes: the configured queues become active, addresses start over.

    No desktop client activates queues here, so login does; CRM may then narrow
    them (setCurrentQueues). ``addresses`` hold only what CRM sets with
    setAddresses after this login; empty means the configured ones. Sessions
    that automatic unsubscribe just ended are forgotten.
    """
    ended = frozenset(ended_sessions)

    def mutate(state: AgentState | None) -> AgentState | None:
        sessions = tuple(s for s in state.sessions if s not in ended) if state else ()
        return _changed(state, user_id, active_queues=queues, addresses=(), sessions=sessions)

    return mutate


def parse_workmode(value: object, offered: Iterable[int]) -> int:
    """The workmode of a request, if the user is offered it; else a Client fault."""
    text = str(value if value is not None else "").strip()
    if not text:
        raise IciFault(Errors.MISSING_ARGUMENT, "workmode is required")
    try:
        workmode = int(text)
    except ValueError:
        raise IciFault(Errors.INVALID_ARGUMENT, f"workmode {text!r} is not a number") from None
    if workmode not in set(offered):
        raise IciFault(Errors.INVALID_ARGUMENT, f"workmode {workmode} is not offered to the user")
    return workmode


def set_workmode(user_id: str, workmode: int, now: float) -> Mutation:
    """Routing offers the longest idle agent first: becoming ready while free starts idling."""

    def mutate(state: AgentState | None) -> AgentState | None:
        current = state.workmode if state is not None else int(Workmode.LOGGED_OFF)
        if workmode == current:
            return state
        fields: dict[str, object] = {"workmode": workmode, "workmode_since": now}
        if is_ready(workmode) and not (state is not None and any(c.busies for c in state.contacts)):
            fields["last_idle_at"] = now
        return _changed(state, user_id, **fields)

    return mutate


def parse_channels(values: Iterable[object] | None) -> tuple[str, ...]:
    """Channel ids 1..4 in the order sent, each once."""
    channels: list[str] = []
    for value in values or ():
        text = str(value if value is not None else "").strip()
        if Channel.of_ici(text) is None:
            raise IciFault(Errors.INVALID_ARGUMENT, f"channel {text!r} is not 1, 2, 3 or 4")
        if text not in channels:
            channels.append(text)
    return tuple(channels)


def set_channels(user_id: str, channels: tuple[str, ...]) -> Mutation:
    """Stored and returned only: the spec's contact center does nothing else with them."""

    def mutate(state: AgentState | None) -> AgentState | None:
        return _changed(state, user_id, current_channels=channels)

    return mutate


def choose_queues(requested: Iterable[object] | None, servable: Iterable[str]) -> tuple[str, ...]:
    """The requested queues the user may serve, with their configured spelling, each once."""
    by_key = {queue_id.casefold(): queue_id for queue_id in servable}
    chosen: list[str] = []
    for value in requested or ():
        queue_id = by_key.get(str(value if value is not None else "").strip().casefold())
        if queue_id is not None and queue_id not in chosen:
            chosen.append(queue_id)
    return tuple(chosen)


def set_queues(user_id: str, queues: tuple[str, ...]) -> Mutation:
    def mutate(state: AgentState | None) -> AgentState | None:
        return _changed(state, user_id, active_queues=queues)

    return mutate


def parse_addresses(values: Iterable[object] | None) -> tuple[Address, ...]:
    """Address elements (10.9) of a request: both address and channel are needed."""
    addresses: list[Address] = []
    for value in values or ():
        fields = value if isinstance(value, dict) else {}
        address = str(fields.get("address") or "").strip()
        channel = str(fields.get("channel") or "").strip()
        if not address or not channel:
            raise IciFault(Errors.INVALID_ARGUMENT, "every address needs an address and a channel")
        entry = Address(channel=channel, address=address)
        if entry not in addresses:
            addresses.append(entry)
    return tuple(addresses)


def set_addresses(user_id: str, addresses: tuple[Address, ...]) -> Mutation:
    def mutate(state: AgentState | None) -> AgentState | None:
        return _changed(state, user_id, addresses=addresses)

    return mutate


def add_session(user_id: str, session: str) -> Mutation:
    def mutate(state: AgentState | None) -> AgentState | None:
        current = state.sessions if state is not None else ()
        if session in current:
            return state
        return _changed(state, user_id, sessions=(*current, session))

    return mutate


def remove_session(session: str) -> Mutation:
    """Never creates a state: an agent without one has no session to forget."""

    def mutate(state: AgentState | None) -> AgentState | None:
        if state is None or session not in state.sessions:
            return state
        return state.model_copy(
            update={"sessions": tuple(s for s in state.sessions if s != session)}
        )

    return mutate
