"""The case view: each agency's case list, and one case with its deadlines and timeline."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from projections import case_document as doc
from projections.deadlines import SCHEDULE_DDL, DeadlineTable, now_key, store_schedule
from projections.history import history_entry, history_row
from projections.records import EventRecord
from projections.view import Cursor, View, handles

DEADLINES = DeadlineTable("case_id")
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS {cases} ("
    " id TEXT PRIMARY KEY, number TEXT, status TEXT NOT NULL, procedure TEXT NOT NULL,"
    " agency TEXT NOT NULL, handling_unit TEXT NOT NULL, registered_position BIGINT NOT NULL,"
    " version INTEGER NOT NULL, position BIGINT NOT NULL, doc TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS {cases}_unit ON {cases} (handling_unit, registered_position)",
    DEADLINES.ddl,
    DEADLINES.index,
    "CREATE TABLE IF NOT EXISTS {timeline} ("
    " case_id TEXT NOT NULL, version INTEGER NOT NULL, position BIGINT NOT NULL,"
    " type TEXT NOT NULL, at TEXT, by_officer TEXT, by_agency TEXT, data TEXT NOT NULL,"
    " PRIMARY KEY (case_id, version))",
    SCHEDULE_DDL,
)

INSERT_CASE = (
    "INSERT INTO {cases} (id, number, status, procedure, agency, handling_unit,"
    " registered_position, version, position, doc) VALUES (:id, :number, :status, :procedure,"
    " :agency, :handling_unit, :position, :version, :position, :doc)"
)
SELECT_DOC = "SELECT doc FROM {cases} WHERE id = :id"
UPDATE_CASE = (
    "UPDATE {cases} SET number = :number, status = :status, version = :version,"
    " position = :position, doc = :doc WHERE id = :id"
)
INSERT_TIMELINE = (
    "INSERT INTO {timeline} (case_id, version, position, type, at, by_officer, by_agency, data)"
    " VALUES (:case_id, :version, :position, :type, :at, :by_officer, :by_agency, :data)"
)
SELECT_CASE = "SELECT version, position, doc FROM {cases} WHERE id = :id"
SELECT_TIMELINE = (
    "SELECT version, position, type, at, by_officer, by_agency, data FROM {timeline}"
    " WHERE case_id = :case_id ORDER BY version"
)
SELECT_UNIT = "SELECT handling_unit, agency FROM {cases} WHERE id = :id"
OVERDUE_COUNT = (
    "(SELECT COUNT(*) FROM {deadlines} d WHERE d.case_id = c.id AND d.met_at IS NULL"
    " AND d.due_key < :now AND c.status <> 'closed')"
)
SELECT_LIST = (
    "SELECT c.version, c.position, c.registered_position, c.doc, "
    + OVERDUE_COUNT
    + " AS overdue_count FROM {cases} c WHERE c.handling_unit = :unit"
    " AND c.registered_position < :before"
    " AND (CAST(:status AS TEXT) IS NULL OR c.status = :status)"
    " AND (CAST(:procedure AS TEXT) IS NULL OR c.procedure = :procedure)"
    " AND (CAST(:overdue AS INTEGER) = 0 OR "
    + OVERDUE_COUNT
    + " > 0) ORDER BY c.registered_position DESC LIMIT :limit"
)


class CaseView(View):
    name = "cases"
    tables = ("cases", "deadlines", "timeline", "schedules")
    schema = SCHEMA

    @handles("Case.Registered")
    def _registered(self, cursor: Cursor, record: EventRecord) -> None:
        document = doc.registered(record)
        cursor.execute(
            self.sql(INSERT_CASE),
            {
                "id": record.aggregate_id,
                "number": None,
                "status": document["status"],
                "procedure": document["procedure"],
                "agency": document["agency"],
                "handling_unit": document["handling_unit"],
                "position": record.position,
                "version": record.aggregate_version,
                "doc": json.dumps(document, ensure_ascii=False),
            },
        )
        self._deadlines(cursor, record.aggregate_id, record.data["deadlines"])
        self._timeline(cursor, record)

    @handles(*doc.CHANGES)
    def _changed(self, cursor: Cursor, record: EventRecord) -> None:
        cursor.execute(self.sql(SELECT_DOC), {"id": record.aggregate_id})
        row = cursor.fetchone()
        if row is None:
            return
        document = json.loads(row["doc"])
        doc.CHANGES[record.type](document, record.data)
        cursor.execute(
            self.sql(UPDATE_CASE),
            {
                "id": record.aggregate_id,
                "number": document["number"],
                "status": document["status"],
                "version": record.aggregate_version,
                "position": record.position,
                "doc": json.dumps(document, ensure_ascii=False),
            },
        )
        self._deadline_changes(cursor, record)
        self._timeline(cursor, record)

    @handles("HolidaySchedule.Published")
    def _schedule_published(self, cursor: Cursor, record: EventRecord) -> None:
        store_schedule(self, cursor, record.data)
        DEADLINES.recompute(self, cursor, int(record.data["year"]))

    def _deadline_changes(self, cursor: Cursor, record: EventRecord) -> None:
        data = record.data
        if "deadline" in data:
            self._deadlines(cursor, record.aggregate_id, [data["deadline"]])
        for name in doc.MEETS.get(record.type, ()):
            DEADLINES.meet(self, cursor, record.aggregate_id, name, data["at"])

    def _deadlines(self, cursor: Cursor, case_id: str, deadlines: list[dict[str, Any]]) -> None:
        DEADLINES.upsert(self, cursor, case_id, deadlines)

    def _timeline(self, cursor: Cursor, record: EventRecord) -> None:
        cursor.execute(
            self.sql(INSERT_TIMELINE), dict(history_row(record), case_id=record.aggregate_id)
        )

    # Queries ---------------------------------------------------------------------------

    def unit_of(self, cursor: Cursor, case_id: str) -> str | None:
        cursor.execute(self.sql(SELECT_UNIT), {"id": case_id})
        row = cursor.fetchone()
        return None if row is None else str(row["handling_unit"])

    def list_cases(self, cursor: Cursor, query: CaseQuery, now: datetime) -> list[dict[str, Any]]:
        params = dict(vars(query), now=now_key(now), overdue=int(query.overdue))
        cursor.execute(self.sql(SELECT_LIST), params)
        return [summary_entry(row) for row in cursor.fetchall()]

    def get_case(self, cursor: Cursor, case_id: str, now: datetime) -> dict[str, Any] | None:
        cursor.execute(self.sql(SELECT_CASE), {"id": case_id})
        row = cursor.fetchone()
        if row is None:
            return None
        document = json.loads(row["doc"])
        document.update(version=int(row["version"]), position=int(row["position"]))
        open_ = document["status"] != "closed"
        document["deadlines"] = self._case_deadlines(cursor, case_id, now, open_)
        cursor.execute(self.sql(SELECT_TIMELINE), {"case_id": case_id})
        document["timeline"] = [history_entry(r) for r in cursor.fetchall()]
        return document

    def _case_deadlines(
        self, cursor: Cursor, case_id: str, now: datetime, open_: bool
    ) -> list[dict[str, Any]]:
        return DEADLINES.of(self, cursor, case_id, now, open_)


@dataclass(frozen=True)
class CaseQuery:
    unit: str
    status: str | None = None
    procedure: str | None = None
    overdue: bool = False
    before: int = 2**62
    limit: int = 50


def summary_entry(row: Any) -> dict[str, Any]:
    document = json.loads(row["doc"])
    return {
        "id": document["id"],
        "number": document["number"],
        "status": document["status"],
        "procedure": document["procedure"],
        "agency": document["agency"],
        "handling_unit": document["handling_unit"],
        "summary": document["summary"],
        "party": document["party"],
        "registered_at": document["registered_at"],
        "next_step": doc.next_step(document),
        "overdue": int(row["overdue_count"]) > 0,
        "version": int(row["version"]),
        "position": int(row["position"]),
        "cursor": int(row["registered_position"]),
    }
