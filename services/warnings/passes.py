"""The watcher's last pass, kept in the views' database so that /readyz and /metrics of any
process show how long ago warnings were last brought up to date, and what the pass did."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.database import Database

PASSES_DDL = (
    "CREATE TABLE IF NOT EXISTS watch_passes ("
    " watcher TEXT PRIMARY KEY, passed_at TEXT NOT NULL, raised INTEGER NOT NULL,"
    " turned_red INTEGER NOT NULL, withdrawn INTEGER NOT NULL, skipped TEXT NOT NULL)"
)
SAVE = (
    "INSERT INTO watch_passes (watcher, passed_at, raised, turned_red, withdrawn, skipped)"
    " VALUES (:watcher, :passed_at, :raised, :turned_red, :withdrawn, :skipped)"
    " ON CONFLICT (watcher) DO UPDATE SET passed_at = excluded.passed_at,"
    " raised = excluded.raised, turned_red = excluded.turned_red,"
    " withdrawn = excluded.withdrawn, skipped = excluded.skipped"
)
LOAD = "SELECT * FROM watch_passes WHERE watcher = :watcher"


class Passes:
    def __init__(self, db: Database, watcher: str) -> None:
        self.db = db
        self.watcher = watcher

    def create_table(self) -> None:
        with self.db.transaction() as cursor:
            cursor.execute(PASSES_DDL)

    def save(
        self, at: datetime, raised: int, turned_red: int, withdrawn: int, skipped: list[str]
    ) -> None:
        row = {
            "watcher": self.watcher,
            "passed_at": at.isoformat(),
            "raised": raised,
            "turned_red": turned_red,
            "withdrawn": withdrawn,
            "skipped": ",".join(skipped),
        }
        with self.db.transaction() as cursor:
            cursor.execute(SAVE, row)

    def state(self, now: datetime) -> dict[str, Any]:
        """The last pass and how long ago it was; `last_pass` None before the first."""
        with self.db.reading() as cursor:
            cursor.execute(LOAD, {"watcher": self.watcher})
            row = cursor.fetchone()
        if row is None:
            return {"last_pass": None, "seconds_since": None, "skipped": []}
        passed = datetime.fromisoformat(row["passed_at"])
        return {
            "last_pass": row["passed_at"],
            "seconds_since": max(int((now - passed).total_seconds()), 0),
            "raised": int(row["raised"]),
            "turned_red": int(row["turned_red"]),
            "withdrawn": int(row["withdrawn"]),
            "skipped": [s for s in str(row["skipped"]).split(",") if s],
        }
