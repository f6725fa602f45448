"""Reading the crime transfers' log on PostgreSQL: the procuratorate's log among 50,000 transfers,
and one transfer by its id.

Set-up (timed apart, not measured): a database made for the run and dropped afterwards; the
district of bench.district with a public security, a second one and a procuratorate; 50,000
crime transfers from its brigades over the past year in the states a year of work leaves, every
one copied to the procuratorate (or recommended by it), folded into the view from the events
the CrimeTransfer aggregate made for one transfer of each path (see bench.crime_transfers_setup).

Measured: `liandong serve` on that database, one uvicorn worker in a process of its own, with
the projection runner on as when it is deployed; one keep-alive client in this process sends,
one after another after a warm-up, 500 each of: GET /v1/crime-transfers as the procurator (the
newest 50), the same for the next pages by their cursors (pages 2 to 10 in turn), the same with
overdue=true, GET /v1/crime-transfers/supervision (the newest 50) and with concern=not_filed,
and GET /v1/crime-transfers/{id} for transfers in that log. Latency percentiles of each.

Baseline, same server and same run: GET /v1/crime-transfers/{id}, one transfer by its primary
key through the same stack, and the ratio of the log's latency to it. To show where the time
goes: GET /healthz (the HTTP stack alone); the log's SQL (the page, its deadlines and windows)
and the primary key look-up with bare psycopg on one connection; the view's own query methods in
this process (SQL and JSON decoding, no HTTP).

Goal: the procuratorate's log, p95 latency at most 25 ms.
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

from bench.crime_transfers_setup import PROCURATORATE, SEED, make_district
from bench.district import Shape, token
from bench.figures import Run
from bench.http import free_port
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
from domain.values import Role
from projections.crime_transfer_log import CrimeTransferLog, LogQuery
from projections.crime_transfer_supervision import Concern, SupervisionQuery
from services.bootstrap import Container
from services.database import to_psycopg

DATABASE = "liandong_bench_crime_transfers"
GOAL_P95_MS = 25.0
LOG = "/v1/crime-transfers"
FIRST = f"GET {LOG}"
NEXT = f"GET {LOG}?cursor=… (pages 2-10)"
OVERDUE = f"GET {LOG}?overdue=true"
SUPERVISION = f"GET {LOG}/supervision"
NOT_FILED = f"GET {LOG}/supervision?concern=not_filed"
BY_ID = "GET /v1/crime-transfers/{id}"
NEXT_PAGES = 9


@dataclass(frozen=True)
class Log:
    """The procuratorate's log, paged through as a client would: its transfers by status, the
    cursors of the pages after the first, ids of some of them, how many are overdue."""

    statuses: Counter[str]
    overdue: int
    cursors: list[int]
    sample: list[str]


def procuratorate_log(container: Container) -> Log:
    view, now = container.view(CrimeTransferLog), container.app.clock()
    with container.views_db.reading() as cursor:
        pages = pages_of(
            lambda before: view.page(cursor, LogQuery(PROCURATORATE, before=before), now)
        )
    every = [entry for page in pages for entry in page]
    ids = [str(e["id"]) for e in every]
    return Log(
        Counter(str(e["status"]) for e in every),
        sum(1 for e in every if e["overdue"]),
        [int(str(page[-1]["cursor"])) for page in pages][:NEXT_PAGES],
        random.Random(SEED).sample(ids, min(REQUESTS, len(ids))),
    )


# The measures ----------------------------------------------------------------------------


async def over_http(port: int, bearer: str, log: Log) -> dict[str, Phase]:
    """Each endpoint warmed up, then timed."""
    return await each_timed(
        port,
        {
            "GET /healthz": [get(port, "/healthz")],
            FIRST: [get(port, LOG, bearer)],
            NEXT: [get(port, f"{LOG}?cursor={c}", bearer) for c in log.cursors],
            OVERDUE: [get(port, f"{LOG}?overdue=true", bearer)],
            SUPERVISION: [get(port, f"{LOG}/supervision", bearer)],
            NOT_FILED: [get(port, f"{LOG}/supervision?concern=not_filed", bearer)],
            BY_ID: [get(port, f"{LOG}/{i}", bearer) for i in log.sample],
        },
    )


def bare_sql(url: str, container: Container, transfer_ids: list[str]) -> dict[str, Run]:
    """The statements GET /v1/crime-transfers runs (the page, its deadlines and windows) and
    the primary-key look-up, with bare psycopg on one connection."""
    view, clock, ids = container.view(CrimeTransferLog), container.app.clock, cycle(transfer_ids)
    by_id = to_psycopg(view.sql(CrimeTransferLog()._select()))
    with psycopg.connect(url, autocommit=True, row_factory=dict_row) as conn:
        page, deadlines = statements_of(
            conn, lambda cursor: view.page(cursor, LogQuery(PROCURATORATE), clock())
        )
        operations: dict[str, Callable[[], object]] = {
            "log: the page (SELECT_PAGE)": replay(conn, [page], clock),
            "log: the page's deadlines and windows": replay(conn, [deadlines], clock),
            "log: both": replay(conn, [page, deadlines], clock),
            "transfer by primary key": lambda: by_primary_key(conn, by_id, next(ids)),
        }
        return {label: warmed(operation) for label, operation in operations.items()}


def in_process(container: Container, transfer_ids: list[str]) -> dict[str, Run]:
    """The view's query methods as the routes call them, on the container's pool."""
    view, clock, ids = container.view(CrimeTransferLog), container.app.clock, cycle(transfer_ids)
    supervision = SupervisionQuery(LogQuery(PROCURATORATE), Concern.NOT_FILED)
    return in_view(
        container,
        {
            "view.page (the log)": lambda c: view.page(c, LogQuery(PROCURATORATE), clock()),
            "view.supervision (not filed)": lambda c: view.supervision(c, supervision, clock()),
            "view.detail": lambda c: view.detail(c, next(ids), clock()),
        },
    )


# The report ------------------------------------------------------------------------------


def folded(container: Container) -> int:
    """How many events the view holds (one history row each)."""
    view = container.view(CrimeTransferLog)
    with container.views_db.reading() as cursor:
        cursor.execute(view.sql("SELECT COUNT(*) AS n FROM {history}"))
        row = cursor.fetchone()
    assert row is not None
    return int(row["n"])


def log_lines(log: Log, events: int) -> list[str]:
    statuses = ", ".join(f"{key} {n:,}" for key, n in sorted(log.statuses.items()))
    total = sum(log.statuses.values())
    return [
        f"the view holds {events:,} events of the aggregate, folded from its templates",
        f"{PROCURATORATE}'s log: {total:,} transfers, {log.overdue:,} with a step overdue now,",
        f"{'':<8}by status: {statuses}",
    ]


def report(
    described: str,
    shape: Shape,
    lines_of_log: list[str],
    http: dict[str, Phase],
    sql: dict[str, Run],
    in_view_runs: dict[str, Run],
) -> None:
    lines = [f"the crime transfers' log on {described}", *setup_lines(shape, "crime transfers")]
    lines += [*lines_of_log, *http_lines(http), ratio_line(http, FIRST, BY_ID)]
    lines.append("baseline: the same statements with bare psycopg, one connection, autocommit:")
    lines += [line(f"  {label}", run) for label, run in sql.items()]
    lines.append("the view's query methods in this process (SQL, JSON decoding, no HTTP):")
    lines += [line(f"  {label}", run) for label, run in in_view_runs.items()]
    goals = {"procuratorate's log p95": FIRST, "log p95, next pages": NEXT}
    lines += p95_verdicts(http, goals, GOAL_P95_MS)
    print("\n".join(lines))


def main() -> None:
    with bench_stack(DATABASE) as (url, settings, container):
        shape = make_district(url, container)
        log = procuratorate_log(container)
        lines_of_log = log_lines(log, folded(container))
        port = free_port()
        bearer = token(settings, PROCURATORATE, [Role.SUPERVISOR.value])
        with server(settings, port):
            http = asyncio.run(over_http(port, bearer, log))
        sql = bare_sql(url, container, log.sample)
        in_view_runs = in_process(container, log.sample)
        described = described_server(url)
    report(described, shape, lines_of_log, http, sql, in_view_runs)


if __name__ == "__main__":
    main()
