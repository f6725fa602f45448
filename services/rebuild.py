"""Rebuilding a view from scratch while the live one keeps answering.

The rebuild fills fresh tables (the view's tables with a suffix) from the event store, or from
the Kafka topics, then catches up with the store and, holding the view's lock, applies the last
events, swaps the new tables in under the live names and hands over the tracking rows. Queries
see the old view until the swap commits and the new one after; no event is missed or doubled.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

from eventsourcing.persistence import Tracking
from kafka import TopicPartition

from projections.records import EventRecord
from projections.view import Cursor
from services import kafka, wire
from services.bootstrap import VIEWS, Container
from services.progress import Progress
from services.projector import UPSTREAM, view_kinds
from services.stored_records import RecordReader
from services.viewstore import ViewStore

BATCH = 1000
INDEX_NAME = re.compile(r"CREATE INDEX IF NOT EXISTS (\S+) ON")
MOVE_TRACKING = ("view_tracking", "view_versions", "view_schema")
CLEAR_DEAD_LETTERS = "DELETE FROM dead_letters WHERE view = :view"


class Rebuild:
    def __init__(self, container: Container, name: str, progress: Progress) -> None:
        self.container = container
        self.app = container.app
        self.db = container.views_db
        self.live = next(s for s in container.stores if s.view.name == name)
        suffix = f"_rebuild{int(time.time() * 1000)}"
        self.fresh = ViewStore(self.db, VIEWS[name](suffix=suffix))
        self.progress = progress
        self.reader = RecordReader(self.app.mapper)
        self.skipped = 0

    def run(self, source: str = "store") -> int:
        """Rebuilds and swaps; answers the position the rebuilt view had reached at the swap."""
        self.fresh.create_tables()
        self.progress.start(
            f"rebuilding {self.live.view.name} from {source}", self.app.head_position()
        )
        if source == "kafka":
            position = self._from_kafka()
        else:
            position = self._from_store(0, until=self.app.head_position())
        position = self._from_store(position, until=self.app.head_position())
        head = self._swap(position)
        skipped = f"; {self.skipped} unreadable messages skipped" if self.skipped else ""
        self.progress.finish(f"{self.live.view.name} swapped in at position {head}{skipped}")
        return head

    # Filling --------------------------------------------------------------------------------

    def _from_store(self, after: int, until: int) -> int:
        """Applies stored events after `after` up to `until` in batches; answers the last one."""
        for records in self._stored(after, until):
            self.fresh.apply_unordered_tracked(records, self.app.name)
            after = records[-1].position
            self.progress.to(after)
        return after

    def _stored(self, after: int, until: int | None) -> Iterator[list[EventRecord]]:
        while until is None or after < until:
            notes = self.app.recorder.select_notifications(
                start=after + 1, limit=BATCH, stop=until, inclusive_of_start=True
            )
            if not notes:
                return
            yield [self.reader.record(n, n.id) for n in notes]
            after = notes[-1].id

    def _from_kafka(self) -> int:
        """Reads the view's topics from the beginning up to the offsets the relay recorded with
        its position R; every event up to R is among them. Answers R."""
        settings = self.container.settings
        relayed, offsets = self.container.relay_position().snapshot()
        consumer = kafka.consumer(settings, None)
        try:
            parts = [
                TopicPartition(topic, n)
                for topic in kafka.topics(settings, view_kinds(self.fresh))
                for n in sorted(consumer.partitions_for_topic(topic) or ())
            ]
            consumer.assign(parts)
            consumer.seek_to_beginning(*parts)
            self._consume(consumer, {tp: offsets.get((tp.topic, tp.partition), 0) for tp in parts})
        finally:
            consumer.close(autocommit=False)
        return relayed

    def _consume(self, consumer: Any, ends: dict[Any, int]) -> None:
        while any(consumer.position(tp) < end for tp, end in ends.items()):
            batch = consumer.poll(timeout_ms=500)
            records = [
                record
                for tp in batch
                for m in batch[tp]
                if m.offset < ends[tp] and (record := self._readable(m)) is not None
            ]
            if records:
                self.fresh.apply_unordered(records, UPSTREAM)
                self.progress.to(max(r.position for r in records))

    def _readable(self, message: Any) -> EventRecord | None:
        """A message that is none of our events was never stored: the store has the truth,
        and the catch-up from it fills in anything the topics lack."""
        try:
            return wire.decode(message.value or b"")
        except wire.EnvelopeInvalid:
            self.skipped += 1
            return None

    # Swapping -------------------------------------------------------------------------------

    def _swap(self, position: int) -> int:
        with self.db.transaction(pipelined=True) as cursor:
            self.live.lock(cursor, exclusive=True)
            head = self._last_events(cursor, position)
            self._replace_tables(cursor)
            self._hand_over_tracking(cursor)
            # The rebuilt view holds every stored event: nothing is parked any more.
            cursor.execute(CLEAR_DEAD_LETTERS, {"view": self.live.tracking_name})
        return head

    def _last_events(self, cursor: Cursor, position: int) -> int:
        """The events stored since the catch-up, applied inside the swap's transaction."""
        head = max(self.app.head_position(), position)
        records = [r for batch in self._stored(position, head) for r in batch]
        self.fresh.apply_unordered_in(cursor, records, self.app.name)
        self.fresh.track_in(cursor, Tracking(self.app.name, head))
        return head

    def _replace_tables(self, cursor: Cursor) -> None:
        live, fresh = self.live.view, self.fresh.view
        for base in live.tables:
            cursor.execute(f"DROP TABLE IF EXISTS {live.table[base]}")
            cursor.execute(f"ALTER TABLE {fresh.table[base]} RENAME TO {live.table[base]}")
        for statement in fresh.ddl():
            index = INDEX_NAME.match(statement)
            if index:
                cursor.execute(f"DROP INDEX IF EXISTS {index.group(1)}")
        for statement in live.ddl():
            cursor.execute(statement)

    def _hand_over_tracking(self, cursor: Cursor) -> None:
        for table in MOVE_TRACKING:
            params = {"live": self.live.tracking_name, "fresh": self.fresh.tracking_name}
            cursor.execute(f"DELETE FROM {table} WHERE view = :live", params)
            cursor.execute(f"UPDATE {table} SET view = :live WHERE view = :fresh", params)


def rebuild(
    container: Container, names: list[str], source: str, progress: Callable[[], Progress]
) -> dict[str, int]:
    return {name: Rebuild(container, name, progress()).run(source) for name in names}
