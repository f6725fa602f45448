"""The inbox benchmark's baselines: the statements the referral view runs for GET /v1/inbox
and GET /v1/referrals/{id}, with bare psycopg on one connection; and the view's query methods
called in this process as the routes call them (SQL and JSON decoding, no HTTP).

The bare statements go unprepared, planned afresh each time, as the service's are: psycopg
forgets its prepared statements at a rollback, and every read of the views ends with one. (A
prepared statement would soon run PostgreSQL's generic plan, which can differ.)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from itertools import cycle
from typing import Any

import psycopg
from psycopg.rows import dict_row

from bench.commands import timed
from bench.figures import Run
from bench.inbox_setup import BUSY
from projections.deadlines import now_key
from projections.referrals import BoxQuery, ReferralView
from services.bootstrap import Container
from services.database import to_psycopg

REQUESTS = 500
WARM_UP = 50

Statement = tuple[str, Mapping[str, Any] | None]


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


def bare_sql(url: str, container: Container, referral_ids: list[str]) -> dict[str, Run]:
    """The statements GET /v1/inbox runs (the page, its deadlines, the counts) and the
    primary-key look-up, with bare psycopg on one connection."""
    view, clock, ids = container.view(ReferralView), container.app.clock, cycle(referral_ids)
    by_id = to_psycopg(view.sql(ReferralView()._select()))
    with psycopg.connect(url, autocommit=True, row_factory=dict_row) as conn:

        def box(**filters: Any) -> list[Statement]:
            query = BoxQuery(BUSY, "in", **filters)
            return statements_of(conn, lambda cursor: view.box(cursor, query, clock()))

        def again(*statements: Statement) -> Callable[[], None]:
            return replay(conn, list(statements), clock)

        (page, deadlines), sent, overdue = box(), box(status="sent"), box(overdue=True)
        (counts,) = statements_of(conn, lambda cursor: view.counts(cursor, BUSY, "in"))
        operations: dict[str, Callable[[], object]] = {
            "inbox: the page (SELECT_BOX)": again(page),
            "inbox: the page's deadlines": again(deadlines),
            "inbox: counts per status (COUNT_BOX)": again(counts),
            "inbox: all three": again(page, deadlines, counts),
            "inbox ?overdue=true: all three": again(*overdue, counts),
            "inbox ?status=sent: all three": again(*sent, counts),
            "referral by primary key": lambda: by_primary_key(conn, by_id, next(ids)),
        }
        return {label: warmed(operation) for label, operation in operations.items()}


def by_primary_key(conn: psycopg.Connection[Any], statement: str, referral_id: str) -> object:
    return conn.execute(statement, {"id": referral_id}, prepare=False).fetchone()


def in_process(container: Container, referral_ids: list[str]) -> dict[str, Run]:
    """The view's query methods as the routes call them, on the container's pool."""
    view, db, clock = container.view(ReferralView), container.views_db, container.app.clock
    ids = cycle(referral_ids)

    def inbox() -> None:
        with db.reading() as cursor:
            view.box(cursor, BoxQuery(BUSY, "in"), clock())
            view.counts(cursor, BUSY, "in")

    def referral() -> None:
        with db.reading() as cursor:
            view.referral(cursor, next(ids), clock())

    return {"view.box + view.counts (inbox)": warmed(inbox), "view.referral": warmed(referral)}


def warmed(operation: Callable[[], object]) -> Run:
    timed(operation, WARM_UP)
    return timed(operation, REQUESTS)
