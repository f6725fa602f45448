"""Running the background workers (relay, projectors) until the process is told to stop, and
`liandong up`: the API, the relay and the projector as one group of processes."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any, Protocol


class Worker(Protocol):
    def run(self) -> None: ...

    def stop(self) -> None: ...

    def close(self) -> None: ...


def configure_logging() -> None:
    logging.basicConfig(
        level=os.environ.get("LIANDONG_LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("kafka").setLevel(logging.WARNING)


def run_until_signalled(workers: Sequence[Worker]) -> int:
    """Runs each worker in a thread; SIGTERM or SIGINT stops them all, gracefully."""
    stopping = threading.Event()

    def stop(_signum: int, _frame: Any) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    threads = [threading.Thread(target=w.run, name=type(w).__name__, daemon=True) for w in workers]
    for thread in threads:
        thread.start()
    while not stopping.is_set() and all(t.is_alive() for t in threads):
        stopping.wait(0.5)
    for worker in workers:
        worker.stop()
    for thread in threads:
        thread.join(timeout=10)
    for worker in workers:
        worker.close()
    return 0


def run_group(commands: Sequence[Sequence[str]]) -> int:
    """Starts each `liandong` command as a child; when one ends or a signal comes, stops all."""
    children = [subprocess.Popen([sys.executable, "-m", "services.cli", *c]) for c in commands]
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    while not stopping.is_set() and all(child.poll() is None for child in children):
        stopping.wait(0.5)
    for child in children:
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + 15
    for child in children:
        try:
            child.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            child.kill()
    return max((child.returncode or 0) for child in children)
