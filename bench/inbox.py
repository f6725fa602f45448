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
import random
from dataclasses import dataclass

from bench.district import BUSY, Shape, busy_token
from bench.figures import Run, verdict
from bench.http import free_port
from bench.inbox_baselines import bare_sql, in_process
from bench.inbox_setup import SEED, make_district
from bench.reading import (
    REQUESTS,
    Phase,
    bench_stack,
    described_server,
    each_timed,
    get,
    http_lines,
    line,
    server,
    setup_lines,
)
from projections.referrals import BoxQuery, ReferralView
from services.bootstrap import Container

DATABASE = "liandong_bench_inbox"
GOAL_P95_MS = 25.0
INBOX = "/v1/inbox"


async def over_http(port: int, token: str, referral_ids: list[str]) -> dict[str, Phase]:
    """Each endpoint warmed up, then timed."""
    return await each_timed(
        port,
        {
            "GET /healthz": [get(port, "/healthz")],
            f"GET {INBOX}": [get(port, INBOX, token)],
            f"GET {INBOX}?overdue=true": [get(port, f"{INBOX}?overdue=true", token)],
            f"GET {INBOX}?status=sent": [get(port, f"{INBOX}?status=sent", token)],
            "GET /v1/referrals/{id}": [
                get(port, f"/v1/referrals/{i}", token) for i in referral_ids
            ],
        },
    )


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


# The report ------------------------------------------------------------------------------


def box_lines(box: Box) -> list[str]:
    counts = ", ".join(f"{status} {n:,}" for status, n in sorted(box.counts.items()))
    return [
        f"{BUSY}'s inbox: {sum(box.counts.values()):,} referrals ({counts}), "
        f"{box.overdue:,} of them overdue"
    ]


def report(
    server: str,
    shape: Shape,
    box: Box,
    http: dict[str, Phase],
    sql: dict[str, Run],
    in_view: dict[str, Run],
) -> None:
    lines = [f"the referral view on {server}", *setup_lines(shape, "referrals"), *box_lines(box)]
    lines += http_lines(http)
    lines.append("baseline: the same statements with bare psycopg, one connection, autocommit:")
    lines += [line(f"  {label}", run) for label, run in sql.items()]
    lines.append("the view's query methods in this process (SQL, JSON decoding, no HTTP):")
    lines += [line(f"  {label}", run) for label, run in in_view.items()]
    p95 = http[f"GET {INBOX}"].run.percentile_ms(0.95)
    goal = f"<= {GOAL_P95_MS:.0f} ms"
    lines.append(verdict("inbox p95 latency", f"{p95:.1f} ms", goal, p95 <= GOAL_P95_MS))
    print("\n".join(lines))


def main() -> None:
    with bench_stack(DATABASE) as (url, settings, container):
        shape = make_district(url, container)
        box = busy_box(container)
        port = free_port()
        with server(settings, port):
            http = asyncio.run(over_http(port, busy_token(settings), box.sample))
        sql = bare_sql(url, container, box.sample)
        in_view = in_process(container, box.sample)
        described = described_server(url)
    report(described, shape, box, http, sql, in_view)


if __name__ == "__main__":
    main()
