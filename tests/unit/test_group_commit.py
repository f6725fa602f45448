"""Group commit: commands that queue while the store writes are written in one transaction, and
a command that lost a race fails alone."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from eventsourcing.application import ProcessingEvent
from eventsourcing.persistence import IntegrityError, Recording

from services.group_commit import GroupCommit


class Store:
    """A store whose writes take a while, refusing any batch holding a losing event."""

    def __init__(self) -> None:
        self.transactions: list[list[str]] = []
        self.lock = threading.Lock()

    def record(self, events: ProcessingEvent[Any]) -> list[Recording[Any]]:
        time.sleep(0.02)
        names = [str(e) for e in events.events]
        if "lost" in names:
            raise IntegrityError("a version was taken first")
        with self.lock:
            self.transactions.append(names)
        return [Recording(e, None) for e in events.events]  # type: ignore[arg-type]


def carrying(*names: str) -> ProcessingEvent[Any]:
    events: ProcessingEvent[Any] = ProcessingEvent()
    events.events.extend(names)  # type: ignore[arg-type]
    return events


def at_once(commit: GroupCommit, names: list[str]) -> dict[str, Any]:
    """Each name saved by a thread of its own, all started together; what each got back."""
    answers: dict[str, Any] = {}
    start = threading.Barrier(len(names))

    def save(name: str) -> None:
        start.wait()
        try:
            answers[name] = [r.domain_event for r in commit.record(carrying(name))]
        except IntegrityError as error:
            answers[name] = error

    threads = [threading.Thread(target=save, args=(n,)) for n in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    return answers


def test_commands_that_queue_while_one_writes_are_written_together():
    store = Store()
    names = [f"case-{n}" for n in range(12)]
    answers = at_once(GroupCommit(store.record), names)
    assert answers == {n: [n] for n in names}  # each its own recordings, and only those
    assert sorted(n for t in store.transactions for n in t) == sorted(names)
    assert len(store.transactions) < len(names), "some were written together"


def test_a_command_that_lost_a_race_fails_alone():
    store = Store()
    names = ["first", *(f"case-{n}" for n in range(6)), "lost"]
    answers = at_once(GroupCommit(store.record), names)
    assert isinstance(answers.pop("lost"), IntegrityError)
    assert answers == {n: [n] for n in names if n != "lost"}
    assert "lost" not in [n for t in store.transactions for n in t]


def test_a_lone_command_is_written_at_once():
    store = Store()
    commit = GroupCommit(store.record)
    assert [r.domain_event for r in commit.record(carrying("alone"))] == ["alone"]
    with pytest.raises(IntegrityError):
        commit.record(carrying("lost"))
    assert store.transactions == [["alone"]]
