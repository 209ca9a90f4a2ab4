"""Fixtures of the stack tests: the embedded stack, started as ``make run`` starts it.

One default stack serves the whole session; a test that needs other settings starts
its own through ``start_stack`` (stopped, and checked for a clean exit, after the test).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

# The tests of this directory import their helpers as ``stacklib`` (--import-mode=importlib
# puts nothing on sys.path by itself).
sys.path.insert(0, str(Path(__file__).resolve().parent))

from crm_stand_in_thread import CrmStandInThread
from stacklib import Stack, StartStack, start_stack, stop_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The default stack, shared by every stack test of the session."""
    running = start_stack(tmp_path_factory.mktemp("stack"))
    yield running
    stop_stack(running)


@pytest.fixture
def start_extra_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartStack]:
    """Starts extra stacks with extra ``OII_*`` settings; stops and checks each after the test.

    A test may stop one itself with ``stacklib.stop_stack``; it is then left alone.
    """
    started: list[Stack] = []

    def start(extra_env: Mapping[str, str] | None = None) -> Stack:
        running = start_stack(tmp_path_factory.mktemp("stack"), extra_env)
        started.append(running)
        return running

    yield start
    failures = []
    for running in started:
        if running.stopped:
            continue  # the test stopped it and checked the stop itself
        try:
            stop_stack(running)
        except AssertionError as failure:
            failures.append(str(failure))
    assert not failures, "\n\n".join(failures)


@pytest.fixture(scope="module")
def crm() -> Iterator[CrmStandInThread]:
    """A CRM event endpoint stand-in of the test module's own (its URL: ``crm.url``)."""
    with CrmStandInThread() as receiver:
        yield receiver
