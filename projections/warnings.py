"""The warnings view: every open warning (raised and not withdrawn), one row per occurrence of
a time limit with its colour now; what `GET /v1/warnings` lists and what the watcher compares
the running limits with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.calendar import SHANGHAI
from projections.deadlines import owner_placeholders, utc_key
from projections.records import EventRecord
from projections.view import Cursor, View, handles

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS {open} ("
    " id TEXT PRIMARY KEY, colour TEXT NOT NULL, kind TEXT NOT NULL, resource_id TEXT NOT NULL,"
    " name TEXT NOT NULL, rule TEXT NOT NULL, due_at TEXT NOT NULL, due_key TEXT NOT NULL,"
    " provisional BOOLEAN NOT NULL, agency TEXT NOT NULL, lead TEXT, raised_at TEXT NOT NULL,"
    " created_position BIGINT NOT NULL, position BIGINT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS {open}_agency ON {open} (agency, created_position)",
    # Every colour each warning was raised in, withdrawn or not: what an assessment counts.
    "CREATE TABLE IF NOT EXISTS {raised} ("
    " id TEXT NOT NULL, colour TEXT NOT NULL, agency TEXT NOT NULL, at_key TEXT NOT NULL,"
    " month TEXT NOT NULL, PRIMARY KEY (id, colour))",
    "CREATE INDEX IF NOT EXISTS {raised}_agency ON {raised} (agency, at_key)",
)
RAISED = (
    "INSERT INTO {raised} (id, colour, agency, at_key, month)"
    " VALUES (:id, :colour, :agency, :at_key, :month) ON CONFLICT DO NOTHING"
)
# Per agency, colour and month (Asia/Shanghai), the warnings raised in a period.
RAISED_IN = (
    "SELECT agency, colour, month, COUNT(*) AS n FROM {raised} WHERE agency IN ([agencies])"
    " AND at_key >= :from_key AND at_key < :to_key GROUP BY agency, colour, month"
)
RAISE = (
    "INSERT INTO {open} (id, colour, kind, resource_id, name, rule, due_at, due_key, provisional,"
    " agency, lead, raised_at, created_position, position) VALUES (:id, :colour, :kind,"
    " :resource_id, :name, :rule, :due_at, :due_key, :provisional, :agency, :lead, :at,"
    " :position, :position) ON CONFLICT (id) DO UPDATE SET colour = excluded.colour,"
    " raised_at = excluded.raised_at, position = excluded.position"
)
WITHDRAW = "DELETE FROM {open} WHERE id = :id"
ALL_OPEN = "SELECT id, colour, kind, resource_id, name, due_key FROM {open}"
PAGE = (
    "SELECT id, colour, kind, resource_id, name, rule, due_at, provisional, agency, lead,"
    " raised_at, created_position FROM {open} WHERE agency IN ([agencies])"
    " AND created_position < :before"
    " AND (CAST(:colour AS TEXT) IS NULL OR colour = :colour)"
    " AND (CAST(:kind AS TEXT) IS NULL OR kind = :kind)"
    " ORDER BY created_position DESC LIMIT :limit"
)
COUNTS = (
    "SELECT colour, kind, COUNT(*) AS n FROM {open} WHERE agency IN ([agencies])"
    " GROUP BY colour, kind"
)


class WarningView(View):
    name = "warnings"
    schema_version = 2
    tables = ("open", "raised")
    schema = SCHEMA

    @handles("Warning.Raised")
    def _raised(self, cursor: Cursor, record: EventRecord) -> None:
        data = record.data
        row = {k: data[k] for k in ("colour", "kind", "resource_id", "name", "rule", "agency")}
        row.update(lead=data["lead"], at=data["at"], provisional=bool(data["provisional"]))
        row.update(id=record.aggregate_id, due_at=data["due_at"], due_key=utc_key(data["due_at"]))
        cursor.execute(self.sql(RAISE), dict(row, position=record.position))
        at = datetime.fromisoformat(data["at"]).astimezone(SHANGHAI)
        raised = {"id": record.aggregate_id, "colour": data["colour"], "agency": data["agency"]}
        cursor.execute(
            self.sql(RAISED), dict(raised, at_key=utc_key(at), month=at.strftime("%Y-%m"))
        )

    @handles("Warning.Withdrawn")
    def _withdrawn(self, cursor: Cursor, record: EventRecord) -> None:
        cursor.execute(self.sql(WITHDRAW), {"id": record.aggregate_id})

    # Queries ------------------------------------------------------------------------------

    def all_open(self, cursor: Cursor) -> list[dict[str, Any]]:
        """Every open warning, for the watcher to compare with the running limits."""
        cursor.execute(self.sql(ALL_OPEN))
        return [dict(row) for row in cursor.fetchall()]

    def page(self, cursor: Cursor, query: WarningQuery) -> list[dict[str, Any]]:
        if not query.agencies:
            return []
        placeholders, agencies = owner_placeholders(list(query.agencies))
        params: dict[str, Any] = dict(agencies)
        params.update(colour=query.colour, kind=query.kind, before=query.before, limit=query.limit)
        cursor.execute(self.sql(PAGE.replace("[agencies]", placeholders)), params)
        return [warning_entry(row) for row in cursor.fetchall()]

    def assessment_counts(
        self, cursor: Cursor, agencies: Sequence[str], from_key: str, to_key: str
    ) -> list[dict[str, Any]]:
        """The warnings each agency had in a period, withdrawn ones too: for its assessment."""
        if not agencies:
            return []
        placeholders, named = owner_placeholders(list(agencies))
        params = dict(named, from_key=from_key, to_key=to_key)
        cursor.execute(self.sql(RAISED_IN.replace("[agencies]", placeholders)), params)
        return [dict(row) for row in cursor.fetchall()]

    def counts(self, cursor: Cursor, agencies: Sequence[str]) -> dict[str, dict[str, int]]:
        """Open warnings by colour and by kind of resource."""
        found: dict[str, dict[str, int]] = {"colour": {"yellow": 0, "red": 0}, "kind": {}}
        if not agencies:
            return found
        placeholders, params = owner_placeholders(list(agencies))
        cursor.execute(self.sql(COUNTS.replace("[agencies]", placeholders)), params)
        for row in cursor.fetchall():
            n = int(row["n"])
            found["colour"][row["colour"]] = found["colour"].get(row["colour"], 0) + n
            found["kind"][row["kind"]] = found["kind"].get(row["kind"], 0) + n
        return found


@dataclass(frozen=True)
class WarningQuery:
    agencies: tuple[str, ...]
    colour: str | None = None
    kind: str | None = None
    before: int = 2**62
    limit: int = 50


def warning_entry(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "colour": row["colour"],
        "kind": row["kind"],
        "resource_id": row["resource_id"],
        "name": row["name"],
        "rule": row["rule"],
        "due_at": row["due_at"],
        "provisional": bool(row["provisional"]),
        "agency": row["agency"],
        "lead": row["lead"],
        "raised_at": row["raised_at"],
        "cursor": int(row["created_position"]),
    }
