"""Events on the wire: one CloudEvents 1.0 JSON envelope per stored event, on the topic of its
aggregate kind, keyed by aggregate id so each aggregate's events stay in order.

The envelope carries the same neutral record the views consume, so a projector reading Kafka and
one reading the store apply exactly the same thing.

The CloudEvents SDK (`cloudevents`) is not used: its JSON format escapes all non-ASCII text and
wants `time` as a datetime, its Kafka binding moves `datacontenttype` out of the envelope into a
header and reads our `position` header back as a string over the body's integer, and even its
bare event object, written out by orjson, makes encoding more than twice as slow.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import orjson

from projections.records import EventRecord
from services import catalogue

SPEC_VERSION = "1.0"
TYPE_PREFIX = "liandong."

# orjson writes the JSON the standard library writes (non-ASCII as UTF-8 text, but compact)
# except integers beyond 64 bits, which it refuses to write and reads as floats: those go
# through the standard library, as does anything else orjson refuses.
FALLBACK_ENCODER = json.JSONEncoder(ensure_ascii=False)
ZEROED_DIGITS = bytes.maketrans(b"123456789", b"000000000")
NINETEEN_DIGITS = b"0" * 19  # a run as long as this may be an integer beyond 64 bits


class EnvelopeInvalid(ValueError):
    """A message that is not one of our envelopes (a poison message for a projector)."""


REPLIES_KIND = "crime-transfer-replies"  # police systems' replies: published by them, not us
AUDIT_KIND = "audit"  # the audit log's signed checkpoints, not events


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
    body = envelope(record, source, agencies)
    try:
        return orjson.dumps(body)
    except orjson.JSONEncodeError:
        return FALLBACK_ENCODER.encode(body).encode()


def headers(record: EventRecord) -> list[tuple[str, bytes]]:
    return [
        ("ce_type", (TYPE_PREFIX + record.type).encode()),
        ("position", str(record.position).encode()),
    ]


def loads(value: bytes) -> Any:
    """The JSON value, exactly as `json.loads` reads it, read by orjson wherever it can."""
    if NINETEEN_DIGITS not in value.translate(ZEROED_DIGITS):
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            pass  # what only the standard library reads (NaN, a BOM, UTF-16) or refuses itself
    return json.loads(value)


def decode(value: bytes) -> EventRecord:
    """The record an envelope carries; EnvelopeInvalid for anything else."""
    try:
        body = loads(value)
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
