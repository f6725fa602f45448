"""A view's tables and its tracking position in one database, written in one transaction.

This is the eventsourcing tracking-recorder pattern: applying a batch of events and recording
the position they reach commit together, and a position at or below the recorded one is refused
(the whole batch rolls back), so every event changes a view exactly once.
"""

from __future__ import annotations

from collections.abc import Sequence

from eventsourcing.persistence import IntegrityError, Tracking, TrackingRecorder

from projections.records import EventRecord
from projections.view import Cursor, View
from services.database import Database

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
POSITION = "SELECT position FROM view_tracking WHERE view = :view AND upstream = :upstream"
VERSIONS_DDL = (
    "CREATE TABLE IF NOT EXISTS view_versions ("
    " view TEXT NOT NULL, aggregate_id TEXT NOT NULL, version BIGINT NOT NULL,"
    " PRIMARY KEY (view, aggregate_id))"
)
ADVANCE_VERSION = (
    "INSERT INTO view_versions (view, aggregate_id, version)"
    " VALUES (:view, :aggregate_id, :version) ON CONFLICT (view, aggregate_id)"
    " DO UPDATE SET version = excluded.version WHERE view_versions.version < excluded.version"
)
# Appliers share the view; a rebuild's swap takes it alone (PostgreSQL; SQLite has one writer).
SHARED_LOCK = "SELECT pg_advisory_xact_lock_shared(hashtext(:view))"
EXCLUSIVE_LOCK = "SELECT pg_advisory_xact_lock(hashtext(:view))"


class ViewStore(TrackingRecorder):
    def __init__(self, db: Database, view: View) -> None:
        self.db = db
        self.view = view
        self.tracking_name = view.name + view.suffix

    def create_tables(self) -> None:
        with self.db.transaction() as cursor:
            cursor.execute(TRACKING_DDL)
            cursor.execute(VERSIONS_DDL)
            for statement in self.view.ddl():
                cursor.execute(statement)

    def apply(self, records: Sequence[EventRecord], tracking: Tracking) -> None:
        """Applies the records and records `tracking`, all or nothing."""
        with self.db.transaction() as cursor:
            self.lock(cursor)
            self.apply_in(cursor, records, tracking)

    def apply_in(self, cursor: Cursor, records: Sequence[EventRecord], tracking: Tracking) -> None:
        # Tracking first: a repeated position fails before any row is touched. Records the view
        # has already passed (a rebuild swapped in further on) are skipped, not applied again.
        floor = self._position(cursor, tracking.application_name)
        self._insert_tracking(cursor, tracking)
        for record in records:
            if record.position > floor:
                self.view.apply(cursor, record)

    def apply_unordered(self, records: Sequence[EventRecord], upstream: str) -> list[EventRecord]:
        """Applies records that arrive in order per aggregate but not globally (from Kafka), all
        or nothing; answers those applied. A record is a repeat, and changes nothing, when its
        position is covered by the global tracking position or its aggregate's version is."""
        with self.db.transaction() as cursor:
            self.lock(cursor)
            return self.apply_unordered_in(cursor, records, upstream)

    def apply_unordered_in(
        self, cursor: Cursor, records: Sequence[EventRecord], upstream: str
    ) -> list[EventRecord]:
        applied = []
        floor = self._position(cursor, upstream)
        for record in records:
            if record.type not in self.view.handlers:  # no effect, nothing to remember
                continue
            if record.position > floor and self._advance_version(cursor, record):
                self.view.apply(cursor, record)
                applied.append(record)
        return applied

    def apply_unordered_tracked(self, records: Sequence[EventRecord], upstream: str) -> None:
        """As apply_unordered, for records in global order: also records their last position."""
        with self.db.transaction() as cursor:
            self.lock(cursor)
            self.apply_unordered_in(cursor, records, upstream)
            self.track_in(cursor, Tracking(upstream, records[-1].position))

    def track_in(self, cursor: Cursor, tracking: Tracking) -> None:
        """Raises the tracking position to `tracking`'s; never lowers it."""
        cursor.execute(ADVANCE, self._tracking_row(tracking))

    def _advance_version(self, cursor: Cursor, record: EventRecord) -> bool:
        cursor.execute(
            ADVANCE_VERSION,
            {
                "view": self.tracking_name,
                "aggregate_id": record.aggregate_id,
                "version": record.aggregate_version,
            },
        )
        return bool(getattr(cursor, "rowcount", 1) == 1)

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
