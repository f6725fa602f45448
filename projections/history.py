"""An aggregate's history as views keep it: one row per event, who acted and when, and the
rest of the event's data."""

from __future__ import annotations

import json
from typing import Any

from projections.records import EventRecord


def history_row(record: EventRecord) -> dict[str, Any]:
    """The parameters of a history INSERT: version, position, type, at, by_officer,
    by_agency, by_name, data (the owner's id is the caller's to add, under its column's name)."""
    data = dict(record.data)
    by = data.pop("by", None) or {}
    at = data.pop("at", None)
    return {
        "version": record.aggregate_version,
        "position": record.position,
        "type": record.type.split(".", 1)[1],
        "at": at,
        "by_officer": by.get("officer"),
        "by_agency": by.get("agency"),
        "by_name": by.get("name"),
        "data": json.dumps(data, ensure_ascii=False),
    }


def history_entry(row: Any) -> dict[str, Any]:
    return {
        "version": int(row["version"]),
        "position": int(row["position"]),
        "type": row["type"],
        "at": row["at"],
        "by": {"officer": row["by_officer"], "agency": row["by_agency"], "name": row["by_name"]},
        "data": json.loads(row["data"]),
    }
