"""One relay at a time: the others wait as hot standbys and take over when it goes.

On PostgreSQL a session advisory lock, held by a connection of its own: if the process dies or
loses the connection, the lock goes with it. On SQLite (one machine) an exclusive file lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import threading
from pathlib import Path
from typing import IO, Any

import psycopg

from services.settings import sqlite_path

log = logging.getLogger(__name__)
RETRY_SECONDS = 2.0


class Leadership:
    def __init__(self, database_url: str, name: str) -> None:
        self.url = database_url
        self.name = name
        self._conn: Any = None
        self._file: IO[bytes] | None = None

    def acquire(self, stop: threading.Event) -> bool:
        """Blocks until this process leads, or `stop` is set (then answers False)."""
        announced = False
        while not stop.is_set():
            if self._try():
                log.info("%s: leading", self.name)
                return True
            if not announced:
                log.info("%s: another process leads; standing by", self.name)
                announced = True
            stop.wait(RETRY_SECONDS)
        return False

    def holds(self) -> bool:
        if self._file is not None:
            return True
        try:
            self._conn.execute("SELECT 1")
            return True
        except (psycopg.Error, AttributeError):
            self.release()
            return False

    def release(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):
                self._conn.close()
            self._conn = None
        if self._file is not None:
            self._file.close()  # closing releases the lock
            self._file = None

    def _try(self) -> bool:
        if self.url.startswith("sqlite"):
            return self._try_file()
        try:
            self._conn = self._conn or psycopg.connect(self.url, autocommit=True)
            row = self._conn.execute(
                "SELECT pg_try_advisory_lock(hashtext(%s))", (f"leader:{self.name}",)
            ).fetchone()
        except psycopg.Error as error:
            log.warning("%s: cannot reach the store to lead (%s)", self.name, error)
            self.release()
            return False
        return bool(row[0])

    def _try_file(self) -> bool:
        path = sqlite_path(self.url)
        lock = Path(f"{path}.{self.name}.lock")
        handle = lock.open("ab")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True
