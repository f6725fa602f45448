"""Connections to the views' database, SQLite or PostgreSQL, behind one small interface.

View SQL is written once with `:name` parameters; for PostgreSQL it is rewritten to psycopg's
`%(name)s` style. Rows come back as mappings on both.

A transaction asked for `pipelined` sends its statements to PostgreSQL without waiting for each
answer (psycopg's pipeline mode): it waits only where a result is read (a fetch, a rowcount)
and at the commit, so a batch of view writes costs a few round trips instead of one each. An
error then surfaces at that next wait rather than at its own statement; the transaction rolls
back all the same.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from projections.view import Cursor
from services.settings import sqlite_path

_PARAM = re.compile(r"(?<!:):([A-Za-z_][A-Za-z0-9_]*)")


@lru_cache(maxsize=1024)
def to_psycopg(statement: str) -> str:
    return _PARAM.sub(r"%(\1)s", statement.replace("%", "%%"))


INSERT_VALUES = re.compile(r"^(INSERT INTO \S+ \([^)]*\)) VALUES \(([^)]*)\)(.*)$", re.S)
PLAIN_PARAM = re.compile(r"^:([A-Za-z_][A-Za-z0-9_]*)$")


def as_unnest(
    statement: str, rows: Sequence[Mapping[str, Any]]
) -> tuple[str, dict[str, list[Any]]] | None:
    """`INSERT … VALUES (:a, :b) …` for many rows as `INSERT … SELECT … FROM unnest(:a, :b) …`
    with each parameter an array, typed from its values; a parameter that is None in every row
    is a bare NULL, which takes its column's type. None where the statement is not of that form
    (an UPDATE, a value that is an expression)."""
    match = INSERT_VALUES.match(statement)
    if match is None or len(rows) < 2:
        return None
    head, values, rest = match.groups()
    params = [PLAIN_PARAM.match(v.strip()) for v in values.split(",")]
    if not all(params):
        return None
    names = [p.group(1) for p in params if p is not None]
    arrays = {n: [row[n] for row in rows] for n in dict.fromkeys(names)}
    given = {n: a for n, a in arrays.items() if any(v is not None for v in a)}
    if not given:
        return None
    alias = {n: f"c{i}" for i, n in enumerate(given)}
    columns = ", ".join(f"CAST(:{n} AS {array_type(a)}[])" for n, a in given.items())
    selected = ", ".join(f"u.{alias[n]}" if n in given else "NULL" for n in names)
    unnested = f"unnest({columns}) AS u({', '.join(alias.values())})"
    return f"{head} SELECT {selected} FROM {unnested}{rest}", given


def array_type(values: list[Any]) -> str:
    given = [v for v in values if v is not None]
    if given and all(isinstance(v, bool) for v in given):
        return "BOOLEAN"
    if given and all(isinstance(v, int) and not isinstance(v, bool) for v in given):
        return "BIGINT"
    if given and all(isinstance(v, bytes) for v in given):
        return "BYTEA"
    return "TEXT"


class Database(Protocol):
    dialect: str

    def transaction(self, pipelined: bool = False) -> Any: ...

    def reading(self) -> Any: ...

    def close(self) -> None: ...


class SQLiteDatabase:
    """One writer connection (SQLite has one writer at a time) and one reader per thread."""

    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._write_lock = threading.Lock()
        self._writer = self._connect()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []  # every thread's, closed with the database

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    @contextmanager
    def transaction(self, pipelined: bool = False) -> Iterator[Cursor]:
        """`pipelined` changes nothing here: SQLite runs in process, with no round trips."""
        with self._write_lock:
            cursor = self._writer.cursor()
            cursor.execute("BEGIN IMMEDIATE")
            try:
                yield cursor  # type: ignore[misc]
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")

    @contextmanager
    def reading(self) -> Iterator[Cursor]:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
            with self._write_lock:
                self._readers.append(conn)
        cursor = conn.cursor()
        cursor.execute("BEGIN")
        try:
            yield cursor  # type: ignore[misc]
        finally:
            cursor.execute("COMMIT")

    def close(self) -> None:
        """The writer and every reader: a file copied over afterwards (a restore) is then
        opened afresh, never read through a connection that knew the old one."""
        with self._write_lock:
            for conn in [self._writer, *self._readers]:
                conn.close()
            self._readers.clear()


class PostgresCursor:
    """A psycopg cursor that takes `:name` parameters."""

    def __init__(
        self, cursor: psycopg.Cursor[Any], pipeline: psycopg.Pipeline | None = None
    ) -> None:
        self._cursor = cursor
        self._pipeline = pipeline

    def execute(self, statement: str, params: Mapping[str, Any] | None = None) -> Any:
        return self._cursor.execute(to_psycopg(statement), params)

    def executemany(self, statement: str, params: Sequence[Mapping[str, Any]]) -> Any:
        """Many rows of one INSERT go as one statement over arrays (`unnest`): one round of
        work for the server and for psycopg, where executemany would send one per row."""
        unnested = as_unnest(statement, params)
        if unnested is not None:
            query, arrays = unnested
            # Arrays go in binary: text arrays in text form cost an escape per element.
            binary = to_psycopg(query).replace(")s AS", ")b AS")
            return self._cursor.execute(binary, arrays)
        return self._cursor.executemany(to_psycopg(statement), params)

    def fetchone(self) -> Mapping[str, Any] | None:
        self._sync()
        return self._cursor.fetchone()

    def fetchall(self) -> list[Mapping[str, Any]]:
        self._sync()
        return self._cursor.fetchall()

    @property
    def rowcount(self) -> int:
        self._sync()
        return self._cursor.rowcount

    def _sync(self) -> None:
        # In a pipeline, results (rows, counts) arrive at a sync; without one a fetch may meet
        # the result of an earlier statement still in flight.
        if self._pipeline is not None:
            self._pipeline.sync()


class PostgresDatabase:
    dialect = "postgres"

    def __init__(self, url: str, pool_size: int = 4) -> None:
        self._pool: ConnectionPool[Any] = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            kwargs={"row_factory": dict_row},
            open=True,
            timeout=10,
        )

    @contextmanager
    def transaction(self, pipelined: bool = False) -> Iterator[Cursor]:
        with self._pool.connection() as conn:
            pipeline = conn.pipeline() if pipelined else nullcontext()
            with pipeline as piped, conn.transaction(), conn.cursor() as cur:
                yield PostgresCursor(cur, piped)

    @contextmanager
    def reading(self) -> Iterator[Cursor]:
        with self._pool.connection() as conn, conn.cursor() as cur:
            yield PostgresCursor(cur)
            conn.rollback()

    def close(self) -> None:
        self._pool.close()


@contextmanager
def schema_lock(url: str) -> Iterator[None]:
    """Serialises creating tables across processes: PostgreSQL's CREATE OR REPLACE FUNCTION and
    CREATE TABLE IF NOT EXISTS fail when two processes run them at the same moment."""
    if url.startswith("sqlite"):
        yield
        return
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(hashtext('liandong:schema'))")
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtext('liandong:schema'))")


def open_database(url: str, pool_size: int = 4) -> SQLiteDatabase | PostgresDatabase:
    if url.startswith("sqlite"):
        return SQLiteDatabase(sqlite_path(url))
    return PostgresDatabase(url.replace("postgres://", "postgresql://", 1), pool_size)
