"""The neutral form of a stored event that every view and subscriber consumes.

Views are written against this form, not against the domain's Python classes, so the same
projection code runs on events read from the store and on envelopes read from Kafka.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from domain.calendar import SHANGHAI

ENVELOPE_FIELDS = ("originator_id", "originator_version", "timestamp", "originator_topic")


@dataclass(frozen=True)
class EventRecord:
    position: int
    type: str  # "<Aggregate>.<Event>", e.g. "Case.Registered"
    aggregate_id: str
    aggregate_version: int
    recorded_at: str  # RFC 3339
    data: dict[str, Any] = field(default_factory=dict)
    class_version: int = 1

    @property
    def aggregate_type(self) -> str:
        return self.type.split(".", 1)[0]

    @property
    def event_name(self) -> str:
        return self.type.split(".", 1)[1]


def event_type_name(domain_event: object) -> str:
    """`Case.Registered` for an event class nested in its aggregate class."""
    return type(domain_event).__qualname__


def to_record(domain_event: Any, position: int) -> EventRecord:
    data = {k: to_json(v) for k, v in vars(domain_event).items() if k not in ENVELOPE_FIELDS}
    return EventRecord(
        position=position,
        type=event_type_name(domain_event),
        aggregate_id=str(domain_event.originator_id),
        aggregate_version=domain_event.originator_version,
        recorded_at=to_json(domain_event.timestamp),
        data=data,
        class_version=getattr(type(domain_event), "class_version", 1),
    )


# Exactly these types are JSON already; a subclass (an IntEnum, say) is not, and is converted.
PLAIN = frozenset({str, int, float, bool, type(None)})


def to_json(value: Any) -> Any:
    """Plain JSON values; aware times in the service's zone (Asia/Shanghai)."""
    kind = type(value)
    # Most of an event's values (some twenty a case event) are plain, in plain dicts and lists:
    # answered by their exact type before any isinstance test.
    if kind in PLAIN:
        return value
    if kind is dict:
        return {k if type(k) is str else str(k): to_json(v) for k, v in value.items()}
    if kind is list:
        return [to_json(v) for v in value]
    if isinstance(value, datetime):
        return value.astimezone(SHANGHAI).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (UUID, Decimal)):
        return str(value)
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_json(v) for v in value]
    return value
