"""A view's tables and its tracking position in one database, written in one transaction.

This is the eventsourcing tracking-recorder pattern: applying a batch of events and recording
the position they reach commit together, and a position at or below the recorded one is refused
(the whole batch rolls back), so every event changes a view exactly once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Any

from eventsourcing.persistence import IntegrityError, Tracking, TrackingRecorder

from projections.records import EventRecord
from projections.view import Cursor, View
from services.database import Database

log = logging.getLogger(__name__)

TRACKING_DDL = (
    "CREATE TABLE IF NOT EXISTS view_tracking ("
    " view TEXT NOT NULL, upstream TEXT NOT NULL, position BIGINT NOT NULL,"
    " PRIMARY KEY (view, upstream))"
)
ADVANCE = (
    "INSERT INTO view_tracking (view, upstream, position) VALUES (:view, :upstream, :position)"
    " ON CONFLICT (view, upstream) DO UPDATE SET position = excluded.position"
    " WHERE view_tracking.position < excluded.position"
)
SCHEMA_DDL = (
    "CREATE TABLE IF NOT EXISTS view_schema (view TEXT PRIMARY KEY, version INTEGER NOT NULL)"
)
LOAD_SCHEMA = "SELECT version FROM view_schema WHERE view = :view"
SAVE_SCHEMA = (
    "INSERT INTO view_schema (view, version) VALUES (:view, :version)"
    " ON CONFLICT (view) DO UPDATE SET version = excluded.version"
)
FOLLOWS_DDL = "CREATE TABLE IF NOT EXISTS view_store (view TEXT PRIMARY KEY, store TEXT NOT NULL)"
LOAD_FOLLOWED = "SELECT store FROM view_store WHERE view = :view"
SAVE_FOLLOWED = (
    "INSERT INTO view_store (view, store) VALUES (:view, :store)"
    " ON CONFLICT (view) DO UPDATE SET store = excluded.store"
)
# What a view built afresh forgets of itself (its dead letters and watermarks too, if kept).
FORGOTTEN = ("view_tracking", "view_versions", "view_watermarks", "dead_letters")
POSITION = "SELECT position FROM view_tracking WHERE view = :view AND upstream = :upstream"
VERSIONS_DDL = (
    "CREATE TABLE IF NOT EXISTS view_versions ("
    " view TEXT NOT NULL, aggregate_id TEXT NOT NULL, version BIGINT NOT NULL,"
    " PRIMARY KEY (view, aggregate_id))"
)
# A batch's aggregates: their versions read, and their rows locked until the transaction ends,
# by one statement (the no-op update waits for a row another applier holds until that one
# commits, then answers the version it left; a new aggregate's row is made at version 0); then
# the versions the batch reached, by one more. PostgreSQL takes the ids and versions as two
# arrays (psycopg takes milliseconds to parse a statement with thousands of parameters);
# SQLite, which has no arrays, as rows of placeholders, a few hundred to a statement.
CLAIM_VERSIONS = (
    "INSERT INTO view_versions (view, aggregate_id, version) {rows}"
    " ON CONFLICT (view, aggregate_id) DO UPDATE SET version = view_versions.version"
    " RETURNING aggregate_id, version"
)
ADVANCE_VERSIONS = (
    "INSERT INTO view_versions (view, aggregate_id, version) {rows}"
    " ON CONFLICT (view, aggregate_id) DO UPDATE SET version = excluded.version"
    " WHERE view_versions.version < excluded.version"
)
ARRAY_ROWS = (
    "SELECT :view, id, version FROM unnest(CAST(:ids AS TEXT[]), CAST(:versions AS BIGINT[]))"
    " AS given (id, version) ORDER BY id"
)
PLACEHOLDER_ROW = "(:view, :a{n}, :v{n})"
ROWS_PER_STATEMENT = 300
# Appliers share the view; a rebuild's swap takes it alone (PostgreSQL; SQLite has one writer).
SHARED_LOCK = "SELECT pg_advisory_xact_lock_shared(hashtext(:view))"
EXCLUSIVE_LOCK = "SELECT pg_advisory_xact_lock(hashtext(:view))"


class ViewStore(TrackingRecorder):
    def __init__(self, db: Database, view: View) -> None:
        self.db = db
        self.view = view
        self.tracking_name = view.name + view.suffix

    def create_tables(self) -> None:
        """Creates what is missing. Tables of an older shape (the view's schema_version rose)
        are dropped with the view's tracking, so the view is built afresh from the start."""
        with self.db.transaction() as cursor:
            cursor.execute(TRACKING_DDL)
            cursor.execute(VERSIONS_DDL)
            cursor.execute(SCHEMA_DDL)
            recorded = self._schema_version(cursor)
            if recorded is not None and recorded != self.view.schema_version:
                log.warning("view %s changed shape: built afresh", self.tracking_name)
                self._drop(cursor)
            for statement in self.view.ddl():
                cursor.execute(statement)
            row = {"view": self.tracking_name, "version": self.view.schema_version}
            cursor.execute(SAVE_SCHEMA, row)

    def follow(self, store: str, head: int, upstream: str) -> bool:
        """Makes the view one of this store's. A view built from another store, or further on
        than this store goes (a store restored from an older copy), is dropped to be built
        afresh; answers whether it was."""
        with self.db.transaction() as cursor:
            cursor.execute(FOLLOWS_DDL)
            cursor.execute(LOAD_FOLLOWED, {"view": self.tracking_name})
            row = cursor.fetchone()
            followed = None if row is None else str(row["store"])
            ahead = self._position(cursor, upstream) > head
            stale = (followed is not None and followed != store) or ahead
            if stale:
                why = "is further on than its store" if ahead else "followed another store"
                log.warning("view %s %s: built afresh", self.tracking_name, why)
                self._drop(cursor)
                for statement in self.view.ddl():
                    cursor.execute(statement)
            cursor.execute(SAVE_FOLLOWED, {"view": self.tracking_name, "store": store})
        return stale

    def _schema_version(self, cursor: Cursor) -> int | None:
        cursor.execute(LOAD_SCHEMA, {"view": self.tracking_name})
        row = cursor.fetchone()
        return None if row is None else int(row["version"])

    def _drop(self, cursor: Cursor) -> None:
        for table in self.view.table.values():
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        for table in FORGOTTEN:
            cursor.execute(f"DELETE FROM {table} WHERE view = :view", {"view": self.tracking_name})

    def apply(self, records: Sequence[EventRecord], tracking: Tracking) -> None:
        """Applies the records and records `tracking`, all or nothing."""
        with self.db.transaction(pipelined=True) as cursor:
            self.lock(cursor)
            self.apply_in(cursor, records, tracking)

    def apply_in(self, cursor: Cursor, records: Sequence[EventRecord], tracking: Tracking) -> None:
        # Tracking first: a repeated position fails before any row is touched. Records the view
        # has already passed (a rebuild swapped in further on) are skipped, not applied again.
        floor = self._position(cursor, tracking.application_name)
        self._insert_tracking(cursor, tracking)
        self.view.apply_all(cursor, [r for r in records if r.position > floor])

    def apply_unordered(self, records: Sequence[EventRecord], upstream: str) -> list[EventRecord]:
        """Applies records that arrive in order per aggregate but not globally (from Kafka), all
        or nothing; answers those applied. A record is a repeat, and changes nothing, when its
        position is covered by the global tracking position or its aggregate's version is."""
        with self.db.transaction(pipelined=True) as cursor:
            self.lock(cursor)
            return self.apply_unordered_in(cursor, records, upstream)

    def apply_unordered_in(
        self, cursor: Cursor, records: Sequence[EventRecord], upstream: str
    ) -> list[EventRecord]:
        """A record applies when its position is above the tracked one and its version above
        its aggregate's, counting the records before it in the batch (so a repeat applies once).
        Types the view does not handle have no effect and are not remembered."""
        floor = self._position(cursor, upstream)
        handles = self.view.handler_for
        fresh = [r for r in records if r.position > floor and handles(r.type) is not None]
        versions = self._claim_versions(cursor, {r.aggregate_id for r in fresh})
        applied = []
        for record in fresh:
            if record.aggregate_version > versions[record.aggregate_id]:
                versions[record.aggregate_id] = record.aggregate_version
                applied.append(record)
        self._advance_versions(cursor, {r.aggregate_id: versions[r.aggregate_id] for r in applied})
        self.view.apply_all(cursor, applied)
        return applied

    def apply_unordered_tracked(self, records: Sequence[EventRecord], upstream: str) -> None:
        """As apply_unordered, for records in global order: also records their last position."""
        with self.db.transaction(pipelined=True) as cursor:
            self.lock(cursor)
            self.apply_unordered_in(cursor, records, upstream)
            self.track_in(cursor, Tracking(upstream, records[-1].position))

    def track_in(self, cursor: Cursor, tracking: Tracking) -> None:
        """Raises the tracking position to `tracking`'s; never lowers it."""
        cursor.execute(ADVANCE, self._tracking_row(tracking))

    def _claim_versions(self, cursor: Cursor, aggregate_ids: set[str]) -> dict[str, int]:
        """The aggregates' versions applied so far (0 for new ones), their rows locked until
        the transaction ends. Locked in one order, so that two appliers may wait for each other
        but never deadlock."""
        versions: dict[str, int] = {}
        for statement, params in self._versions(CLAIM_VERSIONS, dict.fromkeys(aggregate_ids, 0)):
            cursor.execute(statement, params)
            versions.update((row["aggregate_id"], int(row["version"])) for row in cursor.fetchall())
        return versions

    def _advance_versions(self, cursor: Cursor, versions: dict[str, int]) -> None:
        for statement, params in self._versions(ADVANCE_VERSIONS, versions):
            cursor.execute(statement, params)

    def _versions(
        self, template: str, versions: dict[str, int]
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """`template` with `versions` (aggregate id → version) as its rows, as statements."""
        rows = sorted(versions.items())
        if not rows:
            return
        if self.db.dialect == "postgres":
            ids, numbers = (list(column) for column in zip(*rows, strict=True))
            params: dict[str, Any] = {"view": self.tracking_name, "ids": ids, "versions": numbers}
            yield template.format(rows=ARRAY_ROWS), params
            return
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            chunk = rows[start : start + ROWS_PER_STATEMENT]
            params = {"view": self.tracking_name}
            for n, (aggregate_id, version) in enumerate(chunk):
                params.update({f"a{n}": aggregate_id, f"v{n}": version})
            placeholders = ", ".join(PLACEHOLDER_ROW.format(n=n) for n in range(len(chunk)))
            yield template.format(rows=f"VALUES {placeholders}"), params

    def lock(self, cursor: Cursor, exclusive: bool = False) -> None:
        if self.db.dialect == "postgres":
            cursor.execute(EXCLUSIVE_LOCK if exclusive else SHARED_LOCK, {"view": self.view.name})

    def insert_tracking(self, tracking: Tracking) -> None:
        with self.db.transaction() as cursor:
            self._insert_tracking(cursor, tracking)

    def _insert_tracking(self, cursor: Cursor, tracking: Tracking) -> None:
        cursor.execute(ADVANCE, self._tracking_row(tracking))
        if getattr(cursor, "rowcount", 1) != 1:
            raise IntegrityError(
                f"{self.tracking_name} has already applied position {tracking.notification_id}"
            )

    def _tracking_row(self, tracking: Tracking) -> dict[str, object]:
        return {
            "view": self.tracking_name,
            "upstream": tracking.application_name,
            "position": tracking.notification_id,
        }

    def max_tracking_id(self, application_name: str) -> int | None:
        with self.db.reading() as cursor:
            cursor.execute(POSITION, {"view": self.tracking_name, "upstream": application_name})
            row = cursor.fetchone()
        return None if row is None else int(row["position"])

    def _position(self, cursor: Cursor, upstream: str) -> int:
        cursor.execute(POSITION, {"view": self.tracking_name, "upstream": upstream})
        row = cursor.fetchone()
        return 0 if row is None else int(row["position"])
