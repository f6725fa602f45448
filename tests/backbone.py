"""Helpers for the tests of the event backbone: a Kafka-mode deployment on PostgreSQL with its
own topics, running the relay and projectors in process, and views compared row by row."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import Tracking
from kafka import KafkaConsumer, TopicPartition

from projections.records import to_record
from projections.view import View
from services import kafka, wire
from services.bootstrap import VIEWS, Container
from services.settings import Settings
from services.viewstore import ViewStore
from tests.audit_support import AUDIT_KEY
from tests.conftest import SECRET
from tests.scenarios import filed_office_case


def kafka_settings(store_url: str, bootstrap: str, var_dir: Any, **changes: Any) -> Settings:
    """Settings of a deployment with topics of its own, so tests share one broker safely."""
    values: dict[str, Any] = dict(
        database_url=store_url,
        jwt_secret=SECRET,
        var_dir=var_dir,
        kafka_bootstrap=bootstrap,
        kafka_topic_prefix=f"t{uuid.uuid4().hex[:10]}.",
        kafka_partitions=4,
        relay_batch_size=500,
        audit_signing_key=AUDIT_KEY,
    )
    values.update(changes)
    return Settings(**values)


def eventually(check: Callable[[], bool], timeout: float = 30, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def relay_everything(relay: Any) -> None:
    while relay.run_once():
        pass


def project_until_current(container: Container, projector: Any, timeout: float = 30) -> None:
    head = container.app.head_position()
    deadline = time.monotonic() + timeout
    while container.view_positions()[projector.store.tracking_name] < head:
        if time.monotonic() > deadline:
            raise AssertionError(f"the projector did not reach position {head}")
        projector.run_once(timeout_ms=100)


@contextmanager
def running(*workers: Any) -> Iterator[None]:
    threads = [threading.Thread(target=w.run, daemon=True) for w in workers]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        for worker in workers:
            worker.stop()
        for thread in threads:
            thread.join(timeout=15)
        for worker in workers:
            worker.close()


def published(settings: Settings) -> list[Any]:
    """Every message on the deployment's topics, read from the beginning without a group until
    the topics stay quiet (not up to the broker's end offsets, which the local broker misstates
    for a batch of several messages)."""
    consumer = KafkaConsumer(bootstrap_servers=settings.kafka_servers(), enable_auto_commit=False)
    try:
        parts = [
            TopicPartition(topic, n)
            for topic in kafka.topics(settings)
            for n in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        consumer.assign(parts)
        consumer.seek_to_beginning(*parts)
        messages: list[Any] = []
        quiet = 0
        while quiet < 3:
            batches = consumer.poll(timeout_ms=300)
            quiet = 0 if batches else quiet + 1
            for batch in batches.values():
                messages += batch
        return messages
    finally:
        consumer.close()


def published_positions(app: Any) -> set[int]:
    """The positions of every stored event that goes on the wire."""
    notes = app.recorder.select_notifications(start=1, limit=1_000_000)
    records = (to_record(app.mapper.to_domain_event(n), n.id) for n in notes)
    return {r.position for r in records if wire.kind_of(r) is not None}


def replayed(container: Container, name: str = "cases") -> ViewStore:
    """The view built afresh from the store in global order, in tables of its own."""
    app = container.app
    store = ViewStore(container.views_db, VIEWS[name](suffix=f"_replay{uuid.uuid4().hex[:6]}"))
    store.create_tables()
    notes = app.recorder.select_notifications(start=1, limit=1_000_000)
    records = [to_record(app.mapper.to_domain_event(n), n.id) for n in notes]
    store.apply(records, Tracking(app.name, records[-1].position))
    return store


def rows(container: Container, view: View) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the view's tables, in a stable order."""
    with container.views_db.reading() as cursor:
        dump = {}
        for base, table in view.table.items():
            cursor.execute(f"SELECT * FROM {table}")
            dump[base] = sorted(tuple(str(v) for v in dict(r).values()) for r in cursor.fetchall())
        return dump


def history(app: Any, filed_cases: int) -> None:
    """A mixed history: cases taken through filing approval, each with a numbered decision."""
    for _ in range(filed_cases):
        filed_office_case(app)


def bulk_cases(app: Any, count: int, chunk: int = 250) -> None:
    """Many registered cases saved a chunk per transaction: a long history, quickly."""
    from uuid import uuid4

    from domain.case import Case
    from tests.scenarios import case_details, person

    actor = person(app, "wang-fang")
    unit = app.directory.path(actor.agency_code)
    calendar = app.calendar()
    for start in range(0, count, chunk):
        cases = [
            Case.register(
                case_id=uuid4(),
                actor=actor,
                unit=unit,
                details=case_details(),
                calendar=calendar,
                at=app.clock(),
            )
            for _ in range(min(chunk, count - start))
        ]
        app.save(*cases)


def process_env(settings: Settings) -> dict[str, str]:
    """The environment that gives a `liandong` child process these settings."""
    import os

    inherited = {k: v for k, v in os.environ.items() if not k.startswith("LIANDONG_")}
    return {**inherited, **settings.environment()}


@contextmanager
def deployed(
    postgres_url: str, bootstrap: str, var_dir: Any, **changes: Any
) -> Iterator[Container]:
    """A seeded Kafka-mode deployment on a fresh PostgreSQL schema, closed afterwards."""
    from services.bootstrap import build
    from services.demo import seed
    from tests.support import reset_schema

    reset_schema(postgres_url)
    container = build(kafka_settings(postgres_url, bootstrap, var_dir, **changes))
    try:
        seed(container.app)
        yield container
    finally:
        container.close()
