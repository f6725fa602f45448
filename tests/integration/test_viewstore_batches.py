"""A batch applied out of global order decides in one go which of its records apply: each once,
however often it repeats and however many events of one aggregate the batch holds; and the
aggregates' versions are read and advanced by one statement each, not one per record."""

from __future__ import annotations

import threading
import uuid
from typing import Any

from projections.cases import CaseView
from projections.records import EventRecord, to_record
from services.viewstore import ViewStore
from tests.backbone import replayed, rows
from tests.scenarios import filed_office_case

UPSTREAM = "liandong"


def stored(container: Any) -> list[EventRecord]:
    app = container.app
    notes = app.recorder.select_notifications(start=1, limit=100_000)
    return [to_record(app.mapper.to_domain_event(n), n.id) for n in notes]


def fresh_store(container: Any) -> ViewStore:
    store = ViewStore(container.views_db, CaseView(suffix=f"_b{uuid.uuid4().hex[:8]}"))
    store.create_tables()
    return store


def cases(records: list[EventRecord]) -> list[EventRecord]:
    return [r for r in records if r.type.startswith("Case.")]


class CountingCursor:
    """A cursor that counts the statements touching the per-aggregate versions."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.versions = 0

    def execute(self, statement: str, *params: Any) -> Any:
        self.versions += "view_versions" in statement
        return self.cursor.execute(statement, *params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.cursor, name)


def test_a_batch_with_repeats_applies_each_event_once(demo):
    for _ in range(3):
        filed_office_case(demo.app)  # four events each
    records = stored(demo)
    store = fresh_store(demo)
    # Each record twice in a row, then the whole history once more.
    batch = [r for r in records for _ in range(2)] + records

    applied = store.apply_unordered(batch, UPSTREAM)

    assert applied == [r for r in records if store.view.handler_for(r.type) is not None]
    assert len(cases(applied)) == 12
    assert rows(demo, store.view) == rows(demo, replayed(demo).view)


def test_a_later_batch_applies_only_what_the_earlier_ones_did_not(demo):
    for _ in range(2):
        filed_office_case(demo.app)
    records = stored(demo)
    store = fresh_store(demo)
    first, second = cases(records)[:2], cases(records)[4:6]
    store.apply_unordered(first + second, UPSTREAM)

    # Kafka delivers again from before the committed offsets: old and new events together.
    applied = store.apply_unordered(records, UPSTREAM)

    assert first[0] not in applied and second[1] not in applied
    assert cases(applied) == cases(records)[2:4] + cases(records)[6:]
    assert rows(demo, store.view) == rows(demo, replayed(demo).view)


def test_records_below_the_tracked_position_are_skipped_and_not_remembered(demo):
    filed_office_case(demo.app)
    records = cases(stored(demo))
    store = fresh_store(demo)
    store.apply_unordered_tracked(records[:2], UPSTREAM)  # tracks records[1].position

    applied = store.apply_unordered(records[:1] + records[2:], UPSTREAM)

    assert applied == records[2:]
    assert store.apply_unordered(records, UPSTREAM) == []


def test_two_appliers_at_once_apply_each_event_once(demo):
    # Two projectors of one group during a rebalance: both hold the same messages.
    for _ in range(10):
        filed_office_case(demo.app)
    records = stored(demo)
    store = fresh_store(demo)
    start = threading.Barrier(2)
    applied: list[list[EventRecord]] = [[], []]
    errors: list[Exception] = []

    def apply(n: int) -> None:
        start.wait()
        try:
            applied[n] = store.apply_unordered(records, UPSTREAM)
        except Exception as error:  # a second insert of a case row, say
            errors.append(error)

    threads = [threading.Thread(target=apply, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(r.position for r in applied[0] + applied[1]) == [
        r.position for r in records if store.view.handler_for(r.type) is not None
    ]
    assert rows(demo, store.view) == rows(demo, replayed(demo).view)


def test_versions_are_read_and_advanced_by_one_statement_each(demo):
    for _ in range(5):
        filed_office_case(demo.app)
    records = stored(demo)
    store = fresh_store(demo)
    with demo.views_db.transaction(pipelined=True) as cursor:
        counting = CountingCursor(cursor)
        applied = store.apply_unordered_in(counting, records + records, UPSTREAM)

    assert len(cases(applied)) == 20
    assert counting.versions == 2
