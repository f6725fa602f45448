"""A view fed from Kafka: one consumer group per view, the same projection code as embedded.

Each poll's records are applied in one database transaction that also advances the view's
per-aggregate versions, so a repeated event changes nothing; Kafka offsets are committed only
after that transaction. A crash between the two repeats the poll, and the repeats are ignored.
A message that cannot be applied becomes a dead letter and parks its aggregate.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Mapping, Sequence
from typing import Any

import psycopg
import psycopg_pool

from projections.records import EventRecord
from services import catalogue, kafka, wire
from services.consumer_loop import ConsumerLoop
from services.dead_letters import DeadLetters, Letter, letter
from services.relay import RelayPosition
from services.settings import Settings
from services.viewstore import ViewStore
from services.watermarks import Partition, Watermarks

log = logging.getLogger(__name__)
UPSTREAM = "liandong"
PARKED = "parked behind an earlier dead letter of its aggregate"
# A database that cannot be reached is not the message's fault: retry, never dead-letter.
UNAVAILABLE = (
    psycopg.OperationalError,
    psycopg.InterfaceError,
    psycopg_pool.PoolTimeout,
    sqlite3.OperationalError,
)
WATERMARK_SECONDS = 0.02
PARKED_REFRESH_SECONDS = 5.0


class Projector(ConsumerLoop):
    # The database may come back, and a batch refused as a whole is tried again one by one.
    retried = (Exception,)

    def __init__(
        self,
        store: ViewStore,
        settings: Settings,
        relay_position: RelayPosition,
        known: Mapping[str, int],
        dead_letters: DeadLetters,
        watermarks: Watermarks,
    ) -> None:
        super().__init__(f"projector {store.tracking_name}")
        self.store = store
        self.settings = settings
        self.relay_position = relay_position
        self.known = known
        self.dead_letters = dead_letters
        self.watermarks = watermarks
        self.topics = kafka.topics(settings, view_kinds(store))
        self.parked: set[str] = set()
        self.assigned: frozenset[Any] = frozenset()
        self._last_watermark = 0.0
        self._last_parked = 0.0

    # Running --------------------------------------------------------------------------------

    def run_once(self, timeout_ms: int = 200) -> int:
        """Applies one poll's records; answers how many messages it handled."""
        consumer = self._consumer()
        batch = consumer.poll(timeout_ms=timeout_ms)
        self._follow_assignment(consumer)
        self._refresh_parked()
        messages = [m for tp in sorted(batch) for m in batch[tp]]
        if messages:
            self.handle(messages)
            consumer.commit()
        self._advance_watermarks(consumer)
        return len(messages)

    def handle(self, messages: Sequence[Any]) -> None:
        """Applies what can be applied and records the rest as dead letters. Parking takes effect
        only once the dead letters are stored, so a failing database parks nothing."""
        parked = set(self.parked)
        good, letters = self._sort(messages, parked)
        try:
            self.store.apply_unordered([record for _, record in good], UPSTREAM)
        except UNAVAILABLE:
            raise
        except Exception:
            log.exception("projector %s: batch refused; one by one", self.store.tracking_name)
            letters += self._apply_singly(good, parked)
        self.dead_letters.record(letters)
        self.parked = parked

    # Parts ----------------------------------------------------------------------------------

    def _sort(
        self, messages: Sequence[Any], parked: set[str]
    ) -> tuple[list[tuple[Any, EventRecord]], list[Letter]]:
        good: list[tuple[Any, EventRecord]] = []
        letters: list[Letter] = []
        for message in messages:
            key = message.key.decode("utf-8", "replace") if message.key else None
            if key is not None and key in parked:
                letters.append(letter(message, PARKED))
                continue
            try:
                good.append((message, self._decode(message)))
            except wire.EnvelopeInvalid as error:
                letters.append(letter(message, str(error)))
                if key is not None:
                    parked.add(key)
        return good, letters

    def _decode(self, message: Any) -> EventRecord:
        record = wire.decode(message.value)
        newest = self.known.get(record.type)
        if newest is None:
            raise wire.EnvelopeInvalid(f"unknown event type {record.type!r}")
        if record.class_version > newest:
            raise wire.EnvelopeInvalid(
                f"{record.type} version {record.class_version} is newer than this code reads"
            )
        return record

    def _apply_singly(
        self, good: Sequence[tuple[Any, EventRecord]], parked: set[str]
    ) -> list[Letter]:
        letters = []
        for message, record in good:
            if record.aggregate_id in parked:
                letters.append(letter(message, PARKED, record))
                continue
            try:
                self.store.apply_unordered([record], UPSTREAM)
            except UNAVAILABLE:
                raise
            except Exception as error:
                letters.append(letter(message, f"{type(error).__name__}: {error}", record))
                parked.add(record.aggregate_id)
        return letters

    def _consumer(self) -> Any:
        if self.consumer is None:
            kafka.ensure_topics(self.settings)
            self.consumer = kafka.consumer(
                self.settings, kafka.group_id(self.settings, self.store.view.name)
            )
            self.consumer.subscribe(self.topics)
        return self.consumer

    def _follow_assignment(self, consumer: Any) -> None:
        assigned = frozenset(consumer.assignment())
        if assigned == self.assigned:
            return
        self.assigned = assigned
        # Parked aggregates live in the partitions now owned; re-read them from the table.
        self.parked = self.dead_letters.parked_keys()
        self.watermarks = Watermarks(self.watermarks.db, self.watermarks.view)
        self.watermarks.cover(self._all_partitions(consumer))
        log.info("projector %s owns %d partitions", self.store.tracking_name, len(assigned))

    def _refresh_parked(self) -> None:
        """A rebuild clears the dead letters it makes good; let their aggregates flow again."""
        now = time.monotonic()
        if now - self._last_parked >= PARKED_REFRESH_SECONDS:
            self._last_parked = now
            self.parked = self.dead_letters.parked_keys()

    def _all_partitions(self, consumer: Any) -> list[Partition]:
        return [
            Partition(topic, n)
            for topic in self.topics
            for n in sorted(consumer.partitions_for_topic(topic) or ())
        ]

    def _advance_watermarks(self, consumer: Any) -> None:
        now = time.monotonic()
        if not self.assigned or now - self._last_watermark < WATERMARK_SECONDS:
            return
        self._last_watermark = now
        relay_position, offsets = self.relay_position.snapshot()
        ends = {
            Partition(tp.topic, tp.partition): offsets.get((tp.topic, tp.partition), 0)
            for tp in self.assigned
        }
        self.watermarks.snapshot(relay_position, ends)
        consumed = self._consumed(consumer)
        self.watermarks.advance(consumed.get)

    def _consumed(self, consumer: Any) -> dict[Partition, int]:
        """The next offset to apply in each partition owned; asked once for every snapshot."""
        return {
            Partition(tp.topic, tp.partition): int(consumer.position(tp)) for tp in self.assigned
        }

    def _forget_assignment(self) -> None:
        self.assigned = frozenset()


def view_kinds(store: ViewStore) -> list[str]:
    """The topic kinds carrying the event types the view handles."""
    kinds = {catalogue.TOPIC_OF.get(t.split(".", 1)[0]) for t in store.view.handlers}
    return sorted(k for k in kinds if k)
