"""The meeting-minutes tracker: for each agency, the meetings it convenes or is invited to (or
was sent matters by), with the materials and minutes deadlines, its own answer, the minutes it
received and acknowledged, and the follow-up items it owns; one meeting with its history.

An agency's list is rows of its own (agency, position), so a busy agency's page is an index
range however many meetings the district holds; `overdue` is judged at query time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.meeting_rules import follow_up_name
from domain.meeting_states import MEETING_LIFECYCLE
from projections.deadlines import (
    SCHEDULE_DDL,
    DeadlineTable,
    limit_row,
    now_key,
    open_statuses,
    utc_key,
    with_states,
)
from projections.document_view import DocumentView, Writes, history_ddl
from projections.fold import Document
from projections.meeting_document import MEETING_FOLD
from projections.records import EventRecord
from projections.view import Cursor

DEADLINES = DeadlineTable("meeting_id")
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS {meetings} ("
    " id TEXT PRIMARY KEY, kind TEXT NOT NULL, status TEXT NOT NULL, convener TEXT NOT NULL,"
    " created_position BIGINT NOT NULL, version INTEGER NOT NULL, position BIGINT NOT NULL,"
    " doc TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {members} ("
    " agency TEXT NOT NULL, created_position BIGINT NOT NULL, meeting_id TEXT NOT NULL,"
    " role TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL, starts_key TEXT,"
    " PRIMARY KEY (agency, created_position))",
    "CREATE INDEX IF NOT EXISTS {members}_meeting ON {members} (meeting_id)",
    "CREATE INDEX IF NOT EXISTS {members}_starts ON {members} (agency, role, starts_key)",
    "CREATE TABLE IF NOT EXISTS {owners} ("
    " meeting_id TEXT NOT NULL, name TEXT NOT NULL, agency TEXT NOT NULL,"
    " PRIMARY KEY (meeting_id, name))",
    # Each invitee of a meeting: whether it answered before the meeting, and, once held,
    # whether it was absent without reason (for the yearly assessment).
    "CREATE TABLE IF NOT EXISTS {attendance} ("
    " meeting_id TEXT NOT NULL, agency TEXT NOT NULL, status TEXT NOT NULL,"
    " starts_at TEXT NOT NULL, starts_key TEXT NOT NULL, answered_at TEXT, answered_key TEXT,"
    " held_at TEXT, absent INTEGER, PRIMARY KEY (meeting_id, agency))",
    "CREATE INDEX IF NOT EXISTS {attendance}_agency ON {attendance} (agency, starts_key)",
    DEADLINES.ddl,
    DEADLINES.index,
    DEADLINES.party_index,
    history_ddl("history", "meeting_id"),
    SCHEDULE_DDL,
)
INTO_MEMBERS = (
    "INSERT INTO {members} (agency, created_position, meeting_id, role, kind, status, starts_key)"
    " VALUES (:agency, :created, :id, :role, :kind, :status, :starts_key) ON CONFLICT DO NOTHING"
)
INTO_OWNERS = (
    "INSERT INTO {owners} (meeting_id, name, agency) VALUES (:id, :name, :agency)"
    " ON CONFLICT DO NOTHING"
)
INTO_ATTENDANCE = (
    "INSERT INTO {attendance} (meeting_id, agency, status, starts_at, starts_key, answered_at,"
    " answered_key, held_at, absent) VALUES (:id, :agency, :status, :starts_at, :starts_key,"
    " :answered_at, :answered_key, :held_at, :absent) ON CONFLICT (meeting_id, agency) DO UPDATE"
    " SET status = excluded.status, starts_at = excluded.starts_at,"
    " starts_key = excluded.starts_key, answered_at = excluded.answered_at,"
    " answered_key = excluded.answered_key, held_at = excluded.held_at, absent = excluded.absent"
)
MEMBERS_NOW = (
    "UPDATE {members} SET status = :status, starts_key = :starts_key WHERE meeting_id = :id"
)
OPEN_STATUSES = open_statuses(MEETING_LIFECYCLE)
# A time limit the agency tracks is overdue: the convener tracks them all; the others the
# meeting's own and the follow-up items they own.
OVERDUE = (
    f"(m.status IN ({OPEN_STATUSES}) AND EXISTS (SELECT 1 FROM {{deadlines}} d"
    " WHERE d.meeting_id = m.meeting_id AND d.met_at IS NULL AND d.due_key < :now"
    " AND (m.role = 'convener' OR d.name NOT LIKE 'follow_up:%' OR EXISTS (SELECT 1"
    " FROM {owners} o WHERE o.meeting_id = d.meeting_id AND o.name = d.name"
    " AND o.agency = m.agency))))"
)
PAGE = (
    "SELECT m.agency, m.meeting_id, m.role, m.status, m.created_position FROM {members} m"
    " WHERE m.agency = :agency AND m.created_position < :before"
    " AND (CAST(:kind AS TEXT) IS NULL OR m.kind = :kind)"
    " AND (CAST(:status AS TEXT) IS NULL OR m.status = :status)"
    " AND (CAST(:from_key AS TEXT) IS NULL OR m.starts_key >= :from_key)"
    " AND (CAST(:to_key AS TEXT) IS NULL OR m.starts_key < :to_key)"
    " AND (CAST(:overdue AS INTEGER) = 0 OR " + OVERDUE + ")"
    " ORDER BY m.created_position DESC LIMIT :limit"
)
SELECT_PAGE = (
    "SELECT m.role, m.created_position, d.version, d.position, d.doc, " + OVERDUE + " AS overdue"
    " FROM (" + PAGE + ") m JOIN {meetings} d ON d.id = m.meeting_id"
    " ORDER BY m.created_position DESC"
)
CONVENED_IN_PERIOD = (
    "SELECT d.id, d.doc FROM {members} m JOIN {meetings} d ON d.id = m.meeting_id"
    " WHERE m.agency = :agency AND m.role = 'convener'"
    " AND m.starts_key >= :from_key AND m.starts_key < :to_key"
)


class MeetingTracker(DocumentView):
    name = "meetings"
    schema_version = 2
    tables = ("meetings", "members", "owners", "attendance", "deadlines", "history", "schedules")
    schema = SCHEMA
    fold = MEETING_FOLD
    aggregate = "JointMeeting"
    documents = "meetings"
    created_column = "created_position"
    columns = ("kind", "convener")
    history = "history"
    history_owner = "meeting_id"
    deadlines = DEADLINES

    def entered(
        self, writes: Writes, record: EventRecord, document: Document, created: int
    ) -> None:
        """The convener and the invitees list it from the call on; the bodies a matter went up
        to, once the minutes are issued."""
        if record.aggregate_version == 1:
            roles = [(document["convener"], "convener")]
            roles += [(agency, "invitee") for agency in document["invitees"]]
        elif record.event_name == "MinutesIssued":
            roles = [(agency, "passed_up") for agency in document["passed_up_to"]]
            for item in document["follow_ups"]:
                owner = {"id": document["id"], "agency": item["agency"]}
                writes.add(self.sql(INTO_OWNERS), dict(owner, name=follow_up_name(item["item"])))
        else:
            return
        for agency, role in roles:
            row = _member(document, created)
            writes.add(self.sql(INTO_MEMBERS), dict(row, agency=agency, role=role))

    def settled(self, writes: Writes, document: Document, created: int) -> None:
        writes.add(self.sql(MEMBERS_NOW), _member(document, created))
        for row in attendance_rows(document):
            writes.add(self.sql(INTO_ATTENDANCE), row)

    def party_of(self, document: Document) -> Callable[[Mapping[str, Any]], str | None]:
        """The convener circulates the materials and issues the minutes; a follow-up item is
        its agency's; a letter's answers are each consulted agency's, so no one's alone."""
        owners = {follow_up_name(f["item"]): f["agency"] for f in document["follow_ups"]}
        convener = document["convener"]

        def party(deadline: Mapping[str, Any]) -> str | None:
            name = deadline["name"]
            return convener if name in ("materials", "minutes") else owners.get(name)

        return party

    # Queries ------------------------------------------------------------------------------

    def detail(self, cursor: Cursor, aggregate_id: str, now: datetime) -> Document | None:
        document = super().detail(cursor, aggregate_id, now)
        if document is not None:
            document["deadlines"] = with_states(document["deadlines"], True)
        return document

    def page(self, cursor: Cursor, query: TrackerQuery, now: datetime) -> list[dict[str, Any]]:
        params = dict(vars(query), now=now_key(now), overdue=int(query.overdue))
        cursor.execute(self.sql(SELECT_PAGE), params)
        rows = cursor.fetchall()
        documents = [json.loads(row["doc"]) for row in rows]
        deadlines = DEADLINES.of_many(self, cursor, [d["id"] for d in documents], now)
        return [
            tracker_entry(row, document, query.agency, deadlines.get(document["id"], []))
            for row, document in zip(rows, documents, strict=True)
        ]

    def convened_in(
        self, cursor: Cursor, agency: str, period: tuple[datetime, datetime], now: datetime
    ) -> list[Document]:
        """The meetings an agency called for a time in the period, with their deadlines."""
        keys = {"from_key": utc_key(period[0]), "to_key": utc_key(period[1])}
        cursor.execute(self.sql(CONVENED_IN_PERIOD), dict(keys, agency=agency))
        documents = [json.loads(row["doc"]) for row in cursor.fetchall()]
        deadlines = DEADLINES.of_many(self, cursor, [d["id"] for d in documents], now)
        for document in documents:
            is_open = MEETING_LIFECYCLE.is_open(document["status"])
            document["deadlines"] = with_states(deadlines.get(document["id"], []), is_open)
        return documents


@dataclass(frozen=True)
class TrackerQuery:
    agency: str
    kind: str | None = None
    status: str | None = None
    overdue: bool = False
    from_key: str | None = None  # meetings from this instant (a utc_key) …
    to_key: str | None = None  # … until before this one
    before: int = 2**62
    limit: int = 50


def attendance_rows(document: Document) -> list[dict[str, Any]]:
    """A meeting's invitees as the assessment counts them (a letter has none)."""
    if document["form"] != "meeting":
        return []
    starts_at = document["starts_at"]
    rows = []
    for agency in document["invitees"]:
        answer = document["answers"].get(agency)
        answered_at = answer["at"] if answer else None
        held = document["held_at"] is not None
        rows.append(
            {
                "id": document["id"],
                "agency": agency,
                "status": document["status"],
                "starts_at": starts_at,
                "starts_key": utc_key(starts_at),
                "answered_at": answered_at,
                "answered_key": utc_key(answered_at) if answered_at else None,
                "held_at": document["held_at"],
                "absent": int(agency in document["absent_without_reason"]) if held else None,
            }
        )
    return rows


def _member(document: Document, created: int) -> dict[str, Any]:
    """A list row's columns; a letter is dated by when it was sent."""
    return {
        "id": document["id"],
        "created": created,
        "kind": document["kind"],
        "status": document["status"],
        "starts_key": utc_key(document["starts_at"] or document["convened_at"]),
    }


def tracker_entry(
    row: Any, document: Document, agency: str, deadlines: list[dict[str, Any]]
) -> dict[str, Any]:
    """One meeting as one agency's tracker shows it."""
    is_open = MEETING_LIFECYCLE.is_open(document["status"])
    issued = document["minutes"] is not None and document["minutes"]["issued_at"] is not None
    owned = [f for f in document["follow_ups"] if f["agency"] == agency]
    mine = {"materials", "minutes", "answers", *(follow_up_name(f["item"]) for f in owned)}
    shown = with_states(deadlines, is_open)
    if row["role"] != "convener":  # the convener tracks every item; others, their own
        shown = [d for d in shown if d["name"] in mine]
    return {
        **{k: document[k] for k in ("id", "kind", "form", "status", "convener", "topics")},
        **{k: document[k] for k in ("starts_at", "subject", "short_notice")},
        "role": row["role"],
        "deadlines": shown,
        "answer": document["answers"].get(agency),
        "minutes_received": issued and agency in document["invitees"],
        "minutes_acknowledged": agency in document["acknowledged"],
        "follow_ups_open": [f for f in owned if f["done_at"] is None],
        "overdue": bool(row["overdue"]),
        "version": int(row["version"]),
        "position": int(row["position"]),
        "cursor": int(row["created_position"]),
    }


RUNNING = (
    "SELECT d.meeting_id AS owner, d.name, d.rule, d.due_at, d.due_key, d.provisional,"
    " m.convener, o.agency AS owner_agency FROM {deadlines} d"
    " JOIN {meetings} m ON m.id = d.meeting_id"
    " LEFT JOIN {owners} o ON o.meeting_id = d.meeting_id AND o.name = d.name"
    f" WHERE d.met_at IS NULL AND m.status IN ({OPEN_STATUSES})"
)


def running_limits(view: MeetingTracker, cursor: Cursor) -> list[dict[str, Any]]:
    """Whose limit is whose: the materials, the minutes and the answers to a letter are the
    convener's to see to; a follow-up item is the agency that owns it."""
    cursor.execute(view.sql(RUNNING))
    return [limit_row(row, row["owner_agency"] or row["convener"]) for row in cursor.fetchall()]
