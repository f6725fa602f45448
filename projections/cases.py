"""The case view: each unit's case list, and one case with its deadlines and timeline."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from projections.case_document import CASE_FOLD, next_step
from projections.case_steps import current_step, what_next
from projections.deadlines import (
    SCHEDULE_DDL,
    DeadlineTable,
    limit_row,
    now_key,
    owner_placeholders,
)
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
    # The newest first across many units, for the heads who see every unit below them.
    "CREATE INDEX IF NOT EXISTS {cases}_registered ON {cases} (registered_position)",
    DEADLINES.ddl,
    DEADLINES.index,
    DEADLINES.party_index,
    # The time limits still running, for the overdue filter.
    "CREATE INDEX IF NOT EXISTS {deadlines}_open ON {deadlines} (case_id, due_key)"
    " WHERE met_at IS NULL",
    history_ddl("timeline", "case_id"),
    SCHEDULE_DDL,
)
# A case is overdue while it is open and one of its time limits has passed unmet: a look-up
# per listed case that stops at the first such limit (an EXISTS here would be planned as a hash
# of every overdue limit). As a filter it is added only when asked for.
OVERDUE_LIMIT = (
    "(SELECT 1 FROM {deadlines} d WHERE d.case_id = c.id AND d.met_at IS NULL"
    " AND d.due_key < :now LIMIT 1)"
)
OVERDUE = f"(c.status <> 'closed' AND {OVERDUE_LIMIT} IS NOT NULL)"
SELECT_LIST = (
    "SELECT c.version, c.position, c.registered_position, c.step, c.doc, "
    + OVERDUE
    + " AS overdue FROM {cases} c WHERE c.handling_unit IN ([units])"
    " AND c.registered_position < :before"
    " AND (CAST(:status AS TEXT) IS NULL OR c.status = :status)"
    " AND (CAST(:procedure AS TEXT) IS NULL OR c.procedure = :procedure)"
    " AND (CAST(:step AS TEXT) IS NULL OR c.step = :step)"
    "[overdue] ORDER BY c.registered_position DESC LIMIT :limit"
)


class CaseView(DocumentView):
    name = "cases"
    schema_version = 6  # 5: re-inspections and measure reports met; 6: each limit's party
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

    def party_of(self, document: Document) -> Callable[[Mapping[str, Any]], str | None]:
        """Every limit of a case binds the agency in whose name it is handled."""
        return lambda deadline: str(document["agency"])

    def get_case(self, cursor: Cursor, case_id: str, now: datetime) -> dict[str, Any] | None:
        """A case calls its history its timeline."""
        document = self.detail(cursor, case_id, now)
        if document is not None:
            document["timeline"] = document.pop("history")
        return document

    def list_cases(self, cursor: Cursor, query: CaseQuery, now: datetime) -> list[dict[str, Any]]:
        placeholders, units = owner_placeholders(list(query.units))
        params = dict(vars(query), now=now_key(now), **units)
        params.pop("units")
        params.pop("overdue")
        statement = SELECT_LIST.replace("[units]", placeholders)
        statement = statement.replace("[overdue]", f" AND {OVERDUE}" if query.overdue else "")
        cursor.execute(self.sql(statement), params)
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
        "step": row["step"],
        "next": what_next(document),
        "overdue": bool(row["overdue"]),
        "version": int(row["version"]),
        "position": int(row["position"]),
        "cursor": int(row["registered_position"]),
    }


# A period the party acts within (asking for a hearing) is not the unit's to meet.
PARTY_PERIODS = ("hearing_request",)
RUNNING = (
    "SELECT d.case_id AS owner, d.name, d.rule, d.due_at, d.due_key, d.provisional,"
    " c.handling_unit FROM {deadlines} d JOIN {cases} c ON c.id = d.case_id"
    " WHERE d.met_at IS NULL AND c.status <> 'closed'"
)


def running_limits(view: CaseView, cursor: Cursor) -> list[dict[str, Any]]:
    """Whose limit is whose: every time limit of a case is its handling unit's."""
    cursor.execute(view.sql(RUNNING))
    return [
        limit_row(row, row["handling_unit"])
        for row in cursor.fetchall()
        if row["name"] not in PARTY_PERIODS
    ]
