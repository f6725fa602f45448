"""What the event-backbone benchmarks share: a Kafka-mode deployment on a PostgreSQL database
made for the run (and dropped afterwards) with topics of its own on the local broker, a long
history stored quickly, the relay driven until it has published everything, a consumer (a
projector, the gateway) joined to its group and timed from its first poll that brings messages,
and `liandong` commands run as child processes whose peak memory can be read."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from bench.commands import bench_database, case_details, person
from domain.case import Case
from services.application import Liandong
from services.bootstrap import Container, build
from services.demo import seed
from services.relay import Relay
from services.settings import Settings

PROJECT = Path(__file__).resolve().parent.parent
BOOTSTRAP = os.environ.get("LIANDONG_BENCH_KAFKA", "127.0.0.1:19092")
OFFICER = "wang-fang"
CHUNK = 500  # cases saved per transaction while filling the store
JOIN_TIMEOUT = 60.0


# The deployment --------------------------------------------------------------------------


def require_broker() -> None:
    host, port = BOOTSTRAP.rsplit(":", 1)
    try:
        with socket.create_connection((host, int(port)), timeout=2):
            return
    except OSError:
        raise SystemExit(
            f"no Kafka broker answers on {BOOTSTRAP}: start the local one with "
            "`bash deploy/local/kafka.sh start` (`make bench` does), or set LIANDONG_BENCH_KAFKA"
        ) from None


def topic_prefix() -> str:
    """Topics, consumer groups and relay positions of the run's own."""
    return f"bench{uuid.uuid4().hex[:10]}."


def backbone_settings(url: str, var_dir: Path, **changes: Any) -> Settings:
    values: dict[str, Any] = dict(
        database_url=url,
        jwt_secret=secrets.token_urlsafe(32),
        var_dir=var_dir,
        kafka_bootstrap=BOOTSTRAP,
        kafka_topic_prefix=topic_prefix(),
    )
    values.update(changes)
    return Settings(**values)


def with_changes(settings: Settings, **changes: Any) -> Settings:
    """The same deployment with some settings changed (a new topic prefix, say)."""
    return Settings(**dict(settings.model_dump(), **changes))


@contextmanager
def deployment(database: str, **changes: Any) -> Iterator[Container]:
    """A Kafka-mode container on a database made for the run, the demo district seeded."""
    require_broker()
    with bench_database(database) as url, tempfile.TemporaryDirectory() as var_dir:
        container = build(backbone_settings(url, Path(var_dir), **changes), run_views=False)
        try:
            seed(container.app)
            yield container
        finally:
            container.close()


# The history -----------------------------------------------------------------------------


def fill_store(app: Liandong, events: int) -> None:
    """Registered cases (one event each), many per transaction, until the store holds
    `events` events."""
    actor = person(app, OFFICER)
    unit = app.directory.path(actor.agency_code)
    calendar = app.calendar()
    while (missing := events - app.head_position()) > 0:
        cases = [
            Case.register(
                case_id=uuid.uuid4(),
                actor=actor,
                unit=unit,
                details=case_details(),
                calendar=calendar,
                at=app.clock(),
            )
            for _ in range(min(CHUNK, missing))
        ]
        app.save(*cases)


def relay_all(relay: Relay) -> int:
    """Runs the relay until its recorded position reaches the store's head; answers the
    number of batches."""
    head = relay.app.head_position()
    batches = 0
    while relay.position < head:
        if relay.run_once() == 0:
            raise RuntimeError(f"the relay stopped at {relay.position}, short of {head}")
        batches += 1
    return batches


# Consumers -------------------------------------------------------------------------------


class Polls(Protocol):
    """A Kafka consumer of liandong's (a projector, the gateway): one poll handled per call."""

    def run_once(self, timeout_ms: int = ...) -> int: ...


def join(consumer: Polls, assigned: Callable[[], bool]) -> None:
    """Polls the still empty topics until the consumer group has assigned partitions."""
    deadline = time.monotonic() + JOIN_TIMEOUT
    while not assigned():
        if time.monotonic() > deadline:
            raise SystemExit(f"the consumer had no partitions after {JOIN_TIMEOUT:.0f} s")
        consumer.run_once(timeout_ms=100)


def first_batch(consumer: Polls) -> tuple[float, int]:
    """Polls until messages come; answers when that poll began and how many it brought."""
    deadline = time.monotonic() + JOIN_TIMEOUT
    while time.monotonic() < deadline:
        before = time.perf_counter()
        if handled := consumer.run_once(timeout_ms=100):
            return before, handled
    raise SystemExit("no message reached the consumer")


# Child processes -------------------------------------------------------------------------


def process_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment that gives a `liandong` child process these settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIANDONG_")}
    env.update(settings.environment(), LIANDONG_LOG_LEVEL="WARNING", PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def start_cli(args: Sequence[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """`liandong <args>` as a child process, its output into `log`."""
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "services.cli", *args],
            cwd=PROJECT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


@dataclass(frozen=True)
class Exited:
    """How a child process ended: its exit code, its wall time and its peak resident memory."""

    returncode: int
    seconds: float
    peak_mb: float


def wait_measured(process: subprocess.Popen[bytes], started: float) -> Exited:
    """Waits for the child; its own peak RSS (ru_maxrss of this child alone, from wait4)."""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return Exited(process.returncode, seconds, usage.ru_maxrss / 1024)


def run_cli(args: Sequence[str], env: dict[str, str], log: Path) -> Exited:
    """`liandong <args>` run to its end, timed from its start."""
    started = time.perf_counter()
    exited = wait_measured(start_cli(args, env, log), started)
    if exited.returncode != 0:
        raise SystemExit(f"liandong {' '.join(args)} exited with {exited.returncode}:\n{tail(log)}")
    return exited


def tail(log: Path, lines: int = 20) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
