"""Relay throughput: 50,000 stored events onto Kafka, against a bare producer.

Measured: a store of 50,000 events (the demo district, then registered cases saved many per
transaction) on PostgreSQL, in a database made for the run and dropped afterwards, with topics of
the run's own on the local broker. `Relay.run_once()` is called until the relay's recorded
position reaches the head: each batch read from the store, every event mapped, wrapped in its
CloudEvents envelope and sent, the producer flushed and each acknowledgement checked, then the
position and the partitions' offsets recorded. Once with the default batch (relay_batch_size
2,000) and once with 5,000, each with topics and a relay position of its own. The topics exist
before the clock starts; the producer is made inside the timing, as on the relay's first batch.

Baseline, same broker, same run: a bare kafka-python KafkaProducer with the relay's configuration
(services.kafka.producer: acks=all, idempotent, linger 5 ms, 256 KiB batches), made inside the
timing, sending 50,000 messages with values as large as the relay's envelopes on average (and
keys and headers of the same shape) to a topic with as many partitions, then one flush. It runs
before and after the relay; the faster run counts.

Goal: the relay's rate with the default batch is at least 0.5 of the baseline's.
"""

from __future__ import annotations

import time
import uuid

import psycopg
from kafka.admin import KafkaAdminClient

from bench.backbone_setup import deployment, fill_store, relay_all, with_changes
from bench.commands import describe_server
from bench.figures import rate_line, verdict
from projections.records import to_record
from services import kafka, wire
from services.bootstrap import Container
from services.relay import Relay, RelayPosition, relay_name
from services.settings import Settings

DATABASE = "liandong_bench_relay"
EVENTS = 50_000
BATCHES = (2_000, 5_000)
DEFAULT_BATCH = 2_000
GOAL_RATIO = 0.5
SAMPLE_BATCH = 5_000


def relay_for(container: Container, settings: Settings) -> Relay:
    position = RelayPosition(container.store_db, relay_name(settings))
    position.create_table()
    return Relay(container.app, position, settings)


def timed_relay(container: Container, batch: int) -> float:
    """A relay with topics of its own and this batch size, from position 0 to the head."""
    settings = with_changes(
        container.settings, relay_batch_size=batch, kafka_topic_prefix=f"r{uuid.uuid4().hex[:10]}."
    )
    kafka.ensure_topics(settings)
    relay = relay_for(container, settings)
    started = time.perf_counter()
    relay_all(relay)
    seconds = time.perf_counter() - started
    relay.close()
    return seconds


def envelope_sizes(relay: Relay) -> tuple[int, float]:
    """How many events the relay publishes and their envelopes' mean size, as it encodes them."""
    app, count, total, after = relay.app, 0, 0, 0
    while notes := app.recorder.select_notifications(start=after + 1, limit=SAMPLE_BATCH):
        for note in notes:
            record = to_record(app.mapper.to_domain_event(note), note.id)
            if wire.kind_of(record) is not None:
                source = relay.settings.event_source
                total += len(wire.encode(record, source, relay.concerns.of(record)))
                count += 1
        after = notes[-1].id
    return count, total / count


def baseline(settings: Settings, messages: int, value_size: int) -> float:
    """Seconds for the bare producer to send `messages` and flush them."""
    topic = f"{settings.kafka_topic_prefix}baseline{uuid.uuid4().hex[:6]}"
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_servers())
    try:
        admin.create_topics([kafka.new_topic(settings, topic)])
    finally:
        admin.close()
    value = b"x" * value_size
    headers = [("ce_type", b"liandong.Case.Registered"), ("position", b"12345")]
    keys = [str(uuid.uuid4()).encode() for _ in range(messages)]
    started = time.perf_counter()
    producer = kafka.producer(settings)
    for key in keys:
        producer.send(topic, key=key, value=value, headers=headers)
    producer.flush(timeout=120)
    seconds = time.perf_counter() - started
    producer.close(timeout=5)
    return seconds


def report(
    server: str, published: int, size: float, baselines: list[float], relays: dict[int, float]
) -> None:
    best = min(baselines)
    base_rate = published / best
    print(f"relay on {server}, {EVENTS:,} stored events, {published:,} published")
    print(f"mean envelope value: {size:,.0f} bytes")
    for n, seconds in enumerate(baselines, start=1):
        print(rate_line(f"baseline  bare KafkaProducer, run {n}", published, seconds, "msgs"))
    for batch, seconds in relays.items():
        label = f"relay     batch {batch:,}{' (default)' if batch == DEFAULT_BATCH else ''}"
        line = rate_line(label, EVENTS, seconds)
        print(f"{line}  ratio {EVENTS / seconds / base_rate:.2f}")
    ratio = EVENTS / relays[DEFAULT_BATCH] / base_rate
    print(f"ratio     relay (batch {DEFAULT_BATCH:,}) / baseline: {ratio:.2f}")
    met = ratio >= GOAL_RATIO
    print(verdict("relay rate / producer rate", f"{ratio:.2f}", f">= {GOAL_RATIO}", met))


def main() -> None:
    with deployment(DATABASE) as container:
        fill_store(container.app, EVENTS)
        with psycopg.connect(container.settings.database_url) as conn:
            server = describe_server(conn)
        first = relay_for(container, container.settings)
        published, size = envelope_sizes(first)
        baselines = [baseline(container.settings, published, round(size))]
        relays = {batch: timed_relay(container, batch) for batch in BATCHES}
        baselines.append(baseline(container.settings, published, round(size)))
    report(server, published, size, baselines, relays)


if __name__ == "__main__":
    main()
