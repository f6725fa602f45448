"""A reading of the audit trail: who looked at what, and when. Supervision is itself an act on
the record (reading the trail is recorded), so those who oversee the supervisors see it too."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.payloads import At, By


class ReadingScope(StrEnum):
    TRAIL = "trail"  # GET /v1/audit/events
    EXPORT = "export"  # the same, as JSON Lines with proofs
    RESOURCE = "resource"  # GET /v1/audit/{kind}/{id}: one resource as it stood


class TrailReading(Aggregate):
    @event("Read")
    def __init__(
        self,
        id: UUID,
        scope: Annotated[
            ReadingScope,
            "the trail (`trail`), its export with proofs (`export`), or one resource as it"
            " stood at a time (`resource`)",
        ],
        agency: Annotated[str | None, "the agency whose acts were asked for, if one was"],
        kind: Annotated[str | None, "the kind of resource asked for (`case`, `referral`, …)"],
        resource_id: Annotated[UUID | None, "the resource asked for, if one was"],
        officer: Annotated[str | None, "the officer whose acts were asked for, if one was"],
        period_from: Annotated[datetime | None, "acts on or after this time, if asked"],
        period_to: Annotated[datetime | None, "acts before this time, if asked"],
        as_of: Annotated[datetime | None, "the time the resource was shown as of (`resource`)"],
        entries: Annotated[int, "how many events were shown"],
        by: By,
        at: At,
    ) -> None:
        self.scope = scope
