"""The AsyncAPI 3.0 document of the topics: one channel per aggregate kind, one message per event
type, each an envelope whose `data` follows the event type's schema."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from services import catalogue, wire
from services.contracts.audit import CHANNEL as AUDIT_CHANNEL
from services.contracts.audit import (
    audit_channel,
    audit_components,
    audit_operation,
)
from services.contracts.envelope import envelope_schema, headers_schema
from services.contracts.events import EventType, data_schema
from services.contracts.replies import (
    CHANNEL,
    replies_channel,
    replies_components,
    replies_operation,
)

VERSION = "3.0.0"
SCHEMAS = "#/components/schemas/"
KAFKA_BINDING_VERSION = "0.5.0"

DESCRIPTION = """\
Events of the liandong 联动 coordination backend: every stored event, once it is recorded, as one \
CloudEvents 1.0 JSON envelope (structured mode) on the topic of its aggregate kind.

- **Topic names** carry the deployment's optional prefix: the addresses here are the names \
without it; a deployment with the prefix `tj-bh.` publishes on `tj-bh.liandong.case.v1`.
- **Key**: the aggregate id, so one aggregate's events arrive in order on one partition.
- **At least once**: a repeat has the same `id` (`<subject>/<aggregateversion>`); skip what you \
have applied.
- **Versions**: `data` follows the schema of the event's `type` and `dataversion`. A change that \
would break a subscriber is a new version, never an edit. Events stored before a version existed \
are upcast and published in the current version.
"""


def document(events: Sequence[EventType]) -> dict[str, Any]:
    channels = {wire.topic_name(kind): channel(kind, events) for kind in catalogue.topic_kinds()}
    return {
        "asyncapi": VERSION,
        "info": {"title": "liandong 联动 events", "version": "1", "description": DESCRIPTION},
        "defaultContentType": "application/json",
        "servers": {
            "kafka": {
                "host": "kafka.example.invalid:9092",
                "protocol": "kafka",
                "description": "a placeholder: each deployment names its own brokers",
            }
        },
        "channels": {**channels, CHANNEL: replies_channel(), AUDIT_CHANNEL: audit_channel()},
        "operations": {
            **{f"receive-{kind}": operation(kind, events) for kind in catalogue.topic_kinds()},
            "send-crime-transfer-replies": replies_operation(),
            "receive-audit": audit_operation(),
        },
        "components": components(events),
    }


def channel(kind: str, events: Sequence[EventType]) -> dict[str, Any]:
    own = [e for e in events if e.kind == kind]
    aggregates = sorted({e.name.split(".")[0] for e in own})
    carries = ", ".join(aggregates) if aggregates else "none yet"
    return {
        "address": wire.topic_name(kind),
        "title": f"{kind} events",
        "description": (
            f"Events of the {kind} aggregates ({carries}). A deployment may prefix the topic "
            f"name: `<prefix>{wire.topic_name(kind)}`."
        ),
        "messages": {e.name: {"$ref": f"#/components/messages/{e.name}"} for e in own},
    }


def operation(kind: str, events: Sequence[EventType]) -> dict[str, Any]:
    address = wire.topic_name(kind)
    return {
        "action": "receive",
        "channel": {"$ref": f"#/channels/{address}"},
        "summary": f"A subscriber receives the {kind} events.",
        "messages": [
            {"$ref": f"#/channels/{address}/messages/{e.name}"} for e in events if e.kind == kind
        ],
    }


def components(events: Sequence[EventType]) -> dict[str, Any]:
    schemas: dict[str, Any] = {
        "Envelope": _embedded(envelope_schema()),
        "Headers": headers_schema(),
    }
    for event in events:
        schema = _embedded(data_schema(event, ref_template=SCHEMAS + "{model}"))
        for name, definition in schema.pop("$defs", {}).items():
            if schemas.setdefault(name, definition) != definition:
                raise ValueError(f"two different schemas are named {name}")
        schemas[event.key] = schema
    replies = replies_components()
    for name, definition in replies["schemas"].items():
        if schemas.setdefault(name, definition) != definition:
            raise ValueError(f"two different schemas are named {name}")
    audit = audit_components()
    schemas.update(audit["schemas"])
    return {
        "schemas": schemas,
        "messages": {
            **{e.name: message(e) for e in events},
            **replies["messages"],
            **audit["messages"],
        },
        "messageBindings": {"aggregateKey": {"kafka": _key_binding()}},
    }


def message(event: EventType) -> dict[str, Any]:
    return {
        "name": event.ce_type,
        "title": f"{event.name} v{event.version}",
        "contentType": "application/json",
        "headers": {"$ref": SCHEMAS + "Headers"},
        "payload": {
            "allOf": [
                {"$ref": SCHEMAS + "Envelope"},
                {
                    "type": "object",
                    "properties": {
                        "type": {"const": event.ce_type},
                        "dataversion": {"const": event.version},
                        "data": {"$ref": SCHEMAS + event.key},
                    },
                },
            ]
        },
        "bindings": {"$ref": "#/components/messageBindings/aggregateKey"},
    }


def _key_binding() -> dict[str, Any]:
    key = {
        "type": "string",
        "format": "uuid",
        "description": "the aggregate id (the envelope's subject), UTF-8",
    }
    return {"key": key, "bindingVersion": KAFKA_BINDING_VERSION}


def _embedded(schema: dict[str, Any]) -> dict[str, Any]:
    """A schema inside the document: the document, not the schema, says its dialect."""
    return {k: v for k, v in schema.items() if k != "$schema"}
