"""Signed checkpoints: made by the audit log, kept in the store's database, published on the
audit topic so that every subscriber holds copies (a server that showed two histories would
have signed two roots for one size, and the copies would show it).

A checkpoint's message, on the topic and over the API, is JSON: origin, tree_size, root_hash
(base64), suite, signed_at (RFC 3339, UTC) and the signed note, whose text says the same
origin, size and root (c2sp.org/tlog-checkpoint).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from services.audit.tree_store import BINARY
from services.database import Database

CHECKPOINTS_DDL = (
    "CREATE TABLE IF NOT EXISTS audit_checkpoints ("
    " tree_size BIGINT PRIMARY KEY, root_hash {binary} NOT NULL, origin TEXT NOT NULL,"
    " suite TEXT NOT NULL, signed_at TEXT NOT NULL, note TEXT NOT NULL,"
    " published INTEGER NOT NULL DEFAULT 0)"
)
COLUMNS = "tree_size, root_hash, origin, suite, signed_at, note"
INSERT = (
    f"INSERT INTO audit_checkpoints ({COLUMNS})"
    " VALUES (:tree_size, :root_hash, :origin, :suite, :signed_at, :note)"
    " ON CONFLICT (tree_size) DO NOTHING"
)
LATEST = f"SELECT {COLUMNS} FROM audit_checkpoints ORDER BY tree_size DESC LIMIT 1"
ALL = f"SELECT {COLUMNS} FROM audit_checkpoints ORDER BY tree_size"
AT = f"SELECT {COLUMNS} FROM audit_checkpoints WHERE tree_size = :tree_size"
UNPUBLISHED = f"SELECT {COLUMNS} FROM audit_checkpoints WHERE published = 0 ORDER BY tree_size"
MARK_PUBLISHED = "UPDATE audit_checkpoints SET published = 1 WHERE tree_size = :tree_size"


def b64(digest: bytes) -> str:
    """Hashes, proofs and leaves as the API and the topic write them: standard base64."""
    return base64.b64encode(digest).decode()


@dataclass(frozen=True)
class SignedCheckpoint:
    origin: str
    tree_size: int
    root_hash: bytes
    suite: str
    signed_at: str
    note: str

    def message(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "tree_size": self.tree_size,
            "root_hash": b64(self.root_hash),
            "suite": self.suite,
            "signed_at": self.signed_at,
            "note": self.note,
        }

    def row(self) -> dict[str, Any]:
        return {
            "tree_size": self.tree_size,
            "root_hash": self.root_hash,
            "origin": self.origin,
            "suite": self.suite,
            "signed_at": self.signed_at,
            "note": self.note,
        }

    @classmethod
    def from_row(cls, row: Any) -> SignedCheckpoint:
        return cls(
            str(row["origin"]),
            int(row["tree_size"]),
            bytes(row["root_hash"]),
            str(row["suite"]),
            str(row["signed_at"]),
            str(row["note"]),
        )


class Checkpoints:
    def __init__(self, db: Database) -> None:
        self.db = db

    def create_table(self) -> None:
        with self.db.transaction() as cursor:
            cursor.execute(CHECKPOINTS_DDL.format(binary=BINARY[self.db.dialect]))

    def save(self, checkpoint: SignedCheckpoint) -> None:
        with self.db.transaction() as cursor:
            cursor.execute(INSERT, checkpoint.row())

    def latest(self) -> SignedCheckpoint | None:
        rows = self._select(LATEST)
        return rows[0] if rows else None

    def at(self, tree_size: int) -> SignedCheckpoint | None:
        rows = self._select(AT, {"tree_size": tree_size})
        return rows[0] if rows else None

    def all(self) -> list[SignedCheckpoint]:
        return self._select(ALL)

    def unpublished(self) -> list[SignedCheckpoint]:
        return self._select(UNPUBLISHED)

    def mark_published(self, checkpoints: list[SignedCheckpoint]) -> None:
        with self.db.transaction() as cursor:
            cursor.executemany(MARK_PUBLISHED, [{"tree_size": c.tree_size} for c in checkpoints])

    def _select(self, query: str, params: dict[str, Any] | None = None) -> list[SignedCheckpoint]:
        with self.db.reading() as cursor:
            cursor.execute(query, params or {})
            return [SignedCheckpoint.from_row(r) for r in cursor.fetchall()]
