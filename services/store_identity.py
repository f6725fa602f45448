"""The event store's identity: made once, kept in the store's own database, so the views can
tell the store they were built from from a new one put in its place."""

from __future__ import annotations

import time
import uuid

from services.database import Database

IDENTITY_DDL = (
    "CREATE TABLE IF NOT EXISTS store_identity ("
    " singleton INTEGER PRIMARY KEY CHECK (singleton = 1), id TEXT NOT NULL,"
    " created_at TEXT NOT NULL)"
)
CLAIM = (
    "INSERT INTO store_identity (singleton, id, created_at) VALUES (1, :id, :at)"
    " ON CONFLICT (singleton) DO NOTHING"
)
LOAD = "SELECT id FROM store_identity WHERE singleton = 1"


def store_identity(db: Database) -> str:
    """The store's id, made at its first use."""
    at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    with db.transaction() as cursor:
        cursor.execute(IDENTITY_DDL)
        cursor.execute(CLAIM, {"id": str(uuid.uuid4()), "at": at})
        cursor.execute(LOAD)
        row = cursor.fetchone()
    assert row is not None
    return str(row["id"])
