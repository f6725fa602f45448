"""Command throughput on PostgreSQL: "register case" through the application, one thread.

Measured: 2,000 `register_case` commands, one after another, through the whole command path
(directory look-up, the Case aggregate deciding, mapping, the event store's transaction), with
the projection runner off, in a database made for the run and dropped afterwards.

Baseline, same server and same database: 2,000 single-row INSERT + COMMIT transactions with
bare psycopg on one connection, each row as large as a stored Case.Registered event. Commands
and baseline are timed in alternating rounds, so drift in the disk or the machine's load falls
on both alike.

Goal: the command rate is at least 0.30 of the baseline rate.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic

from bench.figures import Run, merge, verdict
from domain.calendar import SHANGHAI
from domain.case import Case
from domain.values import Actor
from services.application import Liandong
from services.bootstrap import Container, build
from services.demo import seed
from services.handlers.cases import CaseHandlers
from services.settings import Settings

ADMIN_URL = os.environ.get(
    "LIANDONG_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
DATABASE = "liandong_bench"
COMMANDS = 2_000
ROUNDS = 4
WARM_UP = 50
GOAL_RATIO = 0.30
OFFICER = "wang-fang"
CASE_REGISTERED = f"{get_topic(Case)}.Registered"
BASELINE_TABLE = "bench_baseline"

CASE = {
    "procedure": "general",
    "source": {"kind": "inspection", "reference": None, "handed_over_at": None},
    "summary": "未按规定对从业人员进行安全生产教育和培训",
    "party": {"kind": "organisation", "name": "天津某化工有限公司", "id_number": None},
    "place": {"region": "120116", "address": "中塘镇工业园区"},
    "occurred_at": datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI),
}


# The database ----------------------------------------------------------------------------


def database_url(name: str) -> str:
    return f"{ADMIN_URL.rsplit('/', 1)[0]}/{name}"


def recreate_database(name: str) -> str:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return database_url(name)


def drop_database(name: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def bench_database(name: str) -> Iterator[str]:
    url = recreate_database(name)
    try:
        yield url
    finally:
        drop_database(name)


def describe_server(conn: psycopg.Connection[Any]) -> str:
    version = conn.execute("SHOW server_version").fetchone()
    commit = conn.execute("SHOW synchronous_commit").fetchone()
    assert version is not None and commit is not None
    return f"PostgreSQL {version[0]}, synchronous_commit={commit[0]}"


# The application -------------------------------------------------------------------------


@contextmanager
def command_side(url: str) -> Iterator[Container]:
    """The container on the bench database, without the projection runner, demo seeded."""
    with tempfile.TemporaryDirectory() as var_dir:
        settings = Settings(
            database_url=url, jwt_secret=secrets.token_urlsafe(32), var_dir=Path(var_dir)
        )
        container = build(settings, run_views=False)
        try:
            seed(container.app)
            yield container
        finally:
            container.close()


def person(app: Liandong, officer: str) -> Actor:
    entry = app.directory.officer(officer)
    assert entry is not None, officer
    actor = app.directory.actor_for(officer, entry.agency_code, entry.roles)
    assert actor is not None, officer
    return actor


def case_details() -> dict[str, Any]:
    return {k: (dict(v) if isinstance(v, dict) else v) for k, v in CASE.items()}


def stored_case_event(app: Liandong) -> Notification:
    """A Case.Registered event as the store holds it."""
    found = app.recorder.select_notifications(start=1, limit=1, topics=[CASE_REGISTERED])
    assert found, "no Case.Registered event is stored"
    return found[0]


# Timing ----------------------------------------------------------------------------------


def timed(operation: Callable[[], object], times: int) -> Run:
    latencies = []
    started = time.perf_counter()
    for _ in range(times):
        before = time.perf_counter()
        operation()
        latencies.append(time.perf_counter() - before)
    return Run(ops=times, seconds=time.perf_counter() - started, latencies=latencies)


def register_one(app: Liandong, actor: Actor) -> Callable[[], object]:
    return lambda: CaseHandlers(app).register(actor, case_details())


def create_baseline_table(conn: psycopg.Connection[Any]) -> None:
    conn.execute(
        f"CREATE TABLE {BASELINE_TABLE} "
        "(id uuid PRIMARY KEY, version int NOT NULL, topic text NOT NULL, state bytea NOT NULL)"
    )
    conn.commit()


def insert_one(conn: psycopg.Connection[Any], event: Notification) -> Callable[[], object]:
    statement = f"INSERT INTO {BASELINE_TABLE} (id, version, topic, state) VALUES (%s, %s, %s, %s)"

    def insert() -> None:
        conn.execute(statement, (uuid.uuid4(), 1, event.topic, event.state))
        conn.commit()

    return insert


def alternate(first: Callable[[], object], second: Callable[[], object]) -> tuple[Run, Run]:
    """Both operations COMMANDS times, in ROUNDS alternating rounds."""
    per_round = COMMANDS // ROUNDS
    firsts, seconds = [], []
    for _ in range(ROUNDS):
        firsts.append(timed(first, per_round))
        seconds.append(timed(second, per_round))
    return merge(firsts), merge(seconds)


# The run ---------------------------------------------------------------------------------


def report(server: str, event: Notification, baseline: Run, commands: Run) -> None:
    ratio = commands.rate / baseline.rate
    print(f"register-case commands on {server}, one thread, projection runner off")
    print(f"stored Case.Registered event: {len(event.state)} bytes of state")
    print(baseline.line("baseline  bare psycopg INSERT + COMMIT (1 row)"))
    print(commands.line("commands  CaseHandlers.register"))
    print(f"ratio     commands / baseline: {ratio:.2f}")
    met = ratio >= GOAL_RATIO
    print(verdict("command rate / baseline rate", f"{ratio:.2f}", f">= {GOAL_RATIO:.2f}", met))


def main() -> None:
    with bench_database(DATABASE) as url, command_side(url) as container:
        app = container.app
        actor = person(app, OFFICER)
        timed(register_one(app, actor), WARM_UP)
        event = stored_case_event(app)
        with psycopg.connect(url) as conn:
            server = describe_server(conn)
            create_baseline_table(conn)
            timed(insert_one(conn, event), WARM_UP)
            baseline, commands = alternate(insert_one(conn, event), register_one(app, actor))
    report(server, event, baseline, commands)


if __name__ == "__main__":
    main()
