"""Reading the case list on PostgreSQL: the bureau's enforcement office's cases among 100,000,
and one case by its id.

Set-up (timed apart, not measured): a database made for the run and dropped afterwards; the
demo district with 30 more brigades; 100,000 cases in the case view, 8,000 of them the bureau
enforcement office's (tj-bh-yjj-zfs), copied from template cases the Case aggregate made (see
bench.case_list_setup).

Measured: `liandong serve` on that database, one uvicorn worker in a process of its own, with
the projection runner on as when it is deployed; one keep-alive client in this process sends,
one after another after a warm-up, 500 each of, as the office's officer wang-fang: GET /v1/cases
(the newest 50), the same for the next pages by their cursors (pages 2 to 10 in turn), with
overdue=true, with step=<the office's most common step still under way>; and, as the bureau's
deputy director qian-min (who sees every unit below the bureau, all 100,000 cases), GET /v1/cases.

Baseline, same server and same run: GET /v1/cases/{id}, one case by its primary key through the
same stack (its timeline and deadlines too), and the ratio of each list's latency to it; GET
/healthz, the HTTP stack alone; the list's SQL with bare psycopg on one connection.

Goal: each of the office's lists, p95 latency at most 25 ms.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from dataclasses import dataclass
from itertools import cycle

import psycopg
from psycopg.rows import dict_row

from bench.case_list_setup import BUSY, MORE_BRIGADES, SEED, SHARES, Filled, fill
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
    line,
    p95_verdicts,
    pages_of,
    ratio_line,
    replay,
    server,
    statements_of,
    warmed,
)
from projections.cases import CaseQuery, CaseView
from services.bootstrap import Container
from services.database import to_psycopg
from services.settings import Settings
from services.tokens import mint

DATABASE = "liandong_bench_case_list"
GOAL_P95_MS = 25.0
LIST = "/v1/cases"
FIRST = f"GET {LIST}"
NEXT = f"GET {LIST}?cursor=… (pages 2-10)"
OVERDUE = f"GET {LIST}?overdue=true"
BY_ID = "GET /v1/cases/{id}"
BUREAU = f"GET {LIST} as the bureau (all units)"
NEXT_PAGES = 9
OFFICER, DEPUTY = ("wang-fang", BUSY, ["officer"]), ("qian-min", "tj-bh-yjj", ["deputy_director"])


@dataclass(frozen=True)
class Office:
    """The busy office's list as a client pages through it: its cases by step, how many are
    overdue, the cursors of pages 2 to 10, ids of some of them, the step filtered on."""

    steps: Counter[str]
    overdue: int
    cursors: list[int]
    sample: list[str]
    step: str


def office_list(container: Container) -> Office:
    view, now = container.view(CaseView), container.app.clock()
    with container.views_db.reading() as cursor:
        pages = pages_of(
            lambda before: view.list_cases(
                cursor, CaseQuery(units=(BUSY,), before=before, limit=200), now
            )
        )
    every = [entry for page in pages for entry in page]
    steps = Counter(str(e["step"]) for e in every)
    open_step = next(s for s, _ in steps.most_common() if s != "closed")
    cursors = [int(str(e["cursor"])) for e in every[49::50]][:NEXT_PAGES]
    ids = [str(e["id"]) for e in every]
    return Office(
        steps,
        sum(1 for e in every if e["overdue"]),
        cursors,
        random.Random(SEED).sample(ids, min(REQUESTS, len(ids))),
        open_step,
    )


def token(settings: Settings, who: tuple[str, str, list[str]]) -> str:
    assert settings.jwt_secret is not None
    officer, agency, roles = who
    return mint(settings.jwt_secret, officer=officer, agency=agency, roles=roles)


# The measures ----------------------------------------------------------------------------


def step_label(office: Office) -> str:
    return f"GET {LIST}?step={office.step}"


async def over_http(port: int, settings: Settings, office: Office) -> dict[str, Phase]:
    bearer, deputy = token(settings, OFFICER), token(settings, DEPUTY)
    return await each_timed(
        port,
        {
            "GET /healthz": [get(port, "/healthz")],
            FIRST: [get(port, LIST, bearer)],
            NEXT: [get(port, f"{LIST}?cursor={c}", bearer) for c in office.cursors],
            OVERDUE: [get(port, f"{LIST}?overdue=true", bearer)],
            step_label(office): [get(port, f"{LIST}?step={office.step}", bearer)],
            BUREAU: [get(port, LIST, deputy)],
            BY_ID: [get(port, f"{LIST}/{i}", bearer) for i in office.sample],
        },
    )


def bare_sql(url: str, container: Container, office: Office) -> dict[str, Run]:
    """The list's statement for each filter, and the primary-key look-up, with bare psycopg."""
    view, clock, ids = container.view(CaseView), container.app.clock, cycle(office.sample)
    by_id = to_psycopg(view.sql(view._select()))
    queries = {
        "list (default)": CaseQuery(units=(BUSY,)),
        "list ?overdue=true": CaseQuery(units=(BUSY,), overdue=True),
        f"list ?step={office.step}": CaseQuery(units=(BUSY,), step=office.step),
    }
    with psycopg.connect(url, autocommit=True, row_factory=dict_row) as conn:
        runs = {}
        for label, query in queries.items():
            statements = statements_of(
                conn, lambda cursor, q=query: view.list_cases(cursor, q, clock())
            )
            runs[label] = warmed(replay(conn, statements, clock))
        runs["case by primary key"] = warmed(lambda: by_primary_key(conn, by_id, next(ids)))
        return runs


# The report ------------------------------------------------------------------------------


def report(
    described: str, filled: Filled, office: Office, http: dict[str, Phase], sql: dict[str, Run]
) -> None:
    total = sum(filled.seconds.values())
    lines = [f"the case list on {described}"]
    lines.append(f"set-up: {filled.cases:,} cases in the view, in {total:.1f} s (not measured):")
    lines += [f"{'':<8}{label:<52} {s:7.1f} s" for label, s in filled.seconds.items()]
    demo = {unit: filled.by_unit[unit] for unit in SHARES}
    units = ", ".join(f"{unit} {n:,}" for unit, n in demo.items())
    more = filled.cases - sum(demo.values())
    lines.append(f"cases by unit: {units}, {MORE_BRIGADES} more brigades {more:,}")
    steps = ", ".join(f"{s} {n:,}" for s, n in office.steps.most_common())
    lines.append(
        f"{BUSY}'s list: {sum(office.steps.values()):,} cases, {office.overdue:,} overdue now,"
    )
    lines.append(f"{'':<8}by step: {steps}")
    lines += http_lines(http)
    for label in (FIRST, NEXT, OVERDUE, step_label(office), BUREAU):
        lines.append(ratio_line(http, label, BY_ID))
    lines.append("the same statements with bare psycopg, one connection, autocommit:")
    lines += [line(f"  {label}", run) for label, run in sql.items()]
    goals = {
        "list p95, first page": FIRST,
        "list p95, next pages": NEXT,
        "list p95, overdue": OVERDUE,
        "list p95, by step": step_label(office),
    }
    lines += p95_verdicts(http, goals, GOAL_P95_MS)
    print("\n".join(lines))


def main() -> None:
    with bench_stack(DATABASE) as (url, settings, container):
        filled = fill(url, container)
        office = office_list(container)
        port = free_port()
        with server(settings, port):
            http = asyncio.run(over_http(port, settings, office))
        sql = bare_sql(url, container, office)
        described = described_server(url)
    report(described, filled, office, http, sql)


if __name__ == "__main__":
    main()
