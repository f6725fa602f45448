"""The relay: every stored event onto Kafka, in store order, at least once.

It follows the event store's notification log, publishes each batch with the idempotent
producer, waits for the broker's acknowledgement of all of it, and only then records the batch's
last position in the store's own database. After a crash it resumes from that position, so an
event may be published twice (subscribers recognise repeats by `id` or `position`) but never
skipped. While the broker is away commands go on being stored; the relay backs off, retries and
catches up.
"""

from __future__ import annotations

import logging
import time
from typing import Any, NamedTuple
from uuid import UUID

from kafka.errors import KafkaError

from projections.records import EventRecord
from services import catalogue, kafka, wire
from services.concerns import Concerns
from services.database import Database
from services.settings import Settings
from services.store_follower import StoreFollower
from services.stored_records import RecordReader

log = logging.getLogger(__name__)

POSITION_DDL = (
    "CREATE TABLE IF NOT EXISTS relay_position ("
    " relay TEXT PRIMARY KEY, position BIGINT NOT NULL, updated_at TEXT NOT NULL)"
)
SAVE_POSITION = (
    "INSERT INTO relay_position (relay, position, updated_at) VALUES (:relay, :position, :at)"
    " ON CONFLICT (relay) DO UPDATE SET position = excluded.position,"
    " updated_at = excluded.updated_at"
)
LOAD_POSITION = "SELECT position FROM relay_position WHERE relay = :relay"
OFFSETS_DDL = (
    "CREATE TABLE IF NOT EXISTS relay_offsets ("
    " relay TEXT NOT NULL, topic TEXT NOT NULL, kafka_partition INTEGER NOT NULL,"
    " next_offset BIGINT NOT NULL, PRIMARY KEY (relay, topic, kafka_partition))"
)
SAVE_OFFSET = (
    "INSERT INTO relay_offsets (relay, topic, kafka_partition, next_offset)"
    " VALUES (:relay, :topic, :partition, :offset) ON CONFLICT (relay, topic, kafka_partition)"
    " DO UPDATE SET next_offset = excluded.next_offset"
    " WHERE relay_offsets.next_offset < excluded.next_offset"
)
FORGET_OFFSETS = "DELETE FROM relay_offsets WHERE relay = :relay"
LOAD_OFFSETS = "SELECT topic, kafka_partition, next_offset FROM relay_offsets WHERE relay = :relay"
Offsets = dict[tuple[str, int], int]
FLUSH_TIMEOUT_SECONDS = 60.0
LAG_LOG_SECONDS = 10.0


class RelayPosition:
    """The last position the broker acknowledged, kept in the store's database, with the offset
    after the last message it acknowledged in each partition: everything up to the position lies
    below those offsets, which is how projectors prove how far they have got."""

    def __init__(self, db: Database, relay: str) -> None:
        self.db = db
        self.relay = relay

    def create_table(self) -> None:
        with self.db.transaction() as cursor:
            cursor.execute(POSITION_DDL)
            cursor.execute(OFFSETS_DDL)

    def load(self) -> int:
        try:
            with self.db.reading() as cursor:
                cursor.execute(LOAD_POSITION, {"relay": self.relay})
                row = cursor.fetchone()
        except Exception:  # no relay has run against this store yet
            return 0
        return 0 if row is None else int(row["position"])

    def forget_offsets(self) -> None:
        """Starting from position 0 means publishing into topics afresh: old offsets are void."""
        with self.db.transaction() as cursor:
            cursor.execute(FORGET_OFFSETS, {"relay": self.relay})

    def snapshot(self) -> tuple[int, Offsets]:
        """The position and the offsets, read together."""
        try:
            with self.db.reading() as cursor:
                cursor.execute(LOAD_POSITION, {"relay": self.relay})
                row = cursor.fetchone()
                cursor.execute(LOAD_OFFSETS, {"relay": self.relay})
                offsets = {
                    (r["topic"], int(r["kafka_partition"])): int(r["next_offset"])
                    for r in cursor.fetchall()
                }
        except Exception:  # no relay has run against this store yet
            return 0, {}
        return (0 if row is None else int(row["position"])), offsets

    def save(self, position: int, offsets: Offsets | None = None) -> None:
        at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        with self.db.transaction() as cursor:
            cursor.execute(SAVE_POSITION, {"relay": self.relay, "position": position, "at": at})
            for (topic, partition), offset in (offsets or {}).items():
                cursor.execute(
                    SAVE_OFFSET,
                    {"relay": self.relay, "topic": topic, "partition": partition, "offset": offset},
                )


def relay_name(settings: Settings) -> str:
    return f"{settings.kafka_topic_prefix}liandong"


class Message(NamedTuple):
    topic: str
    key: bytes
    value: bytes
    headers: list[tuple[str, bytes]]


class Relay(StoreFollower):
    def __init__(self, app: Any, position: RelayPosition, settings: Settings) -> None:
        super().__init__(settings.database_url, relay_name(settings))
        self.app = app
        self.settings = settings
        self.reader = RecordReader(app.mapper)
        prefix = settings.kafka_topic_prefix
        self.topics = {k: wire.topic_name(k, prefix) for k in catalogue.topic_kinds()}
        self.position_store = position
        self.position = position.load()
        if self.position == 0:
            position.forget_offsets()
        self.concerns = Concerns(self._first_record)
        self.producer: Any = None
        self._last_lag_log = 0.0

    # Running --------------------------------------------------------------------------------

    def resume(self) -> None:
        self.position = self.position_store.load()

    def failed(self, error: Exception) -> None:
        if isinstance(error, (KafkaError, OSError)):
            self._broker_trouble(error)
            return
        log.exception("relay: cannot publish position %d", self.position + 1)
        self.error = f"{type(error).__name__}: {error}"
        self.close()

    def close(self) -> None:
        if self.producer is not None:
            self.producer.close(timeout=5)
            self.producer = None

    def run_once(self) -> int:
        """Publishes the next batch of stored events; answers how many notifications it passed."""
        notes = self.app.recorder.select_notifications(
            start=self.position + 1, limit=self.settings.relay_batch_size, inclusive_of_start=True
        )
        if not notes:
            return 0
        # The whole batch is encoded before the first send, so the producer gets it in one burst
        # and fills large record batches: fewer requests, fewer wake-ups of its sender thread.
        messages = [m for note in notes if (m := self._message(note)) is not None]
        producer = self._producer()
        futures = [
            producer.send(topic, key=key, value=value, headers=headers)
            for topic, key, value, headers in messages
        ]
        producer.flush(timeout=FLUSH_TIMEOUT_SECONDS)
        self.position_store.save(notes[-1].id, acknowledged(futures))
        self.position = notes[-1].id
        self._log_lag()
        return len(notes)

    def lag(self) -> int:
        return max(self.app.head_position() - self.position, 0)

    # Parts ----------------------------------------------------------------------------------

    def _message(self, note: Any) -> Message | None:
        record = self.reader.record(note, note.id)
        kind = wire.kind_of(record)
        if kind is None:  # internal bookkeeping, never published
            return None
        return Message(
            self.topics[kind],
            key=record.aggregate_id.encode(),
            value=wire.encode(record, self.settings.event_source, self.concerns.of(record)),
            headers=wire.headers(record),
        )

    def _producer(self) -> Any:
        if self.producer is None:
            kafka.ensure_topics(self.settings)
            self.producer = kafka.producer(self.settings)
        return self.producer

    def _broker_trouble(self, error: Exception) -> None:
        self.error = f"{type(error).__name__}: {error}"
        log.warning("relay: cannot publish (%s); %d behind; retrying", self.error, self.lag())
        # A producer that failed may hold sends in an unknown state; start afresh from the
        # recorded position (what it had sent may be repeated, never lost).
        try:
            self.close()
        except Exception:  # a producer that cannot even close is dropped
            self.producer = None

    def _log_lag(self) -> None:
        now = time.monotonic()
        if now - self._last_lag_log >= LAG_LOG_SECONDS:
            self._last_lag_log = now
            log.info("relay at position %d, %d events behind", self.position, self.lag())

    def _first_record(self, aggregate_id: str) -> EventRecord | None:
        stored = self.app.recorder.select_events(UUID(aggregate_id), lte=1)
        if not stored:
            return None
        return self.reader.record(stored[0], 0)


def acknowledged(futures: list[Any]) -> Offsets:
    """Per partition, the offset after the last message the broker acknowledged; raises the
    broker's error for a failed send."""
    offsets: Offsets = {}
    for future in futures:
        sent = future.get(timeout=0)
        key = (sent.topic, sent.partition)
        offsets[key] = max(offsets.get(key, 0), sent.offset + 1)
    return offsets
