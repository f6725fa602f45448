"""Test support: a clock the tests move, PostgreSQL databases made for the run, demo tokens."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import psycopg
import pytest

from domain.calendar import SHANGHAI

ADMIN_URL = os.environ.get(
    "LIANDONG_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
HOW_TO_START = (
    "PostgreSQL is not reachable at {url}: {error}\n"
    "Start it (e.g. `pg_ctlcluster 15 main start`) or point LIANDONG_TEST_POSTGRES_URL at a "
    "server where the user may create databases. `make test` starts the local cluster."
)


@dataclass
class FakeClock:
    now: datetime = field(default_factory=lambda: datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self) -> datetime:
        with self.lock:
            return self.now

    def advance(self, **delta: Any) -> datetime:
        with self.lock:
            self.now = self.now + timedelta(**delta)
            return self.now

    def set(self, moment: datetime) -> None:
        with self.lock:
            self.now = moment


def admin_connection() -> psycopg.Connection[Any]:
    try:
        return psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.fail(HOW_TO_START.format(url=ADMIN_URL, error=error), pytrace=False)


def database_url(name: str) -> str:
    base = ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}"


def create_database(name: str) -> str:
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return database_url(name)


def drop_database(name: str) -> None:
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def reset_schema(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


def as_stored(mapper: Any, state: dict[str, Any]) -> bytes:
    """An event's state as the store keeps it: the transcoder's JSON, encrypted if the store
    encrypts (it does not compress): for events written in an older shape by hand."""
    stored: bytes = mapper.transcoder.encode(state)
    return mapper.cipher.encrypt(stored) if mapper.cipher else stored
