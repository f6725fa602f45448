"""Every published event's schema declares each object's properties and describes every one of
them: a subscriber in another district codes against the schema, never against our classes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from services.contracts.envelope import envelope_schema
from services.contracts.events import data_schema, published_events

FREE_FORM_REASON = "free-form"


def objects(schema: Any, path: str = "$") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object schema inside a schema, with where it is."""
    if isinstance(schema, dict):
        if schema.get("type") == "object" or "properties" in schema:
            yield path, schema
        for key, value in schema.items():
            yield from objects(value, f"{path}.{key}")
    elif isinstance(schema, list):
        for n, value in enumerate(schema):
            yield from objects(value, f"{path}[{n}]")


def undeclared(schema: dict[str, Any]) -> list[str]:
    """Objects whose properties are not all declared, unless declared free-form with a reason."""
    found = []
    for path, obj in objects(schema):
        if obj.get("additionalProperties") is False:
            continue
        reason = obj.get("description", "")
        if FREE_FORM_REASON in reason and "properties" not in obj:
            continue
        found.append(path)
    return found


def undescribed(schema: dict[str, Any]) -> list[str]:
    return [
        f"{path}.{name}"
        for path, obj in objects(schema)
        for name, prop in obj.get("properties", {}).items()
        if not prop.get("description")
    ]


EVENTS = {event.key: event for event in published_events()}


@pytest.mark.parametrize("key", sorted(EVENTS))
def test_every_object_in_an_event_schema_declares_its_properties(key):
    assert undeclared(data_schema(EVENTS[key])) == []


@pytest.mark.parametrize("key", sorted(EVENTS))
def test_every_field_of_an_event_schema_is_described(key):
    assert undescribed(data_schema(EVENTS[key])) == []


def test_the_envelope_declares_its_data_free_form_with_a_reason():
    schema = envelope_schema()
    assert undescribed(schema) == []
    assert undeclared(schema) == []
    assert FREE_FORM_REASON in schema["properties"]["data"]["description"]


def test_the_check_finds_an_undeclared_object_and_an_undescribed_field():
    loose = {"type": "object", "properties": {"details": {"type": "object"}}}
    assert undeclared(loose) == ["$", "$.properties.details"]
    assert undescribed(loose) == ["$.details"]
