"""A view that keeps one document per aggregate, folded by the kind's `Fold`, with its
history (one row per event) and, where the kind has time limits, its deadlines.

A subclass names its tables and the document table's extra columns, and may react to a change
of the document (an inbox row, a member of a dispute) in `changed`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar

from projections.deadlines import DeadlineTable, store_schedule
from projections.fold import Document, Fold
from projections.history import history_entry, history_row
from projections.records import EventRecord
from projections.view import Cursor, View

SCHEDULE = "HolidaySchedule.Published"


class DocumentView(View):
    fold: ClassVar[Fold]
    aggregate: ClassVar[str]  # the aggregate type whose events it folds, e.g. "Referral"
    documents: ClassVar[str]  # base name of the documents' table
    created_column: ClassVar[str]  # the column holding the first event's position
    columns: ClassVar[Sequence[str]] = ()  # document fields kept in columns of their own
    history: ClassVar[str]  # base name of the history table
    history_owner: ClassVar[str]  # its column naming the aggregate
    deadlines: ClassVar[DeadlineTable | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "aggregate" in vars(cls):
            cls.handlers = {**cls.handlers, cls.aggregate: DocumentView._event}
        if vars(cls).get("deadlines") is not None:
            cls.handlers = {**cls.handlers, SCHEDULE: DocumentView._schedule_published}

    # Applying ----------------------------------------------------------------------------

    def _event(self, cursor: Cursor, record: EventRecord) -> None:
        if record.aggregate_version == 1:
            document = self.fold.first(record)
            cursor.execute(self.sql(self._insert()), self._row(record, document))
            created = record.position
        else:
            cursor.execute(self.sql(self._select()), {"id": record.aggregate_id})
            found = cursor.fetchone()
            if found is None:
                return
            document = json.loads(found["doc"])
            self.fold.apply(document, record)
            cursor.execute(self.sql(self._update()), self._row(record, document))
            created = int(found["created"])
        self._deadlines(cursor, record)
        row = dict(history_row(record), owner=record.aggregate_id)
        cursor.execute(self.sql(self._insert_history()), row)
        self.changed(cursor, record, document, created)

    def changed(
        self, cursor: Cursor, record: EventRecord, document: Document, created: int
    ) -> None:
        """A subclass's own tables, after the document changed."""

    def _deadlines(self, cursor: Cursor, record: EventRecord) -> None:
        table = self.deadlines
        if table is None:
            return
        data = record.data
        given = [data["deadline"]] if "deadline" in data else data.get("deadlines") or []
        table.upsert(self, cursor, record.aggregate_id, given)
        for name in self.fold.meets.get(record.type, ()):
            table.meet(self, cursor, record.aggregate_id, name, data["at"])

    def _schedule_published(self, cursor: Cursor, record: EventRecord) -> None:
        assert self.deadlines is not None
        store_schedule(self, cursor, record.data)
        self.deadlines.recompute(self, cursor, int(record.data["year"]))

    def _row(self, record: EventRecord, document: Document) -> dict[str, Any]:
        row = {c: document[c] for c in self.columns}
        return dict(
            row,
            id=record.aggregate_id,
            status=document["status"],
            version=record.aggregate_version,
            position=record.position,
            doc=json.dumps(document, ensure_ascii=False),
        )

    # Reading -----------------------------------------------------------------------------

    def document(self, cursor: Cursor, aggregate_id: str) -> Document | None:
        """The document with its version, position and history; deadlines are the caller's."""
        cursor.execute(self.sql(self._select()), {"id": aggregate_id})
        row = cursor.fetchone()
        if row is None:
            return None
        document: Document = json.loads(row["doc"])
        document.update(version=int(row["version"]), position=int(row["position"]))
        cursor.execute(self.sql(self._select_history()), {"owner": aggregate_id})
        document["history"] = [history_entry(r) for r in cursor.fetchall()]
        return document

    def detail(self, cursor: Cursor, aggregate_id: str, now: datetime) -> Document | None:
        """The document as GET shows it: with its history and its deadlines judged now."""
        document = self.document(cursor, aggregate_id)
        if document is None:
            return None
        is_open = self.fold.lifecycle.is_open(document["status"])
        document["deadlines"] = self.deadlines_of(cursor, aggregate_id, now, is_open)
        document["overdue"] = any(d["overdue"] for d in document["deadlines"])
        return document

    def deadlines_of(
        self, cursor: Cursor, aggregate_id: str, now: datetime, is_open: bool
    ) -> list[dict[str, Any]]:
        if self.deadlines is None:
            return []
        return self.deadlines.of(self, cursor, aggregate_id, now, is_open)

    # Statements --------------------------------------------------------------------------

    def _insert(self) -> str:
        names = ["id", "status", *self.columns, self.created_column, "version", "position", "doc"]
        values = [f":{n}" if n != self.created_column else ":position" for n in names]
        return f"INSERT INTO {{{self.documents}}} ({', '.join(names)}) VALUES ({', '.join(values)})"

    def _update(self) -> str:
        sets = ", ".join(f"{c} = :{c}" for c in ("status", *self.columns))
        return (
            f"UPDATE {{{self.documents}}} SET {sets}, version = :version,"
            " position = :position, doc = :doc WHERE id = :id"
        )

    def _select(self) -> str:
        return (
            f"SELECT {self.created_column} AS created, version, position, doc"
            f" FROM {{{self.documents}}} WHERE id = :id"
        )

    def _insert_history(self) -> str:
        owner = self.history_owner
        return (
            f"INSERT INTO {{{self.history}}} ({owner}, version, position, type, at, by_officer,"
            " by_agency, by_name, data) VALUES (:owner, :version, :position, :type, :at,"
            " :by_officer, :by_agency, :by_name, :data)"
        )

    def _select_history(self) -> str:
        return (
            "SELECT version, position, type, at, by_officer, by_agency, by_name, data"
            f" FROM {{{self.history}}} WHERE {self.history_owner} = :owner ORDER BY version"
        )


def history_ddl(table: str, owner: str) -> str:
    return (
        f"CREATE TABLE IF NOT EXISTS {{{table}}} ({owner} TEXT NOT NULL, version INTEGER NOT NULL,"
        " position BIGINT NOT NULL, type TEXT NOT NULL, at TEXT, by_officer TEXT,"
        f" by_agency TEXT, by_name TEXT, data TEXT NOT NULL, PRIMARY KEY ({owner}, version))"
    )
