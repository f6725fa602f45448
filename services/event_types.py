"""The event types this code knows: every event class nested in the domain's aggregates.

Found by walking the modules of `domain`, so a new event is known (and gets its contract)
without editing a list; an aggregate that the catalogue does not name is an error.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from eventsourcing.domain import Aggregate, DomainEvent

import domain
from services import catalogue

# Library base classes present on every aggregate; our aggregates name their own creation events.
BASES = ("Event", "Created")


def aggregates() -> list[type[Aggregate]]:
    modules = [
        importlib.import_module(f"domain.{info.name}")
        for info in pkgutil.iter_modules(domain.__path__)
    ]
    return sorted(
        {
            value
            for module in modules
            for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, Aggregate) and value is not Aggregate
        },
        key=lambda cls: cls.__name__,
    )


@cache
def event_classes() -> dict[str, type[DomainEvent]]:
    """`"Case.Registered"` → its class, for every aggregate of the domain."""
    found: dict[str, type[DomainEvent]] = {}
    for aggregate in aggregates():
        if not own_events(aggregate):
            continue  # a base class of aggregates, with no events of its own
        if aggregate.__name__ not in catalogue.TOPIC_OF:
            raise LookupError(f"{aggregate.__name__} is in no kind: add it to services.catalogue")
        for name, value in own_events(aggregate).items():
            found[f"{aggregate.__name__}.{name}"] = value
    return dict(sorted(found.items()))


def own_events(aggregate: type[Aggregate]) -> dict[str, type[DomainEvent]]:
    return {
        name: value
        for name, value in vars(aggregate).items()
        if isinstance(value, type) and issubclass(value, DomainEvent) and name not in BASES
    }


def known_versions() -> dict[str, int]:
    """Event type → the newest class_version this code reads."""
    return {name: getattr(cls, "class_version", 1) for name, cls in event_classes().items()}
