"""Reading the referral view on PostgreSQL: a busy agency's inbox, and one referral by its id.

Set-up (timed apart, not measured): a database made for the run and dropped afterwards; a
district of 200 agencies with an officer each, 100,000 referrals among them in realistic states
(most sent, some acknowledged, accepted, rejected or answered, a tenth still drafts), one agency
(the district bureau) receiving 5% of them; the referral view built over all of it (see
bench.inbox_setup).

Measured: `liandong serve` on that database, one uvicorn worker in a process of its own, with
the projection runner on as when it is deployed; one keep-alive client in this process sends,
one after another after a warm-up, 500 each of: GET /v1/inbox as the bureau's officer with the
default filters (a page of 50 with the per-status counts), the same with `?overdue=true` and
with `?status=sent`, and GET /v1/referrals/{id} for referrals in that inbox. Latency
percentiles of each.

Baselines, same server and same run, to show where the time goes: GET /healthz (the HTTP stack
alone); the inbox's SQL (the page, the per-status counts, the page's deadlines) and the primary
key look-up `SELECT … FROM referrals_referrals WHERE id = %s` with bare psycopg on one
connection; the view's own query methods in this process (SQL and JSON decoding, no HTTP).

Goal: the inbox p95 latency is at most 25 ms.
"""

from __future__ import annotations

import asyncio
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from bench.client import Connection, request
from bench.commands import bench_database, describe_server
from bench.figures import Run, verdict
from bench.http import HOST, free_port, stop, wait_until_healthy
from bench.inbox_baselines import REQUESTS, WARM_UP, bare_sql, in_process
from bench.inbox_setup import BUSY, ROLES, SEED, Shape, make_district, officer_of
from projections.referrals import BoxQuery, ReferralView
from services.bootstrap import Container, build
from services.settings import Settings
from services.tokens import mint

DATABASE = "liandong_bench_inbox"
PROJECT = Path(__file__).resolve().parent.parent
GOAL_P95_MS = 25.0
INBOX = "/v1/inbox"


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


async def over_http(port: int, token: str, referral_ids: list[str]) -> dict[str, Phase]:
    """Each endpoint warmed up, then timed."""
    requests = {
        "GET /healthz": [get(port, "/healthz")],
        f"GET {INBOX}": [get(port, INBOX, token)],
        f"GET {INBOX}?overdue=true": [get(port, f"{INBOX}?overdue=true", token)],
        f"GET {INBOX}?status=sent": [get(port, f"{INBOX}?status=sent", token)],
        "GET /v1/referrals/{id}": [get(port, f"/v1/referrals/{i}", token) for i in referral_ids],
    }
    phases = {}
    for label, prepared in requests.items():
        await sequential(port, prepared, WARM_UP)
        phases[label] = await sequential(port, prepared, REQUESTS)
    return phases


# The busy agency -------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """The busy agency's inbox: how many per status, how many overdue, ids of some of them."""

    counts: dict[str, int]
    overdue: int
    sample: list[str]


def busy_box(container: Container) -> Box:
    view, now = container.view(ReferralView), container.app.clock()
    with container.views_db.reading() as cursor:
        counts = view.counts(cursor, BUSY, "in")
        every = view.box(cursor, BoxQuery(BUSY, "in", limit=sum(counts.values())), now)
    sample = random.Random(SEED).sample([e["id"] for e in every], min(REQUESTS, len(every)))
    return Box(counts, sum(1 for e in every if e["overdue"]), sample)


def token(settings: Settings) -> str:
    assert settings.jwt_secret is not None
    return mint(settings.jwt_secret, officer=officer_of(BUSY), agency=BUSY, roles=ROLES)


# The report ------------------------------------------------------------------------------


def line(label: str, run: Run) -> str:
    p = run.percentile_ms
    return (
        f"{label:<42} p50 {p(0.50):6.2f} ms  p95 {p(0.95):6.2f} ms  p99 {p(0.99):6.2f} ms"
        f"  {run.rate:>6,.0f}/s"
    )


def setup_lines(shape: Shape, box: Box) -> list[str]:
    total = sum(shape.seconds.values())
    lines = [
        f"set-up: {shape.agencies} agencies, {shape.referrals:,} referrals, "
        f"{shape.events:,} stored events, in {total:.1f} s (not measured):"
    ]
    lines += [f"{'':<8}{label:<44} {s:7.1f} s" for label, s in shape.seconds.items()]
    counts = ", ".join(f"{status} {n:,}" for status, n in sorted(box.counts.items()))
    lines.append(
        f"{BUSY}'s inbox: {sum(box.counts.values()):,} referrals ({counts}), "
        f"{box.overdue:,} of them overdue"
    )
    return lines


def http_lines(phases: dict[str, Phase]) -> list[str]:
    lines = [f"over HTTP, one uvicorn worker, one keep-alive client, {REQUESTS} in sequence:"]
    for label, phase in phases.items():
        lines.append(line(f"  {label}", phase.run))
        if phase.failures:
            answers = ", ".join(f"{n} x {s}" for s, n in sorted(phase.failures.items()))
            lines.append(f"{'':<10}unexpected answers: {answers}; the first: {phase.sample}")
    return lines


def report(
    server: str,
    shape: Shape,
    box: Box,
    http: dict[str, Phase],
    sql: dict[str, Run],
    in_view: dict[str, Run],
) -> None:
    lines = [f"the referral view on {server}", *setup_lines(shape, box), *http_lines(http)]
    lines.append("baseline: the same statements with bare psycopg, one connection, autocommit:")
    lines += [line(f"  {label}", run) for label, run in sql.items()]
    lines.append("the view's query methods in this process (SQL, JSON decoding, no HTTP):")
    lines += [line(f"  {label}", run) for label, run in in_view.items()]
    p95 = http[f"GET {INBOX}"].run.percentile_ms(0.95)
    goal = f"<= {GOAL_P95_MS:.0f} ms"
    lines.append(verdict("inbox p95 latency", f"{p95:.1f} ms", goal, p95 <= GOAL_P95_MS))
    print("\n".join(lines))


def main() -> None:
    with bench_database(DATABASE) as url, tempfile.TemporaryDirectory() as var_dir:
        settings = Settings(
            database_url=url, jwt_secret=secrets.token_urlsafe(32), var_dir=Path(var_dir)
        )
        container = build(settings, run_views=False)
        try:
            shape = make_district(url, container)
            box = busy_box(container)
            port = free_port()
            with server(settings, port):
                http = asyncio.run(over_http(port, token(settings), box.sample))
            sql = bare_sql(url, container, box.sample)
            in_view = in_process(container, box.sample)
            with psycopg.connect(url) as conn:
                described = describe_server(conn)
        finally:
            container.close()
    report(described, shape, box, http, sql, in_view)


if __name__ == "__main__":
    main()
