"""Projector throughput: one Kafka-fed view applying 50,000 events on PostgreSQL.

Measured: a store of 50,000 events (the demo district, then registered cases) on PostgreSQL, in
a database made for the run and dropped afterwards, with topics of the run's own. The case
view's projector (`build_projectors(container)[0]`) joins its consumer group while the topics
are still empty; then the relay publishes all 50,000 events, and `Projector.run_once()` is
called until `view_positions()['cases']` reaches the head: each poll's envelopes decoded, applied
in one transaction with the per-aggregate versions and the view's lock, the offsets committed,
the watermarks advanced. The clock starts with the first poll that brings messages, so the
group's first join is not in the timing.

Baseline, same server and same run: bare psycopg inserting 50,000 rows into a table made like
the view's case table (`LIKE ... INCLUDING ALL`, its indexes too), each row a copy of a projected
case row with its own id, in batches as large as the projector's median poll, with executemany
and one transaction per batch.

Goal: the projector applies at least 5,000 events/s (its ratio to the baseline is printed too).
"""

from __future__ import annotations

import statistics
import time
import uuid
from typing import Any

import psycopg

from bench.backbone_setup import deployment, fill_store, first_batch, join, relay_all
from bench.commands import describe_server
from bench.figures import rate_line, verdict
from projections.cases import CaseView
from services.bootstrap import Container, build_projectors, build_relay
from services.projector import Projector

DATABASE = "liandong_bench_projector"
EVENTS = 50_000
GOAL_RATE = 5_000
RUN_TIMEOUT = 300.0
BASELINE_TABLE = "bench_projector_baseline"


def project(container: Container, projector: Projector) -> tuple[float, list[int], float]:
    """Seconds from the first non-empty poll until the view reaches the head, the poll sizes,
    and the CPU this process used meanwhile (in cores)."""
    head = container.app.head_position()
    cpu = time.process_time()
    started, handled = first_batch(projector)
    sizes = [handled]
    while container.view_positions()["cases"] < head:
        if time.perf_counter() - started > RUN_TIMEOUT:
            raise SystemExit(f"the view did not reach {head} in {RUN_TIMEOUT:.0f} s")
        if handled := projector.run_once(timeout_ms=100):
            sizes.append(handled)
    seconds = time.perf_counter() - started
    return seconds, sizes, (time.process_time() - cpu) / seconds


def baseline(url: str, case_table: str, rows: int, batch: int) -> float:
    """Seconds for bare psycopg to insert `rows` copies of a case row, `batch` per commit."""
    with psycopg.connect(url) as conn:
        conn.execute(f"CREATE TABLE {BASELINE_TABLE} (LIKE {case_table} INCLUDING ALL)")
        sample = conn.execute(f"SELECT * FROM {case_table} LIMIT 1").fetchone()
        conn.commit()
        assert sample is not None, "the view holds no case"
        marks = ", ".join(["%s"] * len(sample))
        statement = f"INSERT INTO {BASELINE_TABLE} VALUES ({marks})"
        started = time.perf_counter()
        for start in range(0, rows, batch):
            chunk = [row(sample, n) for n in range(start, min(start + batch, rows))]
            with conn.cursor() as cursor:
                cursor.executemany(statement, chunk)
            conn.commit()
        return time.perf_counter() - started


def row(sample: tuple[Any, ...], n: int) -> tuple[Any, ...]:
    """The sample case row with its own id and positions."""
    _, number, status, procedure, agency, unit, _, version, _, doc = sample
    return (str(uuid.uuid4()), number, status, procedure, agency, unit, n, version, n, doc)


def report(server: str, seconds: float, sizes: list[int], cores: float, base: float) -> None:
    rate, base_rate = EVENTS / seconds, EVENTS / base
    batch = round(statistics.median(sizes))
    print(f"case-view projector on {server}, {EVENTS:,} events relayed to Kafka")
    print(
        f"{len(sizes)} polls with messages, {sum(sizes):,} messages, median poll {batch:,}; "
        f"this process used {cores:.2f} cores"
    )
    print(rate_line(f"baseline  bare psycopg executemany ({batch:,}/commit)", EVENTS, base, "rows"))
    print(rate_line("projector run_once to the head", EVENTS, seconds))
    print(f"ratio     projector / baseline: {rate / base_rate:.2f}")
    met = rate >= GOAL_RATE
    print(verdict("projector rate", f"{rate:,.0f} ev/s", f">= {GOAL_RATE:,} ev/s", met))


def main() -> None:
    with deployment(DATABASE) as container:
        url = container.settings.database_url
        fill_store(container.app, EVENTS)
        projector = build_projectors(container)[0]
        try:
            join(projector, lambda: bool(projector.assigned))
            relay = build_relay(container)
            relay_all(relay)
            relay.close()
            seconds, sizes, cores = project(container, projector)
        finally:
            projector.close()
        batch = round(statistics.median(sizes))
        base = baseline(url, container.view(CaseView).table["cases"], EVENTS, batch)
        with psycopg.connect(url) as conn:
            server = describe_server(conn)
    report(server, seconds, sizes, cores, base)


if __name__ == "__main__":
    main()
