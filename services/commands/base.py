"""What the command mixins rely on from the application (see services.application.Liandong)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.calendar import WorkingCalendar
from domain.dispute_events import RungData
from domain.mechanism import LadderKind, Mechanism
from domain.numbering import CaseNumbering
from domain.values import Actor
from services.directory import Directory
from services.resources import Resource

if TYPE_CHECKING:
    from eventsourcing.application import Repository
    from eventsourcing.domain import Aggregate

    from services.application import Saved


class Commands:
    clock: Callable[[], datetime]
    directory: Directory
    numbering: CaseNumbering
    repository: Repository[UUID]

    def calendar(self) -> WorkingCalendar:
        raise NotImplementedError

    def store(
        self, primary: Aggregate, *others: Aggregate, conflict_code: str | None = None
    ) -> Saved:
        raise NotImplementedError

    def load(self, aggregate_id: UUID, expected_version: int | None = None) -> Any:
        raise NotImplementedError

    def load_as(
        self,
        actor: Actor,
        aggregate_id: UUID,
        resource: Resource,
        expected_version: int | None = None,
    ) -> Any:
        raise NotImplementedError

    def mechanism_for(self, region: str) -> Mechanism:
        """The coordination mechanism of a region (its limits and dispute ladders)."""
        raise NotImplementedError

    def mechanism_named(self, name: str) -> Mechanism:
        raise NotImplementedError

    def resolve_ladder(self, mechanism: Mechanism, kind: LadderKind, region: str) -> list[RungData]:
        """The ladder's rungs with the agency that decides each (none for negotiation)."""
        raise NotImplementedError
