"""The event-sourced application: loads aggregates, lets them act, saves what they decided."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import Environment, EnvType

from domain.calendar import SHANGHAI, WorkingCalendar
from domain.errors import NotFound, StaleVersion
from domain.mechanism import Mechanism, mechanism
from domain.numbering import CaseNumbering, CaseNumberSequence
from domain.values import Actor
from projections.fold import Document, Resource
from projections.records import EventRecord, to_record
from services.access import Access
from services.directory import Directory
from services.errors import ConcurrentModification, IdempotentReplay
from services.group_commit import GroupCommit
from services.idempotency import IdempotencyClaim, PendingClaim, claim_for, claim_id
from services.positions import position_of

Clock = Callable[[], datetime]
CIPHER_ENV = ("CIPHER_TOPIC", "CIPHER_KEY")  # the library's names for the store's cipher


def shanghai_now() -> datetime:
    return datetime.now(SHANGHAI)


@dataclass(frozen=True)
class Saved:
    """What a command answers with: the aggregate as it now is, its last event's position, and
    its events as records (what its fold turns into the document the command answers)."""

    aggregate: Any
    position: int
    records: list[EventRecord] = field(default_factory=list)

    def document(self, resource: Resource) -> Document:
        return dict(
            resource.fold.fold(self.records), version=self.aggregate.version, position=self.position
        )


LOADED = "_loaded_records"  # the records an aggregate was loaded from, until it is saved


def loaded_records(aggregate: Any) -> list[EventRecord]:
    """The records `Liandong.load_as` read the aggregate from: its history, read once."""
    records: list[EventRecord] = aggregate.__dict__.get(LOADED, [])
    return records


class Liandong(Application[UUID]):
    """The event store with what every command handler needs beside it: the register, the
    visibility rule, the clock, numbering and mechanisms. Its methods load and save; the acts
    themselves are the handlers' (services.handlers)."""

    name = "liandong"
    env: ClassVar[dict[str, str]] = {"AGGREGATE_CACHE_MAXSIZE": "5000"}
    snapshotting_intervals: ClassVar[dict[Any, int]] = {CaseNumberSequence: 100}

    def __init__(
        self,
        env: EnvType | None = None,
        *,
        numbering: CaseNumbering,
        clock: Clock = shanghai_now,
        mechanisms: tuple[str, dict[str, str]] = ("default", {}),
    ) -> None:
        super().__init__(env)
        self.clock = clock
        self.numbering = numbering
        self.mechanisms = mechanisms
        self.directory = Directory(self.recorder, self.mapper)
        self.access = Access(self.directory)
        self.listeners: list[Callable[[int], None]] = []
        self.sequence_locks: dict[UUID, threading.Lock] = {}
        self.group = GroupCommit(self._record)

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        """The library's environment, with the store's cipher from the given one alone: the
        library also reads CIPHER_KEY (and LIANDONG_CIPHER_KEY) from the process environment,
        which would encrypt behind the back of the store's record of its key."""
        given = dict(env or {})
        environment = super().construct_env(name, env)
        for key in CIPHER_ENV:
            for variant in environment.create_keys(key):
                environment.pop(variant, None)
            if key in given:
                environment[key] = given[key]
        return environment

    def calendar(self) -> WorkingCalendar:
        self.directory.refresh()
        return self.directory.calendar()

    def mechanism_for(self, region: str) -> Mechanism:
        default, by_region = self.mechanisms
        return mechanism(by_region.get(region, default))

    def mechanism_named(self, name: str) -> Mechanism:
        return mechanism(name)

    def store(
        self,
        primary: Aggregate,
        *others: Aggregate,
        claim: PendingClaim | None = None,
        conflict_code: str | None = None,
    ) -> Saved:
        """Saves the primary aggregate, the others and the idempotency claim, if the command
        carries one, in one transaction."""
        claimed = claim_for(claim, primary) if claim is not None else None
        events: ProcessingEvent[UUID] = ProcessingEvent()
        events.collect_events(primary, *others, claimed)
        try:
            recordings = self.group.record(events)
        except IntegrityError:
            self._explain_conflict(claim, conflict_code)
            raise
        self._take_snapshots(events)
        self._notify(recordings)
        own = [r for r in recordings if r.domain_event.originator_id == primary.id]
        position = max(r.notification.id for r in own)
        for listener in self.listeners:
            listener(position)
        prior: list[EventRecord] = primary.__dict__.pop(LOADED, [])
        fresh = [to_record(r.domain_event, r.notification.id) for r in own]
        return Saved(primary, position, prior + fresh)

    def _explain_conflict(self, pending: PendingClaim | None, conflict_code: str | None) -> None:
        if pending is not None:
            try:
                raise IdempotentReplay(self.repository.get(pending.id))
            except AggregateNotFoundError:
                pass
        error = ConcurrentModification("another act changed this resource first; reload it")
        if conflict_code:
            error.code = conflict_code
        raise error

    def load(self, aggregate_id: UUID, expected_version: int | None = None) -> Any:
        try:
            aggregate: Any = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound("no such resource") from None
        if expected_version is not None and aggregate.version != expected_version:
            raise StaleVersion(
                f"the resource is at version {aggregate.version}, not {expected_version}"
            )
        return aggregate

    def load_as(
        self,
        actor: Actor,
        aggregate_id: UUID,
        resource: Resource,
        expected_version: int | None = None,
    ) -> Any:
        """The resource, if it is one of this kind and the actor may see it; otherwise as if
        it did not exist. Its events are read once: for the aggregate and for its document."""
        aggregate, records = self._read(aggregate_id)
        if not isinstance(aggregate, resource.aggregate):
            raise NotFound(f"no such {resource.noun}", code=f"{resource.noun}.not_found")
        self.access.require(actor, resource.audience(resource.fold.fold(records)), resource.noun)
        if expected_version is not None and aggregate.version != expected_version:
            raise StaleVersion(
                f"the resource is at version {aggregate.version}, not {expected_version}"
            )
        aggregate.__dict__[LOADED] = records
        return aggregate

    def find_claim(self, scope: str, key: str) -> IdempotencyClaim | None:
        try:
            return self.repository.get(claim_id(scope, key))
        except AggregateNotFoundError:
            return None

    def replay(self, claim: IdempotencyClaim) -> Saved:
        """The resource exactly as the first answer showed it."""
        version = claim.resource_version
        aggregate, records = self._read(claim.resource_id, lte=version)
        return Saved(aggregate, position_of(self.recorder, claim.resource_id, version), records)

    def _read(self, aggregate_id: UUID, lte: int | None = None) -> tuple[Any, list[EventRecord]]:
        """An aggregate (None if it has no events) and its events as records, read once."""
        events: list[Any] = list(self.repository.event_store.get(aggregate_id, lte=lte))
        aggregate: Any = None
        for domain_event in events:
            aggregate = domain_event.mutate(aggregate)
        return aggregate, [to_record(e, 0) for e in events]

    def head_position(self) -> int:
        return self.recorder.max_notification_id() or 0
