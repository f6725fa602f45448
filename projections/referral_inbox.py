"""The referral view: every agency's inbox and outbox, one referral with its deadlines and
history, and the disputes each agency is party to or decides.

An agency's boxes are rows of their own (agency, box, position), so a busy agency's page is an
index range however many referrals the district holds. `overdue` is judged at query time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from projections import referral_document as doc
from projections.deadlines import SCHEDULE_DDL, DeadlineTable, now_key, store_schedule
from projections.history import history_entry, history_row
from projections.records import EventRecord
from projections.view import Cursor, View, handles

DEADLINES = DeadlineTable("referral_id")
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS {referrals} ("
    " id TEXT PRIMARY KEY, kind TEXT NOT NULL, status TEXT NOT NULL,"
    " from_agency TEXT NOT NULL, to_agency TEXT NOT NULL, created_position BIGINT NOT NULL,"
    " version INTEGER NOT NULL, position BIGINT NOT NULL, doc TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {boxes} ("
    " agency TEXT NOT NULL, box TEXT NOT NULL, created_position BIGINT NOT NULL,"
    " referral_id TEXT NOT NULL, status TEXT NOT NULL,"
    " PRIMARY KEY (agency, box, created_position))",
    "CREATE INDEX IF NOT EXISTS {boxes}_status ON {boxes} (agency, box, status)",
    DEADLINES.ddl,
    DEADLINES.index,
    "CREATE TABLE IF NOT EXISTS {history} ("
    " owner_id TEXT NOT NULL, version INTEGER NOT NULL, position BIGINT NOT NULL,"
    " type TEXT NOT NULL, at TEXT, by_officer TEXT, by_agency TEXT, data TEXT NOT NULL,"
    " PRIMARY KEY (owner_id, version))",
    "CREATE TABLE IF NOT EXISTS {disputes} ("
    " id TEXT PRIMARY KEY, status TEXT NOT NULL, opened_position BIGINT NOT NULL,"
    " version INTEGER NOT NULL, position BIGINT NOT NULL, doc TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {dispute_members} ("
    " agency TEXT NOT NULL, opened_position BIGINT NOT NULL, dispute_id TEXT NOT NULL,"
    " PRIMARY KEY (agency, opened_position))",
    SCHEDULE_DDL,
)

INSERT_REFERRAL = (
    "INSERT INTO {referrals} (id, kind, status, from_agency, to_agency, created_position,"
    " version, position, doc) VALUES (:id, :kind, :status, :from_agency, :to_agency, :position,"
    " :version, :position, :doc)"
)
SELECT_REFERRAL = "SELECT created_position, version, position, doc FROM {referrals} WHERE id = :id"
UPDATE_REFERRAL = (
    "UPDATE {referrals} SET status = :status, version = :version, position = :position,"
    " doc = :doc WHERE id = :id"
)
INTO_BOX = (
    "INSERT INTO {boxes} (agency, box, created_position, referral_id, status)"
    " VALUES (:agency, :box, :created_position, :id, :status) ON CONFLICT DO NOTHING"
)
BOX_STATUS = (
    "UPDATE {boxes} SET status = :status WHERE agency IN (:from_agency, :to_agency, :handler)"
    " AND box IN ('in', 'out') AND created_position = :created_position"
)
INSERT_HISTORY = (
    "INSERT INTO {history} (owner_id, version, position, type, at, by_officer, by_agency, data)"
    " VALUES (:owner_id, :version, :position, :type, :at, :by_officer, :by_agency, :data)"
)
SELECT_HISTORY = (
    "SELECT version, position, type, at, by_officer, by_agency, data FROM {history}"
    " WHERE owner_id = :owner_id ORDER BY version"
)
INSERT_DISPUTE = (
    "INSERT INTO {disputes} (id, status, opened_position, version, position, doc)"
    " VALUES (:id, :status, :position, :version, :position, :doc)"
)
SELECT_DISPUTE = "SELECT version, position, doc FROM {disputes} WHERE id = :id"
UPDATE_DISPUTE = (
    "UPDATE {disputes} SET status = :status, version = :version, position = :position,"
    " doc = :doc WHERE id = :id"
)
INTO_DISPUTES = (
    "INSERT INTO {dispute_members} (agency, opened_position, dispute_id)"
    " VALUES (:agency, :position, :id) ON CONFLICT DO NOTHING"
)
OVERDUE = (
    "EXISTS (SELECT 1 FROM {deadlines} d WHERE d.referral_id = r.id AND d.met_at IS NULL"
    " AND d.due_key < :now)"
)
PAGE = (
    "SELECT r.id, r.version, r.position, r.doc, b.created_position"
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
SELECT_DISPUTES = (
    "SELECT d.version, d.position, d.doc, m.opened_position FROM {dispute_members} m"
    " JOIN {disputes} d ON d.id = m.dispute_id WHERE m.agency = :agency"
    " AND m.opened_position < :before AND (CAST(:status AS TEXT) IS NULL OR d.status = :status)"
    " ORDER BY m.opened_position DESC LIMIT :limit"
)
# A draft is the sender's own business; the receiver sees it once sent, or at once when told
# of a violation in progress.
VISIBLE_TO_RECEIVER = {"Referral.Sent", "Referral.InProgressNotified"}


class ReferralInbox(View):
    name = "referrals"
    tables = (
        "referrals",
        "boxes",
        "deadlines",
        "history",
        "disputes",
        "dispute_members",
        "schedules",
    )
    schema = SCHEMA

    # Referrals ----------------------------------------------------------------------------

    @handles("Referral.Drafted")
    def _drafted(self, cursor: Cursor, record: EventRecord) -> None:
        document = doc.drafted(record)
        row = self._row(record, document)
        cursor.execute(
            self.sql(INSERT_REFERRAL),
            dict(
                row,
                kind=document["kind"],
                from_agency=document["from_agency"],
                to_agency=document["to_agency"],
            ),
        )
        self._into_box(
            cursor,
            document["from_agency"],
            "out",
            record.position,
            record.aggregate_id,
            document["status"],
        )
        DEADLINES.upsert(self, cursor, record.aggregate_id, record.data["deadlines"])
        self._history(cursor, record)

    @handles(*doc.REFERRAL_CHANGES)
    def _referral_changed(self, cursor: Cursor, record: EventRecord) -> None:
        cursor.execute(self.sql(SELECT_REFERRAL), {"id": record.aggregate_id})
        found = cursor.fetchone()
        if found is None:
            return
        document = json.loads(found["doc"])
        doc.REFERRAL_CHANGES[record.type](document, record.data)
        cursor.execute(self.sql(UPDATE_REFERRAL), self._row(record, document))
        created = int(found["created_position"])
        for agency in self._receivers(record, document):
            self._into_box(cursor, agency, "in", created, record.aggregate_id, document["status"])
        ends = {k: document[k] for k in ("from_agency", "to_agency", "handler")}
        cursor.execute(
            self.sql(BOX_STATUS), dict(ends, status=document["status"], created_position=created)
        )
        self._referral_deadlines(cursor, record)
        self._history(cursor, record)

    def _receivers(self, record: EventRecord, document: doc.Document) -> list[str]:
        if record.type in VISIBLE_TO_RECEIVER:
            return [document["to_agency"]]
        if record.type == "Referral.Settled" and document["handler"] != document["from_agency"]:
            return [document["handler"]]  # a third agency designated to handle it
        return []

    def _referral_deadlines(self, cursor: Cursor, record: EventRecord) -> None:
        data = record.data
        DEADLINES.upsert(self, cursor, record.aggregate_id, data.get("deadlines", []))
        if "deadline" in data:
            DEADLINES.upsert(self, cursor, record.aggregate_id, [data["deadline"]])
        for name in doc.MEETS.get(record.type, ()):
            DEADLINES.meet(self, cursor, record.aggregate_id, name, data["at"])

    def _into_box(
        self, cursor: Cursor, agency: str, box: str, created: int, referral_id: str, status: str
    ) -> None:
        cursor.execute(
            self.sql(INTO_BOX),
            {
                "agency": agency,
                "box": box,
                "created_position": created,
                "id": referral_id,
                "status": status,
            },
        )

    # Disputes -----------------------------------------------------------------------------

    @handles("DisputeResolution.Opened")
    def _opened(self, cursor: Cursor, record: EventRecord) -> None:
        document = doc.opened(record)
        cursor.execute(self.sql(INSERT_DISPUTE), self._row(record, document))
        for agency in doc.involved(document):
            cursor.execute(
                self.sql(INTO_DISPUTES),
                {"agency": agency, "position": record.position, "id": record.aggregate_id},
            )
        self._history(cursor, record)

    @handles(*doc.DISPUTE_CHANGES)
    def _dispute_changed(self, cursor: Cursor, record: EventRecord) -> None:
        cursor.execute(self.sql(SELECT_DISPUTE), {"id": record.aggregate_id})
        found = cursor.fetchone()
        if found is None:
            return
        document = json.loads(found["doc"])
        doc.DISPUTE_CHANGES[record.type](document, record.data)
        cursor.execute(self.sql(UPDATE_DISPUTE), self._row(record, document))
        self._history(cursor, record)

    # The calendar -------------------------------------------------------------------------

    @handles("HolidaySchedule.Published")
    def _schedule_published(self, cursor: Cursor, record: EventRecord) -> None:
        store_schedule(self, cursor, record.data)
        DEADLINES.recompute(self, cursor, int(record.data["year"]))

    # Shared -------------------------------------------------------------------------------

    def _row(self, record: EventRecord, document: doc.Document) -> dict[str, Any]:
        return {
            "id": record.aggregate_id,
            "status": document["status"],
            "version": record.aggregate_version,
            "position": record.position,
            "doc": json.dumps(document, ensure_ascii=False),
        }

    def _history(self, cursor: Cursor, record: EventRecord) -> None:
        cursor.execute(
            self.sql(INSERT_HISTORY), dict(history_row(record), owner_id=record.aggregate_id)
        )

    # Queries ------------------------------------------------------------------------------

    def box(self, cursor: Cursor, query: BoxQuery, now: datetime) -> list[dict[str, Any]]:
        params = dict(vars(query), now=now_key(now), overdue=int(query.overdue))
        cursor.execute(self.sql(SELECT_BOX), params)
        entries = [box_entry(row, query.box) for row in cursor.fetchall()]
        deadlines = DEADLINES.of_many(self, cursor, [e["id"] for e in entries], now)
        for entry in entries:
            entry["deadlines"] = deadlines.get(entry["id"], [])
            entry["provisional"] = any(d["provisional"] for d in entry["deadlines"])
        return entries

    def counts(self, cursor: Cursor, agency: str, box: str) -> dict[str, int]:
        cursor.execute(self.sql(COUNT_BOX), {"agency": agency, "box": box})
        return {row["status"]: int(row["n"]) for row in cursor.fetchall()}

    def referral(self, cursor: Cursor, referral_id: str, now: datetime) -> dict[str, Any] | None:
        cursor.execute(self.sql(SELECT_REFERRAL), {"id": referral_id})
        row = cursor.fetchone()
        if row is None:
            return None
        document = json.loads(row["doc"])
        document.update(version=int(row["version"]), position=int(row["position"]))
        document["deadlines"] = DEADLINES.of(self, cursor, referral_id, now, True)
        document["overdue"] = any(d["overdue"] for d in document["deadlines"])
        document["history"] = self._history_of(cursor, referral_id)
        return document

    def dispute(self, cursor: Cursor, dispute_id: str) -> dict[str, Any] | None:
        cursor.execute(self.sql(SELECT_DISPUTE), {"id": dispute_id})
        row = cursor.fetchone()
        if row is None:
            return None
        document = json.loads(row["doc"])
        document.update(version=int(row["version"]), position=int(row["position"]))
        document["history"] = self._history_of(cursor, dispute_id)
        return document

    def disputes(self, cursor: Cursor, query: DisputeQuery) -> list[dict[str, Any]]:
        cursor.execute(self.sql(SELECT_DISPUTES), vars(query))
        return [dispute_entry(row) for row in cursor.fetchall()]

    def _history_of(self, cursor: Cursor, owner_id: str) -> list[dict[str, Any]]:
        cursor.execute(self.sql(SELECT_HISTORY), {"owner_id": owner_id})
        return [history_entry(r) for r in cursor.fetchall()]


@dataclass(frozen=True)
class BoxQuery:
    agency: str
    box: str  # "in" or "out"
    status: str | None = None
    kind: str | None = None
    overdue: bool = False
    before: int = 2**62
    limit: int = 50


@dataclass(frozen=True)
class DisputeQuery:
    agency: str
    status: str | None = None
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


def dispute_entry(row: Any) -> dict[str, Any]:
    document = json.loads(row["doc"])
    document.update(version=int(row["version"]), position=int(row["position"]))
    document["cursor"] = int(row["opened_position"])
    return document
