"""Rebuilding the case view: time and peak memory, at 50,000 and 100,000 stored events.

Measured: `liandong rebuild cases` as a child process (its own peak resident memory read from
wait4's ru_maxrss when it exits), on PostgreSQL in a database made for the run and dropped
afterwards, with topics of the run's own. The store holds the demo district and registered
cases: first 50,000 events, then 100,000. Then, with all 100,000 relayed to Kafka, the
Kafka-fed rebuild (`--from kafka`), and `liandong project` filling an empty views database of
its own (timed from its start, group join included, until the view reaches the head, then
stopped).

Baseline, same server and same run: bare psycopg reading all 100,000 stored event rows from the
store's events table in order, streamed through a server-side cursor 1,000 rows at a time.

Goals: the rebuild from the store of 100,000 events takes at most 30 s; every child's peak RSS is
at most 300 MB; the rebuild's peak RSS at 100,000 events is at most 1.10 of that at 50,000.
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from bench.backbone_setup import (
    Exited,
    deployment,
    fill_store,
    process_env,
    relay_all,
    run_cli,
    start_cli,
    tail,
    wait_measured,
)
from bench.commands import bench_database, describe_server
from bench.figures import rate_line, verdict
from services import watermarks
from services.bootstrap import Container, build_relay
from services.database import open_database

DATABASE = "liandong_bench_rebuild"
VIEWS_DATABASE = "liandong_bench_rebuild_views"
SMALL, LARGE = 50_000, 100_000
FETCH = 1_000
GOAL_SECONDS = 30.0
GOAL_RSS_MB = 300.0
GOAL_GROWTH = 1.10
PROJECT_TIMEOUT = 300.0


def rebuild(container: Container, *source: str) -> Exited:
    env = process_env(container.settings)
    return run_cli(["rebuild", "cases", *source], env, container.settings.var_dir / "rebuild.log")


def baseline(container: Container) -> float:
    """Seconds to stream every stored event row through a server-side cursor."""
    recorder: Any = container.app.recorder
    table = recorder.events_table_name
    with psycopg.connect(container.settings.database_url) as conn:
        started = time.perf_counter()
        with conn.cursor(name="every_event") as cursor:
            cursor.itersize = FETCH
            cursor.execute(f"SELECT * FROM {table} ORDER BY notification_id")
            rows = sum(1 for _ in cursor)
        seconds = time.perf_counter() - started
    assert rows == container.app.head_position(), rows
    return seconds


def project(container: Container, views_url: str) -> Exited:
    """`liandong project` into an empty views database until it reaches the head, then
    stopped as a deployment stops it (SIGTERM)."""
    head = container.app.head_position()
    log = container.settings.var_dir / "project.log"
    env = process_env(container.settings, LIANDONG_VIEWS_DATABASE_URL=views_url)
    views = open_database(views_url, 1)
    started = time.perf_counter()
    process = start_cli(["project"], env, log)
    try:
        reached = caught_up(process, log, lambda: watermarks.view_position(views, "cases") >= head)
    finally:
        views.close()
        process.terminate()
        killer = threading.Timer(30, process.kill)
        killer.start()
        exited = wait_measured(process, started)
        killer.cancel()
    return Exited(exited.returncode, reached - started, exited.peak_mb)


def caught_up(process: subprocess.Popen[bytes], log: Path, done: Callable[[], bool]) -> float:
    """Waits until `done()`; answers the moment it was seen."""
    deadline = time.monotonic() + PROJECT_TIMEOUT
    while not done():
        if process.poll() is not None:
            raise SystemExit(f"liandong project exited:\n{tail(log)}")
        if time.monotonic() > deadline:
            raise SystemExit(f"the projector did not reach the head:\n{tail(log)}")
        time.sleep(0.05)
    return time.perf_counter()


@dataclass(frozen=True)
class Figures:
    """One child's run: what it did, over how many events, how it ended."""

    label: str
    events: int
    exited: Exited

    def line(self) -> str:
        rate = rate_line(self.label, self.events, self.exited.seconds)
        return f"{rate}  peak RSS {self.exited.peak_mb:5.0f} MB"


def goal_lines(small: Figures, large: Figures, peak_mb: float) -> list[str]:
    seconds, growth = large.exited.seconds, large.exited.peak_mb / small.exited.peak_mb
    return [
        verdict(
            "rebuild, 100,000 events",
            f"{seconds:.1f} s",
            f"<= {GOAL_SECONDS:.0f} s",
            seconds <= GOAL_SECONDS,
        ),
        verdict(
            "largest peak RSS",
            f"{peak_mb:.0f} MB",
            f"<= {GOAL_RSS_MB:.0f} MB",
            peak_mb <= GOAL_RSS_MB,
        ),
        verdict(
            "rebuild RSS 100,000 / 50,000",
            f"{growth:.2f}",
            f"<= {GOAL_GROWTH:.2f}",
            growth <= GOAL_GROWTH,
        ),
    ]


def report(server: str, base: float, runs: list[Figures]) -> None:
    small, large = runs[0], runs[1]
    lines = [f"rebuilding the case view on {server}"]
    lines.append(rate_line("baseline  server-side cursor over all events", LARGE, base, "rows"))
    lines += [run.line() for run in runs]
    lines.append(f"ratio     rebuild (100,000) / baseline rate: {base / large.exited.seconds:.2f}")
    lines += goal_lines(small, large, max(run.exited.peak_mb for run in runs))
    print("\n".join(lines))


def main() -> None:
    with deployment(DATABASE) as container, bench_database(VIEWS_DATABASE) as views_url:
        with psycopg.connect(container.settings.database_url) as conn:
            server = describe_server(conn)
        fill_store(container.app, SMALL)
        runs = [Figures("rebuild from store", SMALL, rebuild(container))]
        fill_store(container.app, LARGE)
        base = baseline(container)
        runs.append(Figures("rebuild from store", LARGE, rebuild(container)))
        relay = build_relay(container)
        relay_all(relay)
        relay.close()
        runs.append(Figures("rebuild --from kafka", LARGE, rebuild(container, "--from", "kafka")))
        runs.append(Figures("project into empty views", LARGE, project(container, views_url)))
    report(server, base, runs)


if __name__ == "__main__":
    main()
