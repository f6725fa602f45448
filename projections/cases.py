"""The case view: each unit's case list, and one case with its deadlines and timeline."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from projections.case_document import CASE_FOLD, next_step
from projections.case_steps import current_step, what_next
from projections.deadlines import SCHEDULE_DDL, DeadlineTable, now_key, owner_placeholders
from projections.document_view import DocumentView, history_ddl
from projections.fold import Document
from projections.view import Cursor

DEADLINES = DeadlineTable("case_id")
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS {cases} ("
    " id TEXT PRIMARY KEY, number TEXT, status TEXT NOT NULL, procedure TEXT NOT NULL,"
    " agency TEXT NOT NULL, handling_unit TEXT NOT NULL, registered_position BIGINT NOT NULL,"
    " step TEXT NOT NULL, version INTEGER NOT NULL, position BIGINT NOT NULL, doc TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS {cases}_unit ON {cases} (handling_unit, registered_position)",
    "CREATE INDEX IF NOT EXISTS {cases}_step ON {cases} (handling_unit, step, registered_position)",
    DEADLINES.ddl,
    DEADLINES.index,
    # The time limits still running, for the overdue filter.
    "CREATE INDEX IF NOT EXISTS {deadlines}_open ON {deadlines} (case_id, due_key)"
    " WHERE met_at IS NULL",
    history_ddl("timeline", "case_id"),
    SCHEDULE_DDL,
)
OVERDUE_COUNT = (
    "(SELECT COUNT(*) FROM {deadlines} d WHERE d.case_id = c.id AND d.met_at IS NULL"
    " AND d.due_key < :now AND c.status <> 'closed')"
)
SELECT_LIST = (
    "SELECT c.version, c.position, c.registered_position, c.doc, "
    + OVERDUE_COUNT
    + " AS overdue_count FROM {cases} c WHERE c.handling_unit IN ([units])"
    " AND c.registered_position < :before"
    " AND (CAST(:status AS TEXT) IS NULL OR c.status = :status)"
    " AND (CAST(:procedure AS TEXT) IS NULL OR c.procedure = :procedure)"
    " AND (CAST(:step AS TEXT) IS NULL OR c.step = :step)"
    " AND (CAST(:overdue AS INTEGER) = 0 OR "
    + OVERDUE_COUNT
    + " > 0) ORDER BY c.registered_position DESC LIMIT :limit"
)


class CaseView(DocumentView):
    name = "cases"
    schema_version = 4
    tables = ("cases", "deadlines", "timeline", "schedules")
    schema = SCHEMA
    fold = CASE_FOLD
    aggregate = "Case"
    documents = "cases"
    created_column = "registered_position"
    columns = ("number", "procedure", "agency", "handling_unit")
    computed: ClassVar[Mapping[str, Callable[[Document], Any]]] = {"step": current_step}
    history = "timeline"
    history_owner = "case_id"
    deadlines = DEADLINES

    def get_case(self, cursor: Cursor, case_id: str, now: datetime) -> dict[str, Any] | None:
        """A case calls its history its timeline."""
        document = self.detail(cursor, case_id, now)
        if document is not None:
            document["timeline"] = document.pop("history")
        return document

    def list_cases(self, cursor: Cursor, query: CaseQuery, now: datetime) -> list[dict[str, Any]]:
        placeholders, units = owner_placeholders(list(query.units))
        params = dict(vars(query), now=now_key(now), overdue=int(query.overdue), **units)
        params.pop("units")
        cursor.execute(self.sql(SELECT_LIST.replace("[units]", placeholders)), params)
        return [summary_entry(row) for row in cursor.fetchall()]


@dataclass(frozen=True)
class CaseQuery:
    units: tuple[str, ...] = field(default_factory=tuple)
    status: str | None = None
    procedure: str | None = None
    step: str | None = None
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
        "next_step": next_step(document),
        "step": current_step(document),
        "next": what_next(document),
        "overdue": int(row["overdue_count"]) > 0,
        "version": int(row["version"]),
        "position": int(row["position"]),
        "cursor": int(row["registered_position"]),
    }
