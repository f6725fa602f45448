"""One fold per aggregate kind: its events' data, in order, into the document the API shows.

The command that just acted and the view that serves GET both fold with the same `Fold`, so a
command's answer equals the next GET. The status comes from the kind's lifecycle table; the
deadlines an event sets or meets are kept in the document, by name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.domain import Aggregate

from domain.lifecycle import Lifecycle
from projections.records import EventRecord

Document = dict[str, Any]
Change = Callable[[Document, dict[str, Any]], None]
# The deadlines an event meets: fixed names, or names read from the document and the event.
Meets = tuple[str, ...] | Callable[[Document, dict[str, Any]], Iterable[str]]


@dataclass(frozen=True)
class Fold:
    start: Callable[[EventRecord], Document]  # the document its first event makes
    changes: Mapping[str, Change]  # "Referral.Sent" → what the event changes
    lifecycle: Lifecycle
    meets: Mapping[str, Meets] = field(default_factory=dict)  # deadlines an event meets

    def first(self, record: EventRecord) -> Document:
        document = self.start(record)
        document["status"] = str(self.lifecycle.after[record.event_name])
        document["deadlines"] = {}
        set_deadlines(document, record.data)
        return document

    def apply(self, document: Document, record: EventRecord) -> None:
        change = self.changes.get(record.type)
        if change is not None:
            change(document, record.data)
        status = self.lifecycle.status_after(record.event_name, document["status"])
        document["status"] = status
        set_deadlines(document, record.data)
        meets = self.meets.get(record.type, ())
        for name in meets if isinstance(meets, tuple) else meets(document, record.data):
            if name in document["deadlines"]:
                document["deadlines"][name]["met_at"] = record.data["at"]

    def fold(self, records: Iterable[EventRecord]) -> Document:
        document: Document | None = None
        for record in records:
            if document is None:
                document = self.first(record)
            else:
                self.apply(document, record)
        if document is None:
            raise ValueError("nothing to fold")
        return document


def set_deadlines(document: Document, data: dict[str, Any]) -> None:
    """An event sets a deadline with `deadline` or `deadlines`; a later one of the same name
    replaces it (an extension)."""
    given = [data["deadline"]] if "deadline" in data else data.get("deadlines") or []
    for deadline in given:
        document["deadlines"][deadline["name"]] = dict(deadline, met_at=None)


@dataclass(frozen=True)
class Resource:
    """A kind of resource a person acts on by id: its aggregate class, its one fold, who is
    party to it (read by the one visibility rule), and the word its errors use."""

    aggregate: type[Aggregate]
    fold: Fold
    audience: Callable[[Document], list[str]]
    noun: str
