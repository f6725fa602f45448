"""How far a Kafka-fed view has got in the store's global order, for `?min_position=`.

Events reach a projector in order per partition, not globally, so "the view has applied position
N" is proven this way: the relay records, with its acknowledged position R, the offset E after
its last acknowledged message in each partition, so every event up to R lies below E. Once the
projector has applied a partition up to its E, that partition has nothing at or below R left to
apply: its watermark is R. The view's position is the lowest watermark over all its partitions,
whichever process owns them. (The relay's own offsets, not the broker's end offsets, so that a
message published after R cannot hold the proof back, and brokers that misreport end offsets
cannot mislead it.)
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from services.database import Database

DDL = (
    "CREATE TABLE IF NOT EXISTS view_watermarks ("
    " view TEXT NOT NULL, topic TEXT NOT NULL, kafka_partition INTEGER NOT NULL,"
    " position BIGINT NOT NULL, PRIMARY KEY (view, topic, kafka_partition))"
)
ENSURE = (
    "INSERT INTO view_watermarks (view, topic, kafka_partition, position)"
    " VALUES (:view, :topic, :partition, 0) ON CONFLICT DO NOTHING"
)
ADVANCE = (
    "UPDATE view_watermarks SET position = :position WHERE view = :view AND topic = :topic"
    " AND kafka_partition = :partition AND position < :position"
)
VIEW_POSITION = "SELECT MIN(position) AS position FROM view_watermarks WHERE view = :view"
MOST_SNAPSHOTS = 64


@dataclass(frozen=True)
class Partition:
    topic: str
    partition: int


@dataclass(frozen=True)
class Snapshot:
    relay_position: int
    end_offsets: Mapping[Partition, int]


class Watermarks:
    def __init__(self, db: Database, view: str) -> None:
        self.db = db
        self.view = view
        self.marks: dict[Partition, int] = {}
        self._snapshots: deque[Snapshot] = deque(maxlen=MOST_SNAPSHOTS)

    def create_table(self) -> None:
        with self.db.transaction() as cursor:
            cursor.execute(DDL)

    def cover(self, partitions: Iterable[Partition]) -> None:
        """Every partition of the view's topics gets a row, so the minimum waits for all."""
        with self.db.transaction() as cursor:
            for p in partitions:
                cursor.execute(ENSURE, self._key(p))

    def snapshot(self, relay_position: int, end_offsets: Mapping[Partition, int]) -> None:
        self._snapshots.append(Snapshot(relay_position, dict(end_offsets)))

    def advance(self, consumed: Callable[[Partition], int | None]) -> None:
        """`consumed(p)` is the next offset the projector will apply in p (all below are done),
        or None where it does not own p. Raises each partition's mark as far as proven."""
        raised: dict[Partition, int] = {}
        for snap in self._snapshots:
            for p, end in snap.end_offsets.items():
                offset = consumed(p)
                if offset is None or offset < end:
                    continue
                if snap.relay_position > self.marks.get(p, 0):
                    self.marks[p] = raised[p] = snap.relay_position
        self._drop_reached(consumed)
        if raised:
            self._store(raised)

    def _drop_reached(self, consumed: Callable[[Partition], int | None]) -> None:
        while self._snapshots and all(
            (consumed(p) or 0) >= end for p, end in self._snapshots[0].end_offsets.items()
        ):
            self._snapshots.popleft()

    def _store(self, raised: Mapping[Partition, int]) -> None:
        with self.db.transaction() as cursor:
            for p, position in raised.items():
                cursor.execute(ADVANCE, dict(self._key(p), position=position))

    def _key(self, p: Partition) -> dict[str, object]:
        return {"view": self.view, "topic": p.topic, "partition": p.partition}


def view_position(db: Database, view: str) -> int:
    try:
        with db.reading() as cursor:
            cursor.execute(VIEW_POSITION, {"view": view})
            row = cursor.fetchone()
    except Exception:  # no projector has made the table yet
        return 0
    return int(row["position"]) if row and row["position"] is not None else 0
