"""The inbox benchmark's baselines: the statements the referral view runs for GET /v1/inbox
and GET /v1/referrals/{id}, with bare psycopg on one connection (unprepared, as the service
runs them: see bench.reading); and the view's query methods called in this process as the
routes call them (SQL and JSON decoding, no HTTP).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import cycle
from typing import Any

import psycopg
from psycopg.rows import dict_row

from bench.district import BUSY
from bench.figures import Run
from bench.reading import Statement, by_primary_key, replay, statements_of, warmed
from projections.referrals import BoxQuery, ReferralView
from services.bootstrap import Container
from services.database import to_psycopg


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
            view.detail(cursor, next(ids), clock())

    return {"view.box + view.counts (inbox)": warmed(inbox), "view.detail": warmed(referral)}
