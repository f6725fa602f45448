"""The event-sourced application: loads aggregates, lets them act, saves what they decided."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import EnvType

from domain.calendar import SHANGHAI, WorkingCalendar
from domain.errors import NotFound, StaleVersion
from domain.mechanism import Mechanism, mechanism
from domain.numbering import CaseNumbering, CaseNumberSequence
from services.commands.agencies import AgencyCommands
from services.commands.cases import CaseCommands
from services.commands.disputes import DisputeCommands
from services.commands.referrals import ReferralCommands
from services.directory import Directory
from services.errors import ConcurrentModification, IdempotentReplay
from services.idempotency import IdempotencyClaim, claim_for, claim_id, pending_claim
from services.positions import position_of

Clock = Callable[[], datetime]


def shanghai_now() -> datetime:
    return datetime.now(SHANGHAI)


@dataclass(frozen=True)
class Saved:
    """What a command answers with: the aggregate as it now is and its last event's position."""

    aggregate: Any
    position: int


class Liandong(CaseCommands, ReferralCommands, DisputeCommands, AgencyCommands, Application[UUID]):
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
        self.listeners: list[Callable[[int], None]] = []

    def calendar(self) -> WorkingCalendar:
        self.directory.refresh()
        return self.directory.calendar()

    def mechanism_for(self, region: str) -> Mechanism:
        default, by_region = self.mechanisms
        return mechanism(by_region.get(region, default))

    def mechanism_named(self, name: str) -> Mechanism:
        return mechanism(name)

    def store(
        self, primary: Aggregate, *others: Aggregate, conflict_code: str | None = None
    ) -> Saved:
        """Saves the primary aggregate, the others and any idempotency claim in one transaction."""
        claim = claim_for(primary)
        try:
            recordings = self.save(primary, *others, claim)
        except IntegrityError:
            self._explain_conflict(conflict_code)
            raise
        position = max(
            r.notification.id for r in recordings if r.domain_event.originator_id == primary.id
        )
        for listener in self.listeners:
            listener(position)
        return Saved(primary, position)

    def _explain_conflict(self, conflict_code: str | None) -> None:
        pending = pending_claim()
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

    def find_claim(self, scope: str, key: str) -> IdempotencyClaim | None:
        try:
            return self.repository.get(claim_id(scope, key))
        except AggregateNotFoundError:
            return None

    def replay(self, claim: IdempotencyClaim) -> Saved:
        """The resource exactly as the first answer showed it."""
        aggregate: Any = self.repository.get(claim.resource_id, version=claim.resource_version)
        return Saved(aggregate, position_of(self.recorder, claim.resource_id, aggregate.version))

    def head_position(self) -> int:
        return self.recorder.max_notification_id() or 0
