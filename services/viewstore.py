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


class ViewStore(TrackingRecorder):
    def __init__(self, db: Database, view: View) -> None:
        self.db = db
        self.view = view
        self.tracking_name = view.name + view.suffix

    def create_tables(self) -> None:
        with self.db.transaction() as cursor:
            cursor.execute(TRACKING_DDL)
            for statement in self.view.ddl():
                cursor.execute(statement)

    def apply(self, records: Sequence[EventRecord], tracking: Tracking) -> None:
        """Applies the records and records `tracking`, all or nothing."""
        with self.db.transaction() as cursor:
            # Tracking first: a repeated position fails before any row is touched.
            self._insert_tracking(cursor, tracking)
            for record in records:
                self.view.apply(cursor, record)

    def insert_tracking(self, tracking: Tracking) -> None:
        with self.db.transaction() as cursor:
            self._insert_tracking(cursor, tracking)

    def _insert_tracking(self, cursor: Cursor, tracking: Tracking) -> None:
        cursor.execute(
            ADVANCE,
            {
                "view": self.tracking_name,
                "upstream": tracking.application_name,
                "position": tracking.notification_id,
            },
        )
        if getattr(cursor, "rowcount", 1) != 1:
            raise IntegrityError(
                f"{self.tracking_name} has already applied position {tracking.notification_id}"
            )

    def max_tracking_id(self, application_name: str) -> int | None:
        with self.db.reading() as cursor:
            cursor.execute(POSITION, {"view": self.tracking_name, "upstream": application_name})
            row = cursor.fetchone()
        return None if row is None else int(row["position"])
