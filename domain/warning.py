"""A warning on one occurrence of a time limit: yellow when the limit comes within its lead
time, red when it passes unmet, withdrawn when the act is done, the limit moves or the resource
closes. Its id is derived from the resource, the limit and the due time, so every watcher (and
every restart of one) names the same aggregate, and a limit moved to another due time is a new
occurrence with a warning of its own."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import get_topic

from domain.errors import DomainError
from domain.ids import NAMESPACE
from domain.warning_events import (
    Colour,
    ColourField,
    DueAt,
    Lead,
    LimitName,
    LimitRule,
    Provisional,
    ResourceId,
    ResourceKind,
    Responsible,
    WarnedAt,
    WhyField,
    WithdrawnAt,
    WithdrawnWhy,
)


def warning_id(resource_id: str | UUID, name: str, due_at: datetime) -> UUID:
    """The occurrence's id: the same for the same resource, limit and due instant."""
    due = due_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return uuid5(NAMESPACE, f"warning:{resource_id}|{name}|{due}")


class WarningNotOpen(DomainError):
    code = "warning.not_open"


class AlreadyRaised(DomainError):
    code = "warning.already_raised"


class Warning(Aggregate):
    class Raised(Aggregate.Created):
        """The first colour creates the warning; red after yellow is the same event again."""

        colour: ColourField
        kind: ResourceKind
        resource_id: ResourceId
        name: LimitName
        rule: LimitRule
        due_at: DueAt
        provisional: Provisional
        agency: Responsible
        lead: Lead
        at: WarnedAt

        def mutate(self, aggregate: Any) -> Any:
            if aggregate is None:
                return super().mutate(None)
            return Aggregate.Event.mutate(self, aggregate)

        def apply(self, aggregate: Any) -> None:
            aggregate.colours = [*aggregate.colours, Colour(self.colour)]

    @event(Raised)
    def __init__(
        self,
        id: UUID,
        colour: ColourField,
        kind: ResourceKind,
        resource_id: ResourceId,
        name: LimitName,
        rule: LimitRule,
        due_at: DueAt,
        provisional: Provisional,
        agency: Responsible,
        lead: Lead,
        at: WarnedAt,
    ) -> None:
        self.colours: list[Colour] = []
        self.limit = {"kind": kind, "resource_id": resource_id, "name": name, "rule": rule}
        self.withdrawn: WithdrawnWhy | None = None

    @classmethod
    def raise_on(
        cls, limit: dict[str, Any], colour: Colour, lead: str | None, at: datetime
    ) -> Warning:
        """A limit's first warning, yellow or red at once (a watcher that was down)."""
        due_at = limit["due_at"]
        return cls(
            id=warning_id(limit["resource_id"], limit["name"], due_at),
            colour=colour,
            lead=lead if colour is Colour.YELLOW else None,
            at=at,
            **{k: limit[k] for k in ("kind", "resource_id", "name", "rule", "due_at")},
            provisional=limit["provisional"],
            agency=limit["agency"],
        )

    @property
    def colour(self) -> Colour:
        return self.colours[-1]

    def turn_red(self, limit: dict[str, Any], at: datetime) -> None:
        """Red once the limit has passed: never twice, never after withdrawal."""
        self._check_open()
        if Colour.RED in self.colours:
            raise AlreadyRaised("this warning is red already")
        self.trigger_event(
            Warning.Raised,
            originator_topic=get_topic(type(self)),
            colour=Colour.RED,
            lead=None,
            at=at,
            **{k: limit[k] for k in ("kind", "resource_id", "name", "rule", "due_at")},
            provisional=limit["provisional"],
            agency=limit["agency"],
        )

    def withdraw(self, why: WithdrawnWhy, at: datetime) -> None:
        self._check_open()
        self._withdrawn(why, at)

    @event("Withdrawn")
    def _withdrawn(self, why: WhyField, at: WithdrawnAt) -> None:
        self.withdrawn = why

    def _check_open(self) -> None:
        if self.withdrawn is not None:
            raise WarningNotOpen("this warning was withdrawn")
