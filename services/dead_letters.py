"""Messages a projector could not apply, kept with the reason instead of stopping the world.

A dead letter parks its aggregate: the aggregate's later messages join it here rather than
overtake it, while other aggregates flow on. Nothing is dropped silently; `/readyz` reports them.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from projections.records import EventRecord
from services.database import Database

DDL = (
    "CREATE TABLE IF NOT EXISTS dead_letters ("
    " view TEXT NOT NULL, topic TEXT NOT NULL, kafka_partition INTEGER NOT NULL,"
    " kafka_offset BIGINT NOT NULL, message_key TEXT, position BIGINT, type TEXT,"
    " reason TEXT NOT NULL, value TEXT NOT NULL, recorded_at TEXT NOT NULL,"
    " PRIMARY KEY (view, topic, kafka_partition, kafka_offset))"
)
INSERT = (
    "INSERT INTO dead_letters (view, topic, kafka_partition, kafka_offset, message_key,"
    " position, type, reason, value, recorded_at) VALUES (:view, :topic, :partition, :offset,"
    " :key, :position, :type, :reason, :value, :at) ON CONFLICT DO NOTHING"
)
PARKED_KEYS = "SELECT DISTINCT message_key FROM dead_letters WHERE view = :view"
COUNT = "SELECT view, COUNT(*) AS n FROM dead_letters GROUP BY view"
LIST = (
    "SELECT topic, kafka_partition, kafka_offset, message_key, position, type, reason,"
    " recorded_at FROM dead_letters WHERE view = :view ORDER BY recorded_at, topic,"
    " kafka_partition, kafka_offset"
)


@dataclass(frozen=True)
class Letter:
    topic: str
    partition: int
    offset: int
    key: str | None
    reason: str
    value: bytes
    position: int | None = None
    type: str | None = None


def letter(
    message: Any, reason: str, record: EventRecord | None = None, event_type: str | None = None
) -> Letter:
    """The dead letter of a Kafka message: where it lay, its key and value, why it was kept,
    and the position and type of the event it carried, when it could be read."""
    return Letter(
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        key=message.key.decode("utf-8", "replace") if message.key else None,
        reason=reason,
        value=message.value or b"",
        position=record.position if record else None,
        type=event_type or (record.type if record else None),
    )


class DeadLetters:
    def __init__(self, db: Database, view: str) -> None:
        self.db = db
        self.view = view

    def create_table(self) -> None:
        with self.db.transaction() as cursor:
            cursor.execute(DDL)

    def record(self, letters: Sequence[Letter]) -> None:
        if not letters:
            return
        at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        with self.db.transaction() as cursor:
            for letter in letters:
                cursor.execute(INSERT, self._row(letter, at))

    def parked_keys(self) -> set[str]:
        with self.db.reading() as cursor:
            cursor.execute(PARKED_KEYS, {"view": self.view})
            return {row["message_key"] for row in cursor.fetchall() if row["message_key"]}

    def listing(self) -> list[dict[str, Any]]:
        with self.db.reading() as cursor:
            cursor.execute(LIST, {"view": self.view})
            return [dict(row) for row in cursor.fetchall()]

    def _row(self, letter: Letter, at: str) -> dict[str, Any]:
        return {
            "view": self.view,
            "topic": letter.topic,
            "partition": letter.partition,
            "offset": letter.offset,
            "key": letter.key,
            "position": letter.position,
            "type": letter.type,
            "reason": letter.reason,
            "value": letter.value.decode("utf-8", errors="backslashreplace"),
            "at": at,
        }


def counts(db: Database) -> dict[str, int]:
    """Dead letters per view; empty when no projector has made the table yet."""
    try:
        with db.reading() as cursor:
            cursor.execute(COUNT)
            return {row["view"]: int(row["n"]) for row in cursor.fetchall()}
    except Exception:
        return {}
