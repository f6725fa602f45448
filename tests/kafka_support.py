"""The local broker for the tests that need Kafka: found running (`make test` starts it) or
started here from deploy/local/kafka.sh; a broker that cannot start fails the tests loudly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "deploy" / "local" / "kafka.sh"
# The broker deploy/local/kafka.sh starts, on its port, unless the tests are pointed elsewhere.
LOCAL_PORT = os.environ.get("LIANDONG_LOCAL_KAFKA_PORT", "19092")
BOOTSTRAP = os.environ.get("LIANDONG_TEST_KAFKA", f"127.0.0.1:{LOCAL_PORT}")
PIDFILE = ROOT / "var" / "kafka" / "tansu.pid"


def listening(bootstrap: str = BOOTSTRAP) -> bool:
    host, port = bootstrap.rsplit(":", 1)
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return True
    except OSError:
        return False


def script(command: str) -> None:
    result = subprocess.run(["bash", str(SCRIPT), command], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(
            f"the local Kafka broker would not {command}:\n{result.stdout}{result.stderr}",
            pytrace=False,
        )


@contextmanager
def broker() -> Iterator[str]:
    """The bootstrap address of a running broker; stops it afterwards if it started it here."""
    if listening():
        yield BOOTSTRAP
        return
    script("start")
    try:
        yield BOOTSTRAP
    finally:
        script("stop")


@contextmanager
def broker_paused() -> Iterator[None]:
    """The broker stops answering (as a hung or unreachable broker does), keeping its data."""
    if not PIDFILE.exists():
        pytest.fail("pausing the broker needs the local one started by deploy/local/kafka.sh")
    pid = int(PIDFILE.read_text())
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)
