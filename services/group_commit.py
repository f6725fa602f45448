"""Group commit: the commands that arrive while the store is writing are written together.

Every save takes the event store's table lock, so concurrent commands queue for it anyway; one
transaction per command caps the service near a thousand commands a second. Here the first
command to find no write under way writes, and while it writes the others queue; it then writes
everything that queued, in one transaction, as long as any is left. If that transaction fails
(one command lost a race on its aggregate's version), each command of the group is written on its
own, so only the one that lost the race fails, as it would have alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.application import ProcessingEvent
from eventsourcing.persistence import IntegrityError, Recording

Record = Callable[[ProcessingEvent[Any]], list[Recording[Any]]]


@dataclass
class Pending:
    events: ProcessingEvent[Any]
    done: threading.Event = field(default_factory=threading.Event)
    recordings: list[Recording[Any]] = field(default_factory=list)
    error: BaseException | None = None


class GroupCommit:
    def __init__(self, record: Record, most: int = 64) -> None:
        self._record = record
        self._most = most
        self._lock = threading.Lock()
        self._queue: list[Pending] = []
        self._writing = False

    def record(self, events: ProcessingEvent[Any]) -> list[Recording[Any]]:
        """Records the events, with those of the commands that arrive meanwhile."""
        pending = Pending(events)
        with self._lock:
            self._queue.append(pending)
            lead = not self._writing
            self._writing = True
        if lead:
            self._write_while_queued()
        pending.done.wait()
        if pending.error is not None:
            raise pending.error
        return pending.recordings

    def _write_while_queued(self) -> None:
        while True:
            with self._lock:
                group, self._queue = self._queue[: self._most], self._queue[self._most :]
                if not group:
                    self._writing = False
                    return
            self._write(group)

    def _write(self, group: list[Pending]) -> None:
        try:
            if len(group) == 1:
                self._alone(group[0])
            else:
                self._together(group)
        finally:
            for pending in group:
                pending.done.set()

    def _together(self, group: list[Pending]) -> None:
        merged: ProcessingEvent[Any] = ProcessingEvent()
        for pending in group:
            merged.events.extend(pending.events.events)
            merged.aggregates.update(pending.events.aggregates)
        try:
            recordings = self._record(merged)
        except IntegrityError:
            for pending in group:  # who lost the race: each on its own
                self._alone(pending)
            return
        except BaseException as error:
            for pending in group:
                pending.error = error
            return
        for pending in group:
            own = {id(e) for e in pending.events.events}
            pending.recordings = [r for r in recordings if id(r.domain_event) in own]

    def _alone(self, pending: Pending) -> None:
        try:
            pending.recordings = self._record(pending.events)
        except BaseException as error:
            pending.error = error
