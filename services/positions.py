"""The global position (notification id) of one stored event, for answers given again."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder

SQLITE_POSITION = "SELECT rowid FROM {table} WHERE originator_id = ? AND originator_version = ?"
POSTGRES_POSITION = (
    "SELECT notification_id FROM {schema}.{table}"
    " WHERE originator_id = %s AND originator_version = %s"
)


def position_of(recorder: Any, aggregate_id: UUID, version: int) -> int:
    if isinstance(recorder, SQLiteApplicationRecorder):
        statement = SQLITE_POSITION.format(table=recorder.events_table_name)
        with recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, (aggregate_id.hex, version))
            row = cursor.fetchone()
            return int(row[0])
    if isinstance(recorder, PostgresApplicationRecorder):
        statement = POSTGRES_POSITION.format(
            schema=recorder.datastore.schema, table=recorder.events_table_name
        )
        with recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, (aggregate_id, version))
            row = cursor.fetchone()
            assert row is not None
            return int(row["notification_id"])
    raise TypeError(f"no position lookup for {type(recorder).__name__}")
