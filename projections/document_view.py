"""A view that keeps one document per aggregate, folded by the kind's `Fold`, with its
history (one row per event) and, where the kind has time limits, its deadlines.

Records are applied a batch at a time: the documents the batch touches are read in one
statement, folded in memory, and each table is written with one statement per batch, not one
per event. A holiday schedule in the batch is applied in its place, between the runs of events
before and after it, since it changes the due dates the later events compute.

A subclass names its tables and the document table's extra columns (document fields, or values
computed from the document), and may add rows of its own for each event (`entered`) and for each
aggregate the batch changed (`settled`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from projections.deadlines import DeadlineTable, load_calendar, owner_placeholders, store_schedule
from projections.fold import Document, Fold
from projections.history import history_entry, history_row
from projections.records import EventRecord
from projections.view import Cursor, View

SCHEDULE = "HolidaySchedule.Published"
LOAD_CHUNK = 500

T = TypeVar("T")


class Writes:
    """Rows to write, by statement, in the order the statements were first asked for."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {}

    def add(self, statement: str, row: dict[str, Any]) -> None:
        self.rows.setdefault(statement, []).append(row)

    def flush(self, cursor: Cursor) -> None:
        for statement, rows in self.rows.items():
            cursor.executemany(statement, rows)
        self.rows.clear()


@dataclass
class Touched:
    """An aggregate the batch changed: its document as the batch left it (None until its first
    event, when that is in the batch)."""

    document: Document | None
    created: int  # the position of its first event
    records: list[EventRecord] = field(default_factory=list)  # those the batch folded
    deadlines_changed: bool = False

    @property
    def is_new(self) -> bool:
        return bool(self.records) and self.records[0].aggregate_version == 1


class DocumentView(View):
    fold: ClassVar[Fold]
    aggregate: ClassVar[str]  # the aggregate type whose events it folds, e.g. "Referral"
    documents: ClassVar[str]  # base name of the documents' table
    created_column: ClassVar[str]  # the column holding the first event's position
    columns: ClassVar[Sequence[str]] = ()  # document fields kept in columns of their own
    # Columns computed from the document, e.g. the part of it a list shows, by name.
    computed: ClassVar[Mapping[str, Callable[[Document], Any]]] = {}
    history: ClassVar[str]  # base name of the history table
    history_owner: ClassVar[str]  # its column naming the aggregate
    deadlines: ClassVar[DeadlineTable | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "aggregate" in vars(cls):
            cls.handlers = {**cls.handlers, cls.aggregate: DocumentView._one}
        if vars(cls).get("deadlines") is not None:
            cls.handlers = {**cls.handlers, SCHEDULE: DocumentView._schedule_published}

    # Applying ----------------------------------------------------------------------------

    def _one(self, cursor: Cursor, record: EventRecord) -> None:
        self.apply_all(cursor, [record])

    def apply_all(self, cursor: Cursor, records: Sequence[EventRecord]) -> None:
        for run, schedule in runs(records):
            if run:
                self._apply_run(cursor, [r for r in run if r.aggregate_type == self.aggregate])
            if schedule is not None and self.deadlines is not None:
                self._schedule_published(cursor, schedule)

    def _apply_run(self, cursor: Cursor, records: list[EventRecord]) -> None:
        if not records:
            return
        touched = self._load(cursor, records)
        writes = Writes()
        for record in records:
            found = touched.get(record.aggregate_id)
            if found is None:
                continue  # a later event of an aggregate the view never saw begin
            document = self._fold_one(found, record)
            row = dict(history_row(record), owner=record.aggregate_id)
            writes.add(self.sql(self._insert_history()), row)
            self.entered(writes, record, document, found.created)
        self._write(cursor, writes, touched)

    def _load(self, cursor: Cursor, records: list[EventRecord]) -> dict[str, Touched]:
        """The aggregates the records belong to: begun by a first event in the batch, or with
        their documents read from the table (one statement per few hundred of them)."""
        touched: dict[str, Touched] = {}
        stored: list[str] = []
        for record in records:
            if record.aggregate_id in touched or record.aggregate_id in stored:
                continue
            if record.aggregate_version == 1:
                touched[record.aggregate_id] = Touched(None, record.position)
            else:
                stored.append(record.aggregate_id)
        for chunk in chunks(stored, LOAD_CHUNK):
            placeholders, params = owner_placeholders(chunk)
            cursor.execute(self.sql(self._select_many().replace("[ids]", placeholders)), params)
            for row in cursor.fetchall():
                touched[row["id"]] = Touched(json.loads(row["doc"]), int(row["created"]))
        return touched

    def _fold_one(self, found: Touched, record: EventRecord) -> Document:
        if found.document is None:
            found.document = self.fold.first(record)
        else:
            self.fold.apply(found.document, record)
        found.records.append(record)
        if self.dates(record):
            found.deadlines_changed = True
        return found.document

    def dates(self, record: EventRecord) -> bool:
        """Whether the event sets or meets a time limit the view's deadlines table holds."""
        data = record.data
        return "deadline" in data or "deadlines" in data or record.type in self.fold.meets

    def held(self, document: Document) -> Iterable[Mapping[str, Any]]:
        """The time limits of a document the deadlines table holds."""
        held: Iterable[Mapping[str, Any]] = document["deadlines"].values()
        return held

    def party_of(self, document: Document) -> Callable[[Mapping[str, Any]], str | None]:
        """The agency each of a document's time limits binds (None: none), for the yearly
        assessment; a view with limits says whose they are."""
        return lambda deadline: None

    def _write(self, cursor: Cursor, writes: Writes, touched: dict[str, Touched]) -> None:
        rows = Writes()
        dated = self.deadlines is not None and any(t.deadlines_changed for t in touched.values())
        calendar = load_calendar(self, cursor) if dated else None
        for aggregate_id, found in touched.items():
            if found.document is None or not found.records:
                continue
            last = found.records[-1]
            statement = self._insert() if found.is_new else self._update()
            rows.add(self.sql(statement), self._row(last, found.document, found.created))
            if found.deadlines_changed and self.deadlines is not None and calendar is not None:
                if self.deadlines.replaced:
                    rows.add(self.sql(self.deadlines.delete_held), {"owner": aggregate_id})
                held = self.held(found.document)
                party = self.party_of(found.document)
                for row in self.deadlines.held_rows(calendar, aggregate_id, held, party):
                    rows.add(self.sql(self.deadlines.upsert_held), row)
            self.settled(writes, found.document, found.created)
        rows.flush(cursor)
        writes.flush(cursor)

    def entered(
        self, writes: Writes, record: EventRecord, document: Document, created: int
    ) -> None:
        """A subclass's own rows for one event, after the document took it."""

    def settled(self, writes: Writes, document: Document, created: int) -> None:
        """A subclass's own rows for an aggregate, once the batch's events are folded."""

    def _schedule_published(self, cursor: Cursor, record: EventRecord) -> None:
        assert self.deadlines is not None
        store_schedule(self, cursor, record.data)
        self.deadlines.recompute(self, cursor, int(record.data["year"]))

    def _row(self, record: EventRecord, document: Document, created: int) -> dict[str, Any]:
        row = {c: document[c] for c in self.columns}
        row.update((c, compute(document)) for c, compute in self.computed.items())
        return dict(
            row,
            id=record.aggregate_id,
            status=document["status"],
            created=created,
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
        names = ["id", "status", *self._columns(), self.created_column, "version", "position"]
        names.append("doc")
        values = [f":{n}" if n != self.created_column else ":created" for n in names]
        return f"INSERT INTO {{{self.documents}}} ({', '.join(names)}) VALUES ({', '.join(values)})"

    def _update(self) -> str:
        sets = ", ".join(f"{c} = :{c}" for c in ("status", *self._columns()))
        return (
            f"UPDATE {{{self.documents}}} SET {sets}, version = :version,"
            " position = :position, doc = :doc WHERE id = :id"
        )

    def _columns(self) -> list[str]:
        return [*self.columns, *self.computed]

    def _select(self) -> str:
        return (
            f"SELECT {self.created_column} AS created, version, position, doc"
            f" FROM {{{self.documents}}} WHERE id = :id"
        )

    def _select_many(self) -> str:
        return (
            f"SELECT id, {self.created_column} AS created, doc"
            f" FROM {{{self.documents}}} WHERE id IN ([ids])"
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


def runs(records: Sequence[EventRecord]) -> Iterator[tuple[list[EventRecord], EventRecord | None]]:
    """The records cut at each holiday schedule: (the run before it, the schedule)."""
    run: list[EventRecord] = []
    for record in records:
        if record.type == SCHEDULE:
            yield run, record
            run = []
        else:
            run.append(record)
    yield run, None


def chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def history_ddl(table: str, owner: str) -> str:
    return (
        f"CREATE TABLE IF NOT EXISTS {{{table}}} ({owner} TEXT NOT NULL, version INTEGER NOT NULL,"
        " position BIGINT NOT NULL, type TEXT NOT NULL, at TEXT, by_officer TEXT,"
        f" by_agency TEXT, by_name TEXT, data TEXT NOT NULL, PRIMARY KEY ({owner}, version))"
    )
