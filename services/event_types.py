"""The event types this code knows: every event class nested in the domain's aggregates.

Found by walking the aggregate classes, so a new event is known without editing a list.
"""

from __future__ import annotations

from functools import cache

from eventsourcing.domain import Aggregate, DomainEvent

import domain.agency
import domain.case
import domain.numbering
import domain.schedule
from services import idempotency, wire

MODULES = (domain.agency, domain.case, domain.numbering, domain.schedule, idempotency)
# Library base classes present on every aggregate; our aggregates name their own creation events.
BASES = ("Event", "Created")


def aggregates() -> list[type[Aggregate]]:
    return sorted(
        {
            value
            for module in MODULES
            for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, Aggregate) and value is not Aggregate
        },
        key=lambda cls: cls.__name__,
    )


@cache
def event_classes() -> dict[str, type[DomainEvent]]:
    """`"Case.Registered"` → its class, for every published aggregate."""
    found: dict[str, type[DomainEvent]] = {}
    for aggregate in aggregates():
        if wire.KINDS.get(aggregate.__name__) is None:
            continue
        for name, value in vars(aggregate).items():
            if isinstance(value, type) and issubclass(value, DomainEvent) and name not in BASES:
                found[f"{aggregate.__name__}.{name}"] = value
    return dict(sorted(found.items()))


def known_versions() -> dict[str, int]:
    """Event type → the newest class_version this code reads."""
    return {name: getattr(cls, "class_version", 1) for name, cls in event_classes().items()}
