"""Reading the audit trail is itself recorded: who looked at what, with what they asked for."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict, Unpack
from uuid import UUID, uuid4

from domain.payloads import actor_data
from domain.trail_reading import ReadingScope, TrailReading
from domain.values import Actor
from services.application import Liandong, Saved


class Asked(TypedDict, total=False):
    """What the reader asked for: the trail's filters, or a resource as of a time."""

    agency: str | None
    kind: str | None
    resource_id: UUID | None
    officer: str | None
    period_from: datetime | None
    period_to: datetime | None
    as_of: datetime | None


class AuditHandlers:
    def __init__(self, app: Liandong) -> None:
        self.app = app

    def record_reading(
        self, actor: Actor, scope: ReadingScope, entries: int, **asked: Unpack[Asked]
    ) -> Saved:
        reading = TrailReading(
            id=uuid4(),
            scope=scope,
            agency=asked.get("agency"),
            kind=asked.get("kind"),
            resource_id=asked.get("resource_id"),
            officer=asked.get("officer"),
            period_from=asked.get("period_from"),
            period_to=asked.get("period_to"),
            as_of=asked.get("as_of"),
            entries=entries,
            by=actor_data(actor),
            at=self.app.clock(),
        )
        return self.app.store(reading)
