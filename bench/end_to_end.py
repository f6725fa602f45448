"""End-to-end delay: from a command's answer until the case view shows it, through Kafka.

Measured: `liandong relay` and `liandong project` as child processes, as deployed, on a
PostgreSQL database made for the run (and dropped afterwards) with topics of the run's own. This
process registers cases through the application (`CaseHandlers.register`, as the API does) at a
steady 100 commands/s for 30 s; a watcher thread polls `container.view_positions()['cases']`
every 2 ms, and each command's delay runs from the moment its answer (with its position) came
back until the first poll that shows the view at or past that position. The children are warmed
up first (the group joined, the demo district and 50 commands projected).

Baseline, same run, same rate, same watcher: the embedded mode (no Kafka; the in-process
ProjectionRunner, woken by each commit) on a database of its own.

Goal: the p99 delay through Kafka is at most 250 ms.
"""

from __future__ import annotations

import secrets
import subprocess
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.backbone_setup import deployment, process_env, start_cli, tail
from bench.commands import bench_database, case_details, person
from bench.figures import Run, verdict
from bench.http import stop
from domain.values import Actor
from services.bootstrap import Container, build
from services.demo import seed
from services.handlers.cases import CaseHandlers
from services.settings import Settings

DATABASE = "liandong_bench_end_to_end"
EMBEDDED_DATABASE = "liandong_bench_end_to_end_embedded"
RATE = 100  # commands a second
SECONDS = 30
WARM_UP = 50
POLL_SECONDS = 0.002
CATCH_UP_TIMEOUT = 60.0
GOAL_P99_MS = 250.0
OFFICER = "wang-fang"


class Watcher(threading.Thread):
    """Polls the case view's position; each pending command's delay ends at the first poll
    that shows it."""

    def __init__(self, container: Container) -> None:
        super().__init__(name="watcher", daemon=True)
        self.container = container
        self.pending: deque[tuple[int, float]] = deque()
        self.delays: list[float] = []
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            shown = self.container.view_positions()["cases"]
            now = time.perf_counter()
            while self.pending and self.pending[0][0] <= shown:
                self.delays.append(now - self.pending.popleft()[1])
            time.sleep(POLL_SECONDS)

    def drain(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.pending:
            if time.monotonic() > deadline:
                raise SystemExit(f"{len(self.pending)} commands never reached the case view")
            time.sleep(0.05)

    def stop(self) -> None:
        self._done.set()
        self.join(timeout=5)


def steady(container: Container, actor: Actor, count: int, watcher: Watcher) -> float:
    """`count` commands at RATE a second, each handed to the watcher; answers the seconds."""
    app = container.app
    started = time.perf_counter()
    for n in range(count):
        wait = started + n / RATE - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        saved = CaseHandlers(app).register(actor, case_details())
        watcher.pending.append((saved.position, time.perf_counter()))
    return time.perf_counter() - started


def measure(container: Container) -> Run:
    """Warms up with WARM_UP commands, then the measured load; answers the delays."""
    actor = person(container.app, OFFICER)
    warm = Watcher(container)
    warm.start()
    steady(container, actor, WARM_UP, warm)
    warm.drain(CATCH_UP_TIMEOUT)
    warm.stop()
    watcher = Watcher(container)
    watcher.start()
    seconds = steady(container, actor, RATE * SECONDS, watcher)
    watcher.drain(CATCH_UP_TIMEOUT)
    watcher.stop()
    return Run(RATE * SECONDS, seconds, watcher.delays)


def embedded() -> Run:
    with bench_database(EMBEDDED_DATABASE) as url, tempfile.TemporaryDirectory() as var_dir:
        settings = Settings(
            database_url=url, jwt_secret=secrets.token_urlsafe(32), var_dir=Path(var_dir)
        )
        container = build(settings)
        try:
            seed(container.app)
            return measure(container)
        finally:
            container.close()


@contextmanager
def workers(container: Container) -> Iterator[None]:
    """`liandong relay` and `liandong project` as children, caught up with the store. They start
    one after the other: two processes making the store's tables at once can collide."""
    env = process_env(container.settings)
    children: dict[str, subprocess.Popen[bytes]] = {}
    try:
        head = container.app.head_position()
        children["relay"] = start_cli(["relay"], env, log_of(container, "relay"))
        wait_until(container, children, lambda: container.relay_position().load() >= head)
        children["project"] = start_cli(["project"], env, log_of(container, "project"))
        wait_until(container, children, lambda: container.view_positions()["cases"] >= head)
        yield
    finally:
        for child in children.values():
            stop(child)


def log_of(container: Container, name: str) -> Path:
    return container.settings.var_dir / f"{name}.log"


def wait_until(
    container: Container, children: dict[str, subprocess.Popen[bytes]], done: Callable[[], bool]
) -> None:
    deadline = time.monotonic() + CATCH_UP_TIMEOUT
    while not done():
        for name, child in children.items():
            if child.poll() is not None:
                raise SystemExit(f"liandong {name} exited:\n{tail(log_of(container, name))}")
        if time.monotonic() > deadline:
            logs = "\n".join(tail(log_of(container, name)) for name in children)
            raise SystemExit(f"the workers did not catch up with the store:\n{logs}")
        time.sleep(0.05)


def through_kafka() -> Run:
    with deployment(DATABASE) as container, workers(container):
        return measure(container)


def line(label: str, run: Run) -> str:
    return f"{run.line(label)}  max {max(run.latencies) * 1000:6.1f} ms"


def report(base: Run, kafka: Run) -> None:
    p99 = kafka.percentile_ms(0.99)
    print(f"delay from a command's answer to the case view showing it, {RATE} commands/s")
    print(line("baseline  embedded (in-process runner)", base))
    print(line("kafka     relay and project processes", kafka))
    print(f"ratio     p99 kafka / embedded: {p99 / base.percentile_ms(0.99):.1f}")
    met = p99 <= GOAL_P99_MS
    print(verdict("p99 answer to view, kafka", f"{p99:.1f} ms", f"<= {GOAL_P99_MS:.0f} ms", met))


def main() -> None:
    base = embedded()
    kafka = through_kafka()
    report(base, kafka)


if __name__ == "__main__":
    main()
