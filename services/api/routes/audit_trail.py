"""The audit trail for supervision: the acts of the agencies the caller may read (the one
visibility rule), filtered, a page at a time or as JSON Lines with proofs; and one resource as
it stood at a time, rebuilt from its events by the same fold as its view. Every reading is
itself recorded (TrailReading.Read)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import StreamingResponse

from domain.trail_reading import ReadingScope
from domain.values import Actor
from projections.audit_trail import TrailQuery, TrailView
from projections.deadlines import utc_key
from projections.fold import Resource
from projections.records import EventRecord
from services import catalogue
from services.api.audit_export import export_lines
from services.api.deps import ActorDep, ContainerDep, ReadYourWrites, handler
from services.api.errors import ApiProblem
from services.api.listing import AgencyParam, Cursor, Limit, before, day_bounds
from services.api.openapi import ERRORS
from services.api.routes.audit import latest_checkpoint
from services.api.schemas.audit import ResourceAsOf, TrailPage
from services.api.schemas.common import Day
from services.audit.checkpoints import SignedCheckpoint, b64
from services.bootstrap import Container
from services.handlers.audit import Asked, AuditHandlers

router = APIRouter(prefix="/v1/audit", tags=["audit"], responses=ERRORS)
Audits = Annotated[AuditHandlers, Depends(handler(AuditHandlers))]
NDJSON = "application/x-ndjson"
EXPORT_MOST = 50_000  # entries in one export; narrow the period for more
# The kinds, as the catalogue has them: any for the trail, those read by id for `as_of`.
KINDS = [k.name for k in catalogue.KINDS]
RESOURCE_KINDS = [k.name for k in catalogue.KINDS if k.resources]
KindName = Annotated[
    str | None,
    Query(pattern=f"^({'|'.join(KINDS)})$", description=f"one of: {', '.join(KINDS)}"),
]
ResourceKind = Annotated[
    str,
    Path(
        pattern=f"^({'|'.join(RESOURCE_KINDS)})$",
        description=f"one of: {', '.join(RESOURCE_KINDS)}",
    ),
]
Known = Annotated[
    list[int] | None,
    Query(
        max_length=100,
        description="export: the sizes of checkpoints you hold (from the audit topic); the"
        " export proves that the latest checkpoint extends each",
    ),
]
From = Annotated[Day | None, Query(alias="from", description="acts on or after this day")]
To = Annotated[Day | None, Query(description="acts on or before this day")]


def resource_of(kind: str) -> Resource:
    found = next(k for k in catalogue.KINDS if k.name == kind)
    return found.resources[0]


@router.get(
    "/events",
    response_model=TrailPage,
    dependencies=[ReadYourWrites],
    responses={200: {"content": {NDJSON: {}}}},
)
def events(
    request: Request,
    actor: ActorDep,
    container: ContainerDep,
    audits: Audits,
    agency: AgencyParam = None,
    kind: KindName = None,
    resource_id: UUID | None = None,
    officer: Annotated[str | None, Query(max_length=64)] = None,
    from_: From = None,
    to: To = None,
    limit: Limit = 50,
    cursor: Cursor = None,
    known: Known = None,
) -> Any:
    """Every act of the agencies the caller may read, newest first; with `Accept:
    application/x-ndjson`, all of them (oldest first, at most 50,000) with their proofs."""
    chosen = container.app.access.agency_in_view(actor, agency)
    agencies = [chosen] if agency else container.app.access.agencies_seen(actor)
    start, end = day_bounds(from_, to)
    reading = Asked(
        agency=agency,
        kind=kind,
        resource_id=resource_id,
        officer=officer,
        period_from=start,
        period_to=end,
    )
    query = trail_query(agencies, reading)
    if NDJSON in request.headers.get("accept", ""):
        proved = _checkpoints(container, known or [])
        return _export(container, audits, actor, query, reading, proved)
    query = replace(query, before=before(cursor), limit=limit)
    with container.views_db.reading() as db:
        entries = container.view(TrailView).page(db, query)
    audits.record_reading(actor, ReadingScope.TRAIL, len(entries), **reading)
    with_hashes(container, entries)
    more = len(entries) == limit
    return TrailPage.model_validate(
        {"entries": entries, "next_cursor": str(entries[-1]["position"]) if more else None}
    )


def trail_query(agencies: list[str], asked: Asked) -> TrailQuery:
    start, end, resource = asked["period_from"], asked["period_to"], asked["resource_id"]
    return TrailQuery(
        agencies,
        kind=asked["kind"],
        resource_id=str(resource) if resource else None,
        officer=asked["officer"],
        from_key=utc_key(start) if start else None,
        to_key=utc_key(end) if end else None,
    )


def _checkpoints(container: Container, known: list[int]) -> list[SignedCheckpoint]:
    """The checkpoints an export proves: those the caller holds, and the latest."""
    stored = container.checkpoints()
    latest = latest_checkpoint(container)
    held = []
    for size in sorted(set(known) - {latest.tree_size}):
        checkpoint = stored.at(size)
        if checkpoint is None:
            raise ApiProblem(
                422, "audit.checkpoint_unknown", f"the log signed no checkpoint of size {size}"
            )
        held.append(checkpoint)
    return [*held, latest]


def _export(
    container: Container,
    audits: AuditHandlers,
    actor: Actor,
    query: TrailQuery,
    reading: Asked,
    checkpoints: list[SignedCheckpoint],
) -> StreamingResponse:
    entries: list[dict[str, Any]] = []
    ascending = replace(query, after=0, limit=1000)
    with container.views_db.reading() as db:
        while page := container.view(TrailView).page(db, ascending):
            entries += page
            if len(entries) > EXPORT_MOST:
                raise ApiProblem(
                    422,
                    "audit.export_too_large",
                    f"more than {EXPORT_MOST} entries: narrow the period (`from`, `to`)",
                )
            ascending = replace(ascending, after=page[-1]["position"])
    audits.record_reading(actor, ReadingScope.EXPORT, len(entries), **reading)
    return StreamingResponse(export_lines(container, checkpoints, entries), media_type=NDJSON)


def with_hashes(container: Container, entries: list[dict[str, Any]]) -> None:
    logged = container.audit_tree().logged([e["position"] for e in entries])
    for entry in entries:
        leaf = logged.get(entry["position"])
        entry["leaf_hash"] = b64(leaf.hash) if leaf else None


@router.get("/{kind}/{resource_id}", response_model=ResourceAsOf, dependencies=[ReadYourWrites])
def as_of(
    kind: ResourceKind,
    resource_id: UUID,
    actor: ActorDep,
    container: ContainerDep,
    audits: Audits,
    as_of: Annotated[datetime, Query(description="the time to show it as of (RFC 3339)")],
) -> ResourceAsOf:
    """The resource as it stood at `as_of`, with the events it rests on."""
    resource = resource_of(kind)
    with container.views_db.reading() as db:
        entries = container.view(TrailView).of_resource(db, str(resource_id))
    records = [_record(e) for e in entries]
    of_kind = bool(records) and records[0].aggregate_type == resource.aggregate.__name__
    audience = resource.audience(resource.fold.fold(records)) if of_kind else []
    container.app.access.require(actor, audience, resource.noun)  # else as if it did not exist
    key = utc_key(as_of)
    then = [r for r in records if utc_key(r.recorded_at) <= key]
    if not then:
        raise ApiProblem(404, "audit.not_yet", f"the {resource.noun} did not exist at {as_of}")
    shown = entries[: len(then)]
    audits.record_reading(
        actor, ReadingScope.RESOURCE, len(shown), kind=kind, resource_id=resource_id, as_of=as_of
    )
    with_hashes(container, shown)
    return ResourceAsOf.model_validate(
        {
            "kind": kind,
            "id": resource_id,
            "as_of": as_of,
            "version": then[-1].aggregate_version,
            "document": resource.fold.fold(then),
            "events": shown,
        }
    )


def _record(entry: dict[str, Any]) -> EventRecord:
    return EventRecord(
        entry["position"],
        entry["type"],
        entry["id"],
        entry["version"],
        entry["recorded_at"],
        entry["data"],
    )
