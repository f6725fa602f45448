"""The event store's identity: made once, kept in the store's own database, so the views can
tell the store they were built from from a new one put in its place.

Beside it the identity records whether the store's records are encrypted, and under which key:
a check value (a MAC of a fixed text under the key, never the key). A process that opens the
store with another key, without its key, or with a key on a store of plain records is refused
at start, before it reads a record it cannot decrypt or writes one unlike the others.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command line imports the refusal without a database driver
    from projections.view import Cursor
    from services.database import Database

IDENTITY_DDL = (
    "CREATE TABLE IF NOT EXISTS store_identity ("
    " singleton INTEGER PRIMARY KEY CHECK (singleton = 1), id TEXT NOT NULL,"
    " created_at TEXT NOT NULL, key_check TEXT)"
)
# A store identified before its records could be encrypted keeps plain ones: NULL.
ADD_KEY_CHECK = "ALTER TABLE store_identity ADD COLUMN key_check TEXT"
CLAIM = (
    "INSERT INTO store_identity (singleton, id, created_at, key_check)"
    " VALUES (1, :id, :at, :key_check) ON CONFLICT (singleton) DO NOTHING"
)
LOAD = "SELECT id, key_check FROM store_identity WHERE singleton = 1"
CHECKED_TEXT = b"liandong: the event store's cipher key"
KEY_SETTING = "LIANDONG_STORE_CIPHER_KEY"


class StoreKeyRefused(Exception):
    """The store's records and the key given do not go together."""


def key_check(key: bytes) -> str:
    """What the store keeps of its key: it tells the key again, and gives nothing of it away."""
    return hmac.new(key, CHECKED_TEXT, hashlib.sha256).hexdigest()


def store_identity(db: Database, key: bytes | None = None, *, holds_events: bool = False) -> str:
    """The store's id, made at its first use with the check of the key its records are to be
    encrypted with (none: plain). A store that already holds events when it is first identified
    has plain ones: they were written before a key could be set. Refuses a key that is not the
    store's."""
    at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    given = key_check(key) if key is not None else None
    with db.transaction() as cursor:
        cursor.execute(IDENTITY_DDL)
        add_key_check(cursor, db.dialect)
        claimed = None if holds_events else given
        cursor.execute(CLAIM, {"id": str(uuid.uuid4()), "at": at, "key_check": claimed})
        cursor.execute(LOAD)
        row = cursor.fetchone()
    assert row is not None
    refusal = key_refusal(row["key_check"], given)
    if refusal:
        raise StoreKeyRefused(refusal)
    return str(row["id"])


def add_key_check(cursor: Cursor, dialect: str) -> None:
    """The key's column, in an identity made before it existed."""
    if dialect == "postgres":
        cursor.execute(ADD_KEY_CHECK.replace("ADD COLUMN", "ADD COLUMN IF NOT EXISTS"))
        return
    cursor.execute("PRAGMA table_info(store_identity)")
    if all(column["name"] != "key_check" for column in cursor.fetchall()):
        cursor.execute(ADD_KEY_CHECK)


def key_refusal(recorded: str | None, given: str | None) -> str | None:
    """Why the store cannot be opened with the key given, or None if it can."""
    if recorded is None and given is not None:
        return (
            f"the event store's records are not encrypted, and {KEY_SETTING} is set: unset it"
            " (a store holding plain records is not encrypted afterwards)"
        )
    if recorded is not None and given is None:
        return f"the event store's records are encrypted: set {KEY_SETTING} to the store's key"
    if recorded is not None and given is not None and not hmac.compare_digest(recorded, given):
        return f"{KEY_SETTING} is not the key the event store's records are encrypted with"
    return None
