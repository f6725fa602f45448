"""An act's form, drawn from the request schema the API publishes for the act's route, and the
form's answers turned back into that request. The console holds no copy of any request's shape."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fastapi import FastAPI

from domain.calendar import SHANGHAI
from services.console.labels import field_label

# Fields that name one agency by its code: chosen from the register by name.
AGENCY_FIELDS = frozenset({"to_agency", "from_agency", "lead_agency", "agency", "handler", "lead"})
TEXTAREA_AFTER = 200  # strings allowed longer than this get a text area
LIST_ROOM = 3  # entries a form offers for a list of objects (materials, those present)
CHINA = "+08:00"  # the console's times are Beijing time, as the pages show them


@dataclass
class Field:
    name: str  # the dotted path of the value in the request: "party.name", "materials.0.kind"
    label: str
    widget: (
        str  # text, textarea, select, agency, boolean, integer, datetime, date, lines, group, list
    )
    required: bool
    options: list[str] = field(default_factory=list)
    hint: str = ""
    children: list[Field] = field(default_factory=list)
    value: Any = None


def request_schema(app: FastAPI, href: str) -> dict[str, Any] | None:
    """The JSON schema of the body the route behind `href` takes (a POST), or None."""
    spec = app.openapi()
    for template, operations in spec["paths"].items():
        if "post" in operations and _matches(template, href):
            content = operations["post"].get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            return _resolved(spec, schema) if schema else None
    return None


def is_create(href: str) -> bool:
    """A POST to a collection (/v1/cases) creates; one to a resource's act does not."""
    return href.count("/") == 2


def _matches(template: str, path: str) -> bool:
    pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
    return re.fullmatch(pattern, path) is not None


def _resolved(spec: Mapping[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref:
        target = spec
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        return _resolved(spec, {**target, **{k: v for k, v in schema.items() if k != "$ref"}})
    out = dict(schema)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in out:
            out[key] = [_resolved(spec, s) for s in out[key]]
    if "properties" in out:
        out["properties"] = {k: _resolved(spec, v) for k, v in out["properties"].items()}
    if "items" in out:
        out["items"] = _resolved(spec, out["items"])
    return out


def fields(schema: Mapping[str, Any] | None, prefix: str = "") -> list[Field]:
    if not schema:
        return []
    required = set(schema.get("required", ()))
    return [
        _field(f"{prefix}{name}", name, sub, name in required)
        for name, sub in schema.get("properties", {}).items()
    ]


def _field(path: str, name: str, schema: Mapping[str, Any], required: bool) -> Field:
    schema, optional = _unwrapped(schema)
    label = field_label(name, schema.get("description") or schema.get("title") or name)
    hint = schema.get("description", "")
    widget = _widget(schema)
    if widget == "text" and name in AGENCY_FIELDS:
        widget = "agency"
    made = Field(path, label, widget, required and not optional, hint=hint)
    if made.widget == "select":
        made.options = [str(o) for o in _options(schema)]
    elif made.widget == "group":
        made.children = fields(schema, prefix=f"{path}.")
    elif made.widget == "list":  # a list of objects: room for a few entries, blanks left out
        made.children = [_entry(schema["items"], f"{path}.{i}", i) for i in range(LIST_ROOM)]
    if not made.required:  # what an optional part requires, it requires only when given
        _optional(made.children)
    return made


def _entry(schema: Mapping[str, Any], path: str, index: int) -> Field:
    """One entry of a list of objects; only the first must be filled in."""
    entry = Field(path, f"第{index + 1}项", "group", index == 0)
    entry.children = fields(schema, prefix=f"{path}.")
    if index:
        _optional(entry.children)
    return entry


def _optional(fields_: list[Field]) -> None:
    for f in fields_:
        f.required = False
        _optional(f.children)


def _unwrapped(schema: Mapping[str, Any]) -> tuple[Mapping[str, Any], bool]:
    """A value or nothing (anyOf with null) is the value, optional."""
    choices = schema.get("anyOf")
    if not choices:
        return schema, False
    kept = [c for c in choices if c.get("type") != "null"]
    optional = len(kept) < len(choices)
    if len(kept) == 1:
        return {**kept[0], **{k: v for k, v in schema.items() if k != "anyOf"}}, optional
    return {**schema, "type": "string"}, optional  # several kinds (money as text or number)


def _options(schema: Mapping[str, Any]) -> list[Any]:
    if "enum" in schema:
        return list(schema["enum"])
    return [schema["const"]]


def _widget(schema: Mapping[str, Any]) -> str:
    kind = schema.get("type")
    if "enum" in schema or "const" in schema:
        return "select"
    if kind == "object" and schema.get("properties"):
        return "group"
    if kind == "array":
        items = schema.get("items", {})
        return "list" if items.get("type") == "object" else "lines"
    if kind == "boolean":
        return "boolean"
    if kind == "integer":
        return "integer"
    if kind == "string" and schema.get("format") == "date-time":
        return "datetime"
    if kind == "string" and schema.get("format") == "date":
        return "date"
    if kind == "string" and (schema.get("maxLength") or 0) > TEXTAREA_AFTER:
        return "textarea"
    return "text"


def body(form: Mapping[str, str], fields_: list[Field]) -> dict[str, Any]:
    """The request the form's answers make: blank optional values are left out."""
    out: dict[str, Any] = {}
    for f in fields_:
        value = _value(form, f)
        if value is not None:
            out[f.name.rsplit(".", 1)[-1]] = value
    return out


def _value(form: Mapping[str, str], f: Field) -> Any:
    if f.widget == "group":
        inner = body(form, f.children)
        return inner or None
    if f.widget == "list":
        entries = [body(form, e.children) for e in f.children if _answered(form, e)]
        return entries or None
    raw = (form.get(f.name) or "").strip()
    if not raw:
        return False if f.widget == "boolean" and f.required else None
    if f.widget == "lines":
        return [line.strip() for line in raw.splitlines() if line.strip()]
    if f.widget == "boolean":
        return raw == "true"
    if f.widget == "integer":
        return int(raw) if re.fullmatch(r"-?\d{1,18}", raw) else raw  # the API says why not
    if f.widget == "datetime":
        return _moment(raw)
    return raw


def _answered(form: Mapping[str, str], entry: Field) -> bool:
    """An entry with something written or chosen in it (a yes/no left as it was is not)."""
    return any(
        _answered(form, f) if f.children else bool((form.get(f.name) or "").strip())
        for f in entry.children
        if f.widget != "boolean"
    )


def _moment(raw: str) -> str:
    """A datetime-local answer is Beijing time; the API takes ISO 8601 with its offset."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", raw):
        return f"{raw}:00{CHINA}"
    return raw


def local_minute(value: str) -> str:
    """An ISO time as a datetime-local answer: Beijing time to the minute."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(SHANGHAI)
    return moment.strftime("%Y-%m-%dT%H:%M")


def filled(fields_: list[Field], form: Mapping[str, str]) -> list[Field]:
    """The fields with the answers given, to show the form again beside the API's refusal."""
    for f in fields_:
        f.value = form.get(f.name)
        filled(f.children, form)
    return fields_
