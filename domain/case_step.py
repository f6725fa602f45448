"""The shape of a case's steps (compulsory measures, rectification, the notice and hearing, the
decision and what follows it): each step is a module holding its events, as classes with the
fields they carry and how they change the case, and its acts, as a mixin of `Case`. `Case`
names every step's events in its body, so each becomes its own (`Case.<Name>`: its type, topic
and contract are the case's), and takes every step's acts by inheritance.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.errors import Forbidden
from domain.values import Actor, Role


class StepEvent(Aggregate.Event):
    """An event of a case's step: `change` is what it does to the case; the case's lifecycle
    table then moves its status."""

    def apply(self, aggregate: Any) -> None:
        self.change(aggregate)
        super().apply(aggregate)

    def change(self, case: Any) -> None:
        """Nothing but the status, unless the event says otherwise."""


class CaseStep:
    """What a step's acts rely on from the case they are part of."""

    if TYPE_CHECKING:
        id: UUID
        version: int
        agency: str
        handling_unit: str
        region: str
        procedure: str
        gravity: str
        deadlines: dict[str, dict[str, Any]]
        forms: dict[str, dict[str, Any]]
        documents: list[dict[str, Any]]

        @property
        def status(self) -> str: ...

        def _check_act(self, act: str) -> None: ...

        def trigger_event(self, event_class: Any, **kwargs: Any) -> None: ...

    def _record(self, event: type[StepEvent], **data: Any) -> None:
        """Triggers the case's own redefinition of a step's event."""
        self.trigger_event(getattr(type(self), event.__name__), **data)

    def _check_handler_acts(self, actor: Actor, at: datetime) -> None:
        """Every act on a case is an enforcement act of its handling unit's officers."""
        if actor.agency_code != self.handling_unit:
            raise Forbidden(
                "only the handling unit's officers take this act", code="case.not_handling_unit"
            )
        actor.require_valid_certificate(at)
        actor.require_role(Role.OFFICER)

    def _is_late(self, deadline: str, at: datetime) -> bool:
        due = self.deadlines.get(deadline)
        return due is not None and at > due["due_at"]
