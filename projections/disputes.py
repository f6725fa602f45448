"""The dispute view: one dispute with its history, and the disputes each agency is party to or
decides on a rung of."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from projections.dispute_document import DISPUTE_FOLD, audience
from projections.document_view import DocumentView, Writes, history_ddl
from projections.fold import Document
from projections.records import EventRecord
from projections.view import Cursor

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS {disputes} ("
    " id TEXT PRIMARY KEY, status TEXT NOT NULL, opened_position BIGINT NOT NULL,"
    " version INTEGER NOT NULL, position BIGINT NOT NULL, doc TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {members} ("
    " agency TEXT NOT NULL, opened_position BIGINT NOT NULL, dispute_id TEXT NOT NULL,"
    " PRIMARY KEY (agency, opened_position))",
    history_ddl("history", "dispute_id"),
)
INTO_MEMBERS = (
    "INSERT INTO {members} (agency, opened_position, dispute_id)"
    " VALUES (:agency, :position, :id) ON CONFLICT DO NOTHING"
)
SELECT_DISPUTES = (
    "SELECT d.version, d.position, d.doc, m.opened_position FROM {members} m"
    " JOIN {disputes} d ON d.id = m.dispute_id WHERE m.agency = :agency"
    " AND m.opened_position < :before AND (CAST(:status AS TEXT) IS NULL OR d.status = :status)"
    " ORDER BY m.opened_position DESC LIMIT :limit"
)


class DisputeView(DocumentView):
    name = "disputes"
    schema_version = 1
    tables = ("disputes", "members", "history")
    schema = SCHEMA
    fold = DISPUTE_FOLD
    aggregate = "DisputeResolution"
    documents = "disputes"
    created_column = "opened_position"
    history = "history"
    history_owner = "dispute_id"

    def entered(
        self, writes: Writes, record: EventRecord, document: Document, created: int
    ) -> None:
        """Its parties and the bodies on its ladder list it, from its opening on."""
        if record.aggregate_version == 1:
            for agency in audience(document):
                row = {"agency": agency, "position": created, "id": record.aggregate_id}
                writes.add(self.sql(INTO_MEMBERS), row)

    def disputes(self, cursor: Cursor, query: DisputeQuery) -> list[dict[str, Any]]:
        cursor.execute(self.sql(SELECT_DISPUTES), vars(query))
        return [dispute_entry(row) for row in cursor.fetchall()]


@dataclass(frozen=True)
class DisputeQuery:
    agency: str
    status: str | None = None
    before: int = 2**62
    limit: int = 50


def dispute_entry(row: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(row["doc"])
    document.update(version=int(row["version"]), position=int(row["position"]))
    document["cursor"] = int(row["opened_position"])
    return document
