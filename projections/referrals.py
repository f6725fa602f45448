"""The referral view: every agency's inbox and outbox, and one referral with its deadlines and
history.

An agency's boxes are rows of their own (agency, box, position), so a busy agency's page is an
index range however many referrals the district holds. `overdue` is judged at query time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from domain.referral_states import REFERRAL_LIFECYCLE
from projections.deadlines import (
    SCHEDULE_DDL,
    DeadlineTable,
    limit_row,
    now_key,
    open_statuses,
    utc_key,
)
from projections.document_view import DocumentView, Writes, history_ddl
from projections.fold import Document
from projections.records import EventRecord
from projections.referral_assessed import ASSESSED
from projections.referral_document import REFERRAL_FOLD
from projections.view import Cursor

DEADLINES = DeadlineTable("referral_id")
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS {referrals} ("
    " id TEXT PRIMARY KEY, kind TEXT NOT NULL, status TEXT NOT NULL,"
    " from_agency TEXT NOT NULL, to_agency TEXT NOT NULL, created_position BIGINT NOT NULL,"
    " ack_due_key TEXT, ack_key TEXT, rejected_by TEXT, settled_key TEXT, settled_against"
    " INTEGER, version INTEGER NOT NULL, position BIGINT NOT NULL, doc TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS {referrals}_ack ON {referrals} (to_agency, ack_due_key)",
    "CREATE INDEX IF NOT EXISTS {referrals}_settled ON {referrals} (rejected_by, settled_key)",
    "CREATE TABLE IF NOT EXISTS {boxes} ("
    " agency TEXT NOT NULL, box TEXT NOT NULL, created_position BIGINT NOT NULL,"
    " referral_id TEXT NOT NULL, status TEXT NOT NULL,"
    " PRIMARY KEY (agency, box, created_position))",
    "CREATE INDEX IF NOT EXISTS {boxes}_status ON {boxes} (agency, box, status)",
    DEADLINES.ddl,
    DEADLINES.index,
    DEADLINES.party_index,
    history_ddl("history", "owner_id"),
    SCHEDULE_DDL,
)
INTO_BOX = (
    "INSERT INTO {boxes} (agency, box, created_position, referral_id, status)"
    " VALUES (:agency, :box, :created_position, :id, :status) ON CONFLICT DO NOTHING"
)
BOX_STATUS = (
    "UPDATE {boxes} SET status = :status WHERE agency IN (:from_agency, :to_agency, :handler)"
    " AND box IN ('in', 'out') AND created_position = :created_position"
)
SETTLED_AT = "UPDATE {referrals} SET settled_key = :at_key WHERE id = :id"
OPEN_STATUSES = open_statuses(REFERRAL_LIFECYCLE)
# Whose each time limit is: the document field naming that agency.
DEADLINE_PARTY = {"send": "from_agency", "answer": "to_agency"}
# Only an open referral's time limits can be overdue (the same rule as the document's).
OVERDUE = (
    f"(r.status IN ({OPEN_STATUSES}) AND EXISTS (SELECT 1 FROM {{deadlines}} d"
    " WHERE d.referral_id = r.id AND d.met_at IS NULL AND d.due_key < :now))"
)
PAGE = (
    "SELECT r.id, r.status, r.version, r.position, r.doc, b.created_position"
    " FROM {boxes} b JOIN {referrals} r ON r.id = b.referral_id"
    " WHERE b.agency = :agency AND b.box = :box AND b.created_position < :before"
    " AND (CAST(:status AS TEXT) IS NULL OR r.status = :status)"
    " AND (CAST(:kind AS TEXT) IS NULL OR r.kind = :kind)"
    " AND (CAST(:overdue AS INTEGER) = 0 OR " + OVERDUE + ")"
    " ORDER BY b.created_position DESC LIMIT :limit"
)
# `overdue` is judged for the page's rows only: asked of the whole box before the LIMIT,
# PostgreSQL plans for every row of the box and reads all open deadlines into a hash.
SELECT_BOX = (
    "SELECT r.version, r.position, r.doc, r.created_position, " + OVERDUE + " AS overdue"
    " FROM (" + PAGE + ") r ORDER BY r.created_position DESC"
)
COUNT_BOX = (
    "SELECT status, COUNT(*) AS n FROM {boxes} WHERE agency = :agency AND box = :box"
    " GROUP BY status"
)


class ReferralView(DocumentView):
    name = "referrals"
    schema_version = 3
    tables = ("referrals", "boxes", "deadlines", "history", "schedules")
    schema = SCHEMA
    fold = REFERRAL_FOLD
    aggregate = "Referral"
    documents = "referrals"
    created_column = "created_position"
    columns = ("kind", "from_agency", "to_agency")
    computed: ClassVar[Mapping[str, Callable[[Document], Any]]] = ASSESSED
    history = "history"
    history_owner = "owner_id"
    deadlines = DEADLINES

    def party_of(self, document: Document) -> Callable[[Mapping[str, Any]], str | None]:
        """The sender sends in time; the receiver answers an assistance request."""
        return lambda deadline: document[DEADLINE_PARTY[deadline["name"]]]

    def entered(
        self, writes: Writes, record: EventRecord, document: Document, created: int
    ) -> None:
        """The sender's outbox from the draft on; the receiver's inbox once it is shown to it;
        the inbox of a third agency a dispute designates."""
        if record.event_name == "Settled":
            settled = {"id": record.aggregate_id, "at_key": utc_key(record.data["at"])}
            writes.add(self.sql(SETTLED_AT), settled)
        for agency, box in self._boxes_to_enter(record, document):
            row = {"agency": agency, "box": box, "created_position": created}
            row.update(id=record.aggregate_id, status=document["status"])
            writes.add(self.sql(INTO_BOX), row)

    def settled(self, writes: Writes, document: Document, created: int) -> None:
        """Every box the referral is in shows its status."""
        ends = {k: document[k] for k in ("from_agency", "to_agency", "handler")}
        row = dict(ends, status=document["status"], created_position=created)
        writes.add(self.sql(BOX_STATUS), row)

    def _boxes_to_enter(self, record: EventRecord, document: Document) -> list[tuple[str, str]]:
        if record.aggregate_version == 1:
            return [(document["from_agency"], "out")]
        if record.event_name in ("Sent", "InProgressNotified"):
            return [(document["to_agency"], "in")]
        handler = document["handler"]
        if record.event_name == "Settled" and handler != document["from_agency"]:
            return [(handler, "in")]  # a third agency designated to handle it
        return []

    # Queries ------------------------------------------------------------------------------

    def box(self, cursor: Cursor, query: BoxQuery, now: datetime) -> list[dict[str, Any]]:
        params = dict(vars(query), now=now_key(now), overdue=int(query.overdue))
        cursor.execute(self.sql(SELECT_BOX), params)
        entries = [box_entry(row, query.box) for row in cursor.fetchall()]
        deadlines = DEADLINES.of_many(self, cursor, [e["id"] for e in entries], now)
        for entry in entries:
            is_open = REFERRAL_LIFECYCLE.is_open(entry["status"])
            entry["deadlines"] = [
                dict(d, overdue=d["overdue"] and is_open) for d in deadlines.get(entry["id"], [])
            ]
            entry["provisional"] = any(d["provisional"] for d in entry["deadlines"])
        return entries

    def counts(self, cursor: Cursor, agency: str, box: str) -> dict[str, int]:
        cursor.execute(self.sql(COUNT_BOX), {"agency": agency, "box": box})
        return {row["status"]: int(row["n"]) for row in cursor.fetchall()}


@dataclass(frozen=True)
class BoxQuery:
    agency: str
    box: str  # "in" or "out"
    status: str | None = None
    kind: str | None = None
    overdue: bool = False
    before: int = 2**62
    limit: int = 50


def box_entry(row: Any, box: str) -> dict[str, Any]:
    document = json.loads(row["doc"])
    return {
        "id": document["id"],
        "counterpart": document["from_agency"] if box == "in" else document["to_agency"],
        "kind": document["kind"],
        "status": document["status"],
        "from_agency": document["from_agency"],
        "to_agency": document["to_agency"],
        "handler": document["handler"],
        "summary": document["summary"],
        "urgent": document["urgent"],
        "sent_at": document["sent_at"],
        "sent_late": document["sent_late"],
        "dispute_id": document["dispute_id"],
        "overdue": bool(row["overdue"]),
        "version": int(row["version"]),
        "position": int(row["position"]),
        "cursor": int(row["created_position"]),
    }


# The time limits still running, for the deadline watcher: unmet, of an open referral.
RUNNING = (
    "SELECT d.referral_id AS owner, d.name, d.rule, d.due_at, d.due_key, d.provisional,"
    " r.from_agency, r.to_agency FROM {deadlines} d JOIN {referrals} r ON r.id = d.referral_id"
    f" WHERE d.met_at IS NULL AND r.status IN ({OPEN_STATUSES})"
)


def running_limits(view: ReferralView, cursor: Cursor) -> list[dict[str, Any]]:
    """Whose limit is whose: the sender sends it; the receiver answers an assistance request."""
    cursor.execute(view.sql(RUNNING))
    return [
        limit_row(row, row["to_agency"] if row["name"] == "answer" else row["from_agency"])
        for row in cursor.fetchall()
    ]
