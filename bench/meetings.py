"""Reading the meetings' tracker on PostgreSQL: a busy agency's tracker, and one meeting by its id.

Set-up (timed apart, not measured): a database made for the run and dropped afterwards; a
district of 200 agencies with an officer each, 20,000 meetings among them in realistic states
(mostly convened, circulated, held, minutes issued; 3 to 8 invitees each), the district bureau
convening or invited to a few thousand of them; the views built over all of it (see
bench.meetings_setup).

Measured: `liandong serve` on that database, one uvicorn worker in a process of its own, with
the projection runner on as when it is deployed; one keep-alive client in this process sends,
one after another after a warm-up, 500 each of: GET /v1/meetings as the bureau's officer with
the default filters (the newest 50), the same for the next pages by their cursors (pages 2 to
10 in turn), and GET /v1/meetings/{id} for meetings in that tracker. Latency percentiles of
each.

Baseline, same server and same run: GET /v1/meetings/{id}, one meeting by its primary key
through the same stack, and the ratio of the tracker's latency to it. To show where the time
goes: GET /healthz (the HTTP stack alone); the tracker's SQL (the page, the page's deadlines)
and the primary key look-up `SELECT … FROM meetings_meetings WHERE id = %s` with bare psycopg
on one connection; the view's own query methods in this process (SQL and JSON decoding, no
HTTP).

Goal: the tracker's p95 latency is at most 25 ms.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import cycle

import psycopg
from psycopg.rows import dict_row

from bench.district import BUSY, Shape, busy_token
from bench.figures import Run
from bench.http import free_port
from bench.meetings_setup import SEED, make_district
from bench.reading import (
    REQUESTS,
    Phase,
    bench_stack,
    by_primary_key,
    described_server,
    each_timed,
    get,
    http_lines,
    in_view,
    line,
    p95_verdicts,
    pages_of,
    ratio_line,
    replay,
    server,
    setup_lines,
    statements_of,
    warmed,
)
from projections.meeting_tracker import MeetingTracker, TrackerQuery
from services.bootstrap import Container
from services.database import to_psycopg

DATABASE = "liandong_bench_meetings"
GOAL_P95_MS = 25.0
TRACKER = "/v1/meetings"
FIRST = f"GET {TRACKER}"
NEXT = f"GET {TRACKER}?cursor=… (pages 2-10)"
BY_ID = "GET /v1/meetings/{id}"
NEXT_PAGES = 9


# The busy agency -------------------------------------------------------------------------


@dataclass(frozen=True)
class Tracker:
    """The busy agency's tracker, paged through as a client would: its meetings by role and by
    status, the cursors of the pages after the first, ids of some of its meetings."""

    roles: Counter[str]
    statuses: Counter[str]
    cursors: list[int]
    sample: list[str]


def busy_tracker(container: Container) -> Tracker:
    view, now = container.view(MeetingTracker), container.app.clock()
    with container.views_db.reading() as cursor:
        pages = pages_of(lambda before: view.page(cursor, TrackerQuery(BUSY, before=before), now))
    every = [entry for page in pages for entry in page]
    cursors = [int(str(page[-1]["cursor"])) for page in pages]
    ids = [str(e["id"]) for e in every]
    return Tracker(
        Counter(str(e["role"]) for e in every),
        Counter(str(e["status"]) for e in every),
        cursors[:NEXT_PAGES],
        random.Random(SEED).sample(ids, min(REQUESTS, len(ids))),
    )


# The measures ----------------------------------------------------------------------------


async def over_http(port: int, token: str, tracker: Tracker) -> dict[str, Phase]:
    """Each endpoint warmed up, then timed."""
    return await each_timed(
        port,
        {
            "GET /healthz": [get(port, "/healthz")],
            FIRST: [get(port, TRACKER, token)],
            NEXT: [get(port, f"{TRACKER}?cursor={c}", token) for c in tracker.cursors],
            BY_ID: [get(port, f"/v1/meetings/{i}", token) for i in tracker.sample],
        },
    )


def bare_sql(url: str, container: Container, meeting_ids: list[str]) -> dict[str, Run]:
    """The statements GET /v1/meetings runs (the page, its deadlines) and the primary-key
    look-up, with bare psycopg on one connection."""
    view, clock, ids = container.view(MeetingTracker), container.app.clock, cycle(meeting_ids)
    by_id = to_psycopg(view.sql(MeetingTracker()._select()))
    with psycopg.connect(url, autocommit=True, row_factory=dict_row) as conn:
        page, deadlines = statements_of(
            conn, lambda cursor: view.page(cursor, TrackerQuery(BUSY), clock())
        )
        operations: dict[str, Callable[[], object]] = {
            "tracker: the page (SELECT_PAGE)": replay(conn, [page], clock),
            "tracker: the page's deadlines": replay(conn, [deadlines], clock),
            "tracker: both": replay(conn, [page, deadlines], clock),
            "meeting by primary key": lambda: by_primary_key(conn, by_id, next(ids)),
        }
        return {label: warmed(operation) for label, operation in operations.items()}


def in_process(container: Container, meeting_ids: list[str]) -> dict[str, Run]:
    """The view's query methods as the routes call them, on the container's pool."""
    view, clock, ids = container.view(MeetingTracker), container.app.clock, cycle(meeting_ids)
    return in_view(
        container,
        {
            "view.page (tracker)": lambda cursor: view.page(cursor, TrackerQuery(BUSY), clock()),
            "view.detail": lambda cursor: view.detail(cursor, next(ids), clock()),
        },
    )


# The report ------------------------------------------------------------------------------


def tracker_lines(tracker: Tracker) -> list[str]:
    def listed(counts: Counter[str]) -> str:
        return ", ".join(f"{key} {n:,}" for key, n in sorted(counts.items()))

    return [
        f"{BUSY}'s tracker: {sum(tracker.roles.values()):,} meetings ({listed(tracker.roles)}),",
        f"{'':<8}by status: {listed(tracker.statuses)}",
    ]


def report(
    server: str,
    shape: Shape,
    tracker: Tracker,
    http: dict[str, Phase],
    sql: dict[str, Run],
    in_view: dict[str, Run],
) -> None:
    lines = [f"the meetings' tracker on {server}", *setup_lines(shape, "meetings")]
    lines += [*tracker_lines(tracker), *http_lines(http), ratio_line(http, FIRST, BY_ID)]
    lines.append("baseline: the same statements with bare psycopg, one connection, autocommit:")
    lines += [line(f"  {label}", run) for label, run in sql.items()]
    lines.append("the view's query methods in this process (SQL, JSON decoding, no HTTP):")
    lines += [line(f"  {label}", run) for label, run in in_view.items()]
    goals = {"tracker p95 latency": FIRST, "tracker p95, next pages": NEXT}
    lines += p95_verdicts(http, goals, GOAL_P95_MS)
    print("\n".join(lines))


def main() -> None:
    with bench_stack(DATABASE) as (url, settings, container):
        shape = make_district(url, container)
        tracker = busy_tracker(container)
        port = free_port()
        with server(settings, port):
            http = asyncio.run(over_http(port, busy_token(settings), tracker))
        sql = bare_sql(url, container, tracker.sample)
        in_view = in_process(container, tracker.sample)
        described = described_server(url)
    report(described, shape, tracker, http, sql, in_view)


if __name__ == "__main__":
    main()
