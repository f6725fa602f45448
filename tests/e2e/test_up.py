"""`liandong up`: the API, the relay and the projector as one group of processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from services.bootstrap import build
from services.demo import seed
from tests.backbone import kafka_settings, process_env
from tests.conftest import auth
from tests.e2e.http import CASE_BODY
from tests.support import reset_schema

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.e2e]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_serving(base: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("liandong up did not start serving")


def test_up_serves_relays_and_projects_until_told_to_stop(postgres_url, kafka_bootstrap, tmp_path):
    reset_schema(postgres_url)
    settings = kafka_settings(postgres_url, kafka_bootstrap, tmp_path, audit_checkpoint_seconds=0.2)
    container = build(settings)
    seed(container.app)
    container.close()
    port = free_port()
    env = dict(process_env(settings), LIANDONG_PORT=str(port))
    group = subprocess.Popen(
        [sys.executable, "-m", "services.cli", "up"],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base)
        created = httpx.post(f"{base}/v1/cases", json=CASE_BODY, headers=auth("wang-fang"))
        assert created.status_code == 201, created.text
        case, position = created.json()["id"], created.json()["position"]
        shown = httpx.get(
            f"{base}/v1/cases/{case}",
            params={"min_position": position},
            headers=auth("wang-fang"),
            timeout=30,
        )
        for _ in range(5):  # the projector's first group join may outlast one 5 s wait
            if shown.status_code != 503:
                break
            shown = httpx.get(shown.request.url, headers=auth("wang-fang"), timeout=30)
        assert shown.status_code == 200 and shown.json()["id"] == case
        assert httpx.get(f"{base}/readyz").json()["relay"]["lag"] == 0
        checkpoint = httpx.get(f"{base}/v1/audit/checkpoint", headers=auth("wang-fang"))
        for _ in range(100):  # the audit log signs within its first pass
            if checkpoint.status_code == 200:
                break
            time.sleep(0.1)
            checkpoint = httpx.get(checkpoint.request.url, headers=auth("wang-fang"))
        assert checkpoint.json()["origin"] == "liandong/test"
    finally:
        group.send_signal(signal.SIGTERM)
        group.wait(30)
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):
        os.killpg(group.pid, 0)  # no process of the group is left behind
