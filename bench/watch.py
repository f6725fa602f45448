"""Benchmark: one pass of the deadline watcher over 200,000 running time limits (100,000 sent
assistance requests, each with its send limit met and its answer limit running, and 100,000
drafts with their send limit running), filled straight into the referral view's tables; 1% of
the limits within their lead time or past, so the pass also stores their warnings. Beside it,
the baseline: the same rows read with bare psycopg. Time and peak memory (tracemalloc) of each.

    python -m bench.watch
"""

from __future__ import annotations

import json
import secrets
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg

from bench.commands import bench_database, describe_server
from projections.deadlines import utc_key
from projections.referrals import RUNNING, ReferralView
from services.bootstrap import Container, build
from services.database import to_psycopg
from services.settings import Settings
from services.warnings.watcher import Watcher

REFERRALS = 200_000
CROSSING_EVERY = 100  # one limit in a hundred is within its lead time or past


def fill(url: str, container: Container) -> None:
    view = container.view(ReferralView)
    now = container.app.clock()
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        referral_columns = (
            "id, kind, status, from_agency, to_agency, created_position, version, position, doc"
        )
        with cursor.copy(f"COPY {view.table['referrals']} ({referral_columns}) FROM STDIN") as copy:
            for n in range(REFERRALS):
                status = "sent" if n % 2 else "draft"
                doc = json.dumps({"id": rid(n), "status": status})
                copy.write_row((rid(n), "assistance", status, "tj-a", "tj-b", n, 1, n, doc))
        deadline_columns = (
            "referral_id, name, rule, start, start_key, due_at, due_key, provisional, met_at,"
            " party, met_key"
        )
        with cursor.copy(f"COPY {view.table['deadlines']} ({deadline_columns}) FROM STDIN") as copy:
            for n in range(REFERRALS):
                days = -1 if n % CROSSING_EVERY == 0 else 3 + n % 20
                due = now + timedelta(days=days)
                name, party = ("answer", "tj-b") if n % 2 else ("send", "tj-a")
                row = (rid(n), name, "5 working days", now.isoformat(), utc_key(now))
                copy.write_row((*row, due.isoformat(), utc_key(due), False, None, party, None))


def rid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def measured(work: Callable[[], Any]) -> tuple[float, float, Any]:
    """Its time untraced, then its peak memory in a second run under tracemalloc."""
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, result


def bare(url: str, container: Container) -> int:
    statement = to_psycopg(container.view(ReferralView).sql(RUNNING))
    with psycopg.connect(url) as conn:
        return len(conn.execute(statement).fetchall())


def main() -> None:
    with bench_database("liandong_bench_watch") as url, tempfile.TemporaryDirectory() as var:
        settings = Settings(
            database_url=url, jwt_secret=secrets.token_urlsafe(32), var_dir=Path(var)
        )
        container = build(settings)  # the views follow the warnings the pass stores
        try:
            fill(url, container)
            with psycopg.connect(url) as conn:
                server = describe_server(conn)
            base_s, base_mb, rows = measured(lambda: bare(url, container))
            started = time.perf_counter()
            done = Watcher(container).watch()
            pass_s = time.perf_counter() - started
            again_s, again_mb, _ = measured(lambda: Watcher(container).watch())
        finally:
            container.close()
    print(f"watcher over {REFERRALS:,} running limits ({server})")
    print(f"  baseline, bare psycopg reading the {rows:,} rows: {base_s:.2f} s, {base_mb:.0f} MB")
    print(f"  the first pass, {done.raised:,} warnings raised: {pass_s:.2f} s")
    print(f"  a pass with nothing new: {again_s:.2f} s, peak {again_mb:.0f} MB")


if __name__ == "__main__":
    main()
