"""What the benchmarks reading a view share: `liandong serve` on the bench database, requests
timed one after another on one keep-alive connection, the view's statements replayed with bare
psycopg, and the report's lines.

The bare statements go unprepared, planned afresh each time, as the service's are: psycopg
forgets its prepared statements at a rollback, and every read of the views ends with one. (A
prepared statement would soon run PostgreSQL's generic plan, which can differ.)
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg

from bench.client import Connection, request
from bench.commands import bench_database, describe_server, timed
from bench.district import Shape
from bench.figures import Run, verdict
from bench.http import HOST, stop, wait_until_healthy
from projections.deadlines import now_key
from services.bootstrap import Container, build
from services.database import to_psycopg
from services.settings import Settings

PROJECT = Path(__file__).resolve().parent.parent
REQUESTS = 500
WARM_UP = 50

Statement = tuple[str, Mapping[str, Any] | None]


@dataclass(frozen=True)
class Phase:
    """One endpoint's timings, and answers other than 200 (with the first such body)."""

    run: Run
    failures: Counter[int]
    sample: str


# The server ------------------------------------------------------------------------------


def server_env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIANDONG_")}
    env.update(
        LIANDONG_DATABASE_URL=settings.database_url,
        LIANDONG_JWT_SECRET=settings.jwt_secret or "",
        LIANDONG_VAR_DIR=str(settings.var_dir),
        PYTHONUNBUFFERED="1",
    )
    return env


@contextmanager
def bench_stack(database: str) -> Iterator[tuple[str, Settings, Container]]:
    """A fresh benchmark database and the service's container on it (its views fed by the
    benchmark, not by the runner): (its URL, the settings, the container)."""
    with bench_database(database) as url, tempfile.TemporaryDirectory() as var_dir:
        settings = Settings(
            database_url=url, jwt_secret=secrets.token_urlsafe(32), var_dir=Path(var_dir)
        )
        container = build(settings, run_views=False)
        try:
            yield url, settings, container
        finally:
            container.close()


def described_server(url: str) -> str:
    with psycopg.connect(url) as conn:
        return describe_server(conn)


@contextmanager
def server(settings: Settings, port: int) -> Iterator[subprocess.Popen[bytes]]:
    """`liandong serve` on the bench database (projection runner on), stopped on leaving."""
    command = [sys.executable, "-m", "services.cli", "serve", "--host", HOST, "--port", str(port)]
    log = settings.var_dir / "server.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command, cwd=PROJECT, env=server_env(settings), stdout=out, stderr=subprocess.STDOUT
        )
        try:
            wait_until_healthy(port, process, log)
            yield process
        finally:
            stop(process)


# Over HTTP -------------------------------------------------------------------------------


def get(port: int, path: str, token: str | None = None) -> bytes:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return request("GET", path, f"{HOST}:{port}", headers)


async def sequential(port: int, prepared: list[bytes], count: int) -> Phase:
    """`count` requests one after another on one keep-alive connection, cycling `prepared`."""
    connection = await Connection.open(HOST, port)
    latencies: list[float] = []
    failures: Counter[int] = Counter()
    samples: list[bytes] = []
    started = time.perf_counter()
    for n in range(count):
        before = time.perf_counter()
        status, body = await connection.exchange(prepared[n % len(prepared)])
        latencies.append(time.perf_counter() - before)
        if status != 200:
            failures[status] += 1
            samples.append(body)
    seconds = time.perf_counter() - started
    await connection.close()
    sample = samples[0].decode(errors="replace")[:300] if samples else ""
    return Phase(Run(count, seconds, latencies), failures, sample)


async def each_timed(port: int, requests: dict[str, list[bytes]]) -> dict[str, Phase]:
    """Each endpoint (its label, the requests it cycles) warmed up, then timed."""
    phases = {}
    for label, prepared in requests.items():
        await sequential(port, prepared, WARM_UP)
        phases[label] = await sequential(port, prepared, REQUESTS)
    return phases


# With bare psycopg -----------------------------------------------------------------------


class Recording:
    """A cursor for the view's query methods that runs their statements on a bare psycopg
    cursor and keeps them, to be replayed without the view."""

    def __init__(self, cursor: psycopg.Cursor[Any]) -> None:
        self.cursor = cursor
        self.statements: list[Statement] = []

    def execute(self, statement: str, params: Mapping[str, Any] | None = None) -> Any:
        self.statements.append((to_psycopg(statement), params))
        return self.cursor.execute(to_psycopg(statement), params)

    def fetchone(self) -> Mapping[str, Any] | None:
        return self.cursor.fetchone()

    def fetchall(self) -> Sequence[Mapping[str, Any]]:
        return self.cursor.fetchall()


def statements_of(conn: psycopg.Connection[Any], query: Callable[[Any], object]) -> list[Statement]:
    with conn.cursor() as cursor:
        recording = Recording(cursor)
        query(recording)
    return recording.statements


def replay(
    conn: psycopg.Connection[Any], statements: list[Statement], clock: Callable[[], datetime]
) -> Callable[[], None]:
    """The statements run again, each time with the present moment as `now`, as the view
    would run them."""

    def run() -> None:
        now = now_key(clock())
        for statement, params in statements:
            fresh = dict(params, now=now) if params and "now" in params else params
            conn.execute(statement, fresh, prepare=False).fetchall()

    return run


def by_primary_key(conn: psycopg.Connection[Any], statement: str, key: str) -> object:
    return conn.execute(statement, {"id": key}, prepare=False).fetchone()


def warmed(operation: Callable[[], object]) -> Run:
    timed(operation, WARM_UP)
    return timed(operation, REQUESTS)


# In process ------------------------------------------------------------------------------


def in_view(container: Container, queries: Mapping[str, Callable[[Any], object]]) -> dict[str, Run]:
    """Each of a view's query methods (called with a reading cursor) timed as the routes call
    them, on the container's pool."""

    def reading(query: Callable[[Any], object]) -> Callable[[], None]:
        def run() -> None:
            with container.views_db.reading() as cursor:
                query(cursor)

        return run

    return {label: warmed(reading(query)) for label, query in queries.items()}


def pages_of(
    page: Callable[[int], Sequence[Mapping[str, Any]]],
) -> list[Sequence[Mapping[str, Any]]]:
    """Every page of a list, as a client pages through it: `page(before)` answers the items
    before a cursor, newest first, each with its own `cursor`."""
    pages = []
    found = page(2**62)
    while found:
        pages.append(found)
        found = page(int(str(found[-1]["cursor"])))
    return pages


# The report ------------------------------------------------------------------------------


def line(label: str, run: Run) -> str:
    p = run.percentile_ms
    return (
        f"{label:<42} p50 {p(0.50):6.2f} ms  p95 {p(0.95):6.2f} ms  p99 {p(0.99):6.2f} ms"
        f"  {run.rate:>6,.0f}/s"
    )


def setup_lines(shape: Shape, what: str) -> list[str]:
    """What the set-up made (`what` its aggregates are) and how long each part took."""
    total = sum(shape.seconds.values())
    lines = [
        f"set-up: {shape.agencies} agencies, {shape.aggregates:,} {what}, "
        f"{shape.events:,} stored events, in {total:.1f} s (not measured):"
    ]
    lines += [f"{'':<8}{label:<44} {s:7.1f} s" for label, s in shape.seconds.items()]
    return lines


def ratio_line(http: dict[str, Phase], measured: str, baseline: str) -> str:
    """The measured endpoint's latency over the baseline's, same run, same server."""
    ours, theirs = http[measured].run.percentile_ms, http[baseline].run.percentile_ms
    return (
        f"ratio     {measured} / {baseline}: p50 {ours(0.50) / theirs(0.50):.2f}"
        f"  p95 {ours(0.95) / theirs(0.95):.2f}"
    )


def p95_verdicts(http: dict[str, Phase], goals: Mapping[str, str], goal_ms: float) -> list[str]:
    """For each goal's name, whether its endpoint's (`goals[name]`) p95 is within `goal_ms`."""
    lines = []
    for name, label in goals.items():
        p95 = http[label].run.percentile_ms(0.95)
        lines.append(verdict(name, f"{p95:.1f} ms", f"<= {goal_ms:.0f} ms", p95 <= goal_ms))
    return lines


def http_lines(phases: dict[str, Phase], requests: int = REQUESTS) -> list[str]:
    lines = [f"over HTTP, one uvicorn worker, one keep-alive client, {requests:,} in sequence:"]
    for label, phase in phases.items():
        lines.append(line(f"  {label}", phase.run))
        if phase.failures:
            answers = ", ".join(f"{n} x {s}" for s, n in sorted(phase.failures.items()))
            lines.append(f"{'':<10}unexpected answers: {answers}; the first: {phase.sample}")
    return lines
