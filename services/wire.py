"""Events on the wire: one CloudEvents 1.0 JSON envelope per stored event, on the topic of its
aggregate kind, keyed by aggregate id so each aggregate's events stay in order.

The envelope carries the same neutral record the views consume, so a projector reading Kafka and
one reading the store apply exactly the same thing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from projections.records import EventRecord
from services import catalogue

SPEC_VERSION = "1.0"
TYPE_PREFIX = "liandong."

ENCODER = json.JSONEncoder(ensure_ascii=False)  # json.dumps would make one per call


class EnvelopeInvalid(ValueError):
    """A message that is not one of our envelopes (a poison message for a projector)."""


def topic_name(kind: str, prefix: str = "") -> str:
    return f"{prefix}liandong.{kind}.v1"


def kind_of(record: EventRecord) -> str | None:
    """The kind whose topic carries the record; None for bookkeeping never published."""
    if record.aggregate_type not in catalogue.TOPIC_OF:
        raise EnvelopeInvalid(f"no topic for aggregate type {record.aggregate_type!r}")
    return catalogue.TOPIC_OF[record.aggregate_type]


def envelope(record: EventRecord, source: str, agencies: Sequence[str] = ()) -> dict[str, Any]:
    """The CloudEvents structured-mode envelope. Extension values are strings or integers, as
    CloudEvents requires: `agencies` is the concerned agencies' codes joined by spaces."""
    return {
        "specversion": SPEC_VERSION,
        "id": f"{record.aggregate_id}/{record.aggregate_version}",
        "source": source,
        "type": TYPE_PREFIX + record.type,
        "subject": record.aggregate_id,
        "time": record.recorded_at,
        "datacontenttype": "application/json",
        "dataversion": record.class_version,
        "position": record.position,
        "aggregateversion": record.aggregate_version,
        "agencies": " ".join(sorted(set(agencies))),
        "data": record.data,
    }


def encode(record: EventRecord, source: str, agencies: Sequence[str] = ()) -> bytes:
    return ENCODER.encode(envelope(record, source, agencies)).encode()


def headers(record: EventRecord) -> list[tuple[str, bytes]]:
    return [
        ("ce_type", (TYPE_PREFIX + record.type).encode()),
        ("position", str(record.position).encode()),
    ]


def decode(value: bytes) -> EventRecord:
    """The record an envelope carries; EnvelopeInvalid for anything else."""
    try:
        body = json.loads(value)
        event_type = body["type"]
        if body.get("specversion") != SPEC_VERSION or not event_type.startswith(TYPE_PREFIX):
            raise EnvelopeInvalid(f"not a liandong event: {event_type!r}")
        return EventRecord(
            position=int(body["position"]),
            type=event_type.removeprefix(TYPE_PREFIX),
            aggregate_id=str(body["subject"]),
            aggregate_version=int(body["aggregateversion"]),
            recorded_at=str(body["time"]),
            data=dict(body["data"]),
            class_version=int(body.get("dataversion", 1)),
        )
    except EnvelopeInvalid:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise EnvelopeInvalid(f"unreadable envelope: {type(error).__name__}: {error}") from None
