"""Every published event type and the JSON Schema of its data.

The event types are those `services.event_types` finds in the domain's aggregates. The data of an
event is what `projections.records.to_record` makes of it: the event's own attributes in their
JSON form. Its schema comes from a pydantic model built from the attributes' annotations, in
serialization mode, which writes the same JSON forms as `to_json`: times as RFC 3339 strings,
UUIDs and decimals as strings, enums as their values.
"""

from __future__ import annotations

import inspect
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import ConfigDict, create_model
from pydantic.json_schema import DEFAULT_REF_TEMPLATE, GenerateJsonSchema

from projections.records import ENVELOPE_FIELDS
from services import catalogue, event_types, wire
from services.contracts.payloads import field_of

DIALECT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class EventType:
    cls: type
    name: str  # "Case.Registered"
    kind: str  # the topic kind of its aggregate

    @property
    def version(self) -> int:
        return int(getattr(self.cls, "class_version", 1))

    @property
    def ce_type(self) -> str:
        return wire.TYPE_PREFIX + self.name

    @property
    def key(self) -> str:
        """`Case.Registered.v1`: names its schema file and its schema in the AsyncAPI document."""
        return f"{self.name}.v{self.version}"


class NoFieldTitles(GenerateJsonSchema):
    """Titles only on the schemas themselves: a property is named by its key."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def published_events() -> list[EventType]:
    """The event types whose aggregate kind has a topic, by name."""
    return [
        EventType(cls, name, kind)
        for name, cls in event_types.event_classes().items()
        if (kind := catalogue.TOPIC_OF[name.split(".")[0]]) is not None
    ]


def fields(event_cls: type) -> dict[str, Any]:
    """The event's own attributes and their declared types, as its __init__ takes them."""
    hints = typing.get_type_hints(event_cls, include_extras=True)
    names = inspect.signature(event_cls).parameters
    return {n: hints[n] for n in names if n != "self" and n not in ENVELOPE_FIELDS}


def data_schema(event: EventType, ref_template: str = DEFAULT_REF_TEMPLATE) -> dict[str, Any]:
    attributes: dict[str, Any] = {name: field_of(tp) for name, tp in fields(event.cls).items()}
    config = ConfigDict(extra="forbid")
    model = create_model(event.key.replace(".", "_"), __config__=config, **attributes)
    schema = model.model_json_schema(
        mode="serialization", ref_template=ref_template, schema_generator=NoFieldTitles
    )
    return {
        "$schema": DIALECT,
        **schema,
        "title": event.ce_type,
        "description": f"The data of a {event.ce_type} event of version {event.version}.",
        "x-class-version": event.version,
    }
