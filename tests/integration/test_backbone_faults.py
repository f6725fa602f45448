"""The backbone under faults: a relay killed mid-publication, a broker that stops answering,
a projector that dies between its database commit and its offset commit."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from projections.cases import CaseView
from services.bootstrap import Container, build_projectors, build_relay
from tests.backbone import (
    bulk_cases,
    deployed,
    eventually,
    history,
    process_env,
    project_until_current,
    published,
    published_positions,
    replayed,
    rows,
    running,
)
from tests.kafka_support import broker_paused
from tests.scenarios import case_acts, case_details, person

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]


@pytest.fixture
def deployment(postgres_url: str, kafka_bootstrap: str, tmp_path: Path) -> Iterator[Container]:
    with deployed(postgres_url, kafka_bootstrap, tmp_path, relay_batch_size=250) as container:
        yield container


def start_relay(container: Container) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "services.cli", "relay"],
        env=process_env(container.settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_a_relay_killed_while_publishing_resumes_and_loses_nothing(deployment):
    app = deployment.app
    bulk_cases(app, 5000)
    head = app.head_position()
    position = deployment.relay_position()
    relay = start_relay(deployment)
    try:
        eventually(lambda: position.load() > 0, 60, "the relay to publish a first batch")
        relay.send_signal(signal.SIGKILL)
        relay.wait(10)
    finally:
        relay.kill()
    assert 0 < position.load() < head  # killed in the middle, not before or after

    relay = start_relay(deployment)
    try:
        eventually(lambda: position.load() == head, 120, "the restarted relay to catch up")
    finally:
        relay.terminate()
        relay.wait(15)
    positions = [json.loads(m.value)["position"] for m in published(deployment.settings)]
    assert set(positions) == published_positions(app)  # every event at least once

    [projector] = build_projectors(deployment, ["cases"])
    try:
        project_until_current(deployment, projector, timeout=120)
    finally:
        projector.close()
    assert rows(deployment, deployment.view(CaseView)) == rows(
        deployment, replayed(deployment).view
    )


def test_commands_go_on_while_the_broker_is_away_and_the_views_converge(deployment):
    app = deployment.app
    relay = build_relay(deployment)
    [projector] = build_projectors(deployment, ["cases"])
    with running(relay, projector):
        eventually(lambda: _current(deployment), 60, "the views to start current")
        with broker_paused():
            started = time.monotonic()
            for _ in range(30):
                case_acts(app).register(person(app, "wang-fang"), case_details())
            assert time.monotonic() - started < 10  # commands never wait for the broker
            time.sleep(2)
            assert app.head_position() - deployment.relay_position().load() > 0
        eventually(lambda: _current(deployment), 120, "the views to converge")
    assert rows(deployment, deployment.view(CaseView)) == rows(
        deployment, replayed(deployment).view
    )


def test_a_projector_dying_between_its_two_commits_applies_nothing_twice(deployment):
    history(deployment.app, 3)
    relay_all = build_relay(deployment)
    while relay_all.run_once():
        pass
    [dying] = build_projectors(deployment, ["cases"])

    def crash() -> None:
        raise RuntimeError("the process died before committing its offsets")

    dying._consumer().commit = crash
    with pytest.raises(RuntimeError):
        while True:  # the group's first join may take a few polls
            dying.run_once(timeout_ms=500)
    assert deployment.view_positions()["cases"] == 0  # no watermark: offsets never committed
    dying.close()
    applied_before = rows(deployment, deployment.view(CaseView))
    assert applied_before["timeline"], "the dying projector had applied a batch"

    [successor] = build_projectors(deployment, ["cases"])
    repeats = []
    original = successor.store.apply_unordered

    def spy(records, upstream):
        applied = original(records, upstream)
        repeats.extend(r for r in records if r not in applied)
        return applied

    successor.store.apply_unordered = spy
    try:
        project_until_current(deployment, successor)
    finally:
        successor.close()
    assert repeats, "the successor was handed the uncommitted batch again"
    assert rows(deployment, deployment.view(CaseView)) == rows(
        deployment, replayed(deployment).view
    )
    assert successor.dead_letters.listing() == []


def _current(container: Container) -> bool:
    return container.view_positions()["cases"] >= container.app.head_position()


def start_projector(container: Container, log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "services.cli", "project", "--only", "cases"],
        env=process_env(container.settings),
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )


def owned(log: Path) -> int:
    """How many partitions the process last said it owns (its log says so on each change)."""
    found = re.findall(r"projector cases owns (\d+) partitions", log.read_text())
    return int(found[-1]) if found else 0


def test_two_projector_processes_split_the_partitions_and_one_takes_over(deployment, tmp_path):
    app = deployment.app
    every = 2 * deployment.settings.kafka_partitions  # the case and agency topics
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    relay = build_relay(deployment)
    first, second = (start_projector(deployment, log) for log in logs)
    try:
        with running(relay):
            eventually(lambda: _shared(logs, every), 60, "two processes sharing the partitions")
            history(app, 4)
            eventually(lambda: _current(deployment), 60, "the view to catch up")
            first.send_signal(signal.SIGKILL)
            first.wait(10)
            history(app, 4)
            eventually(lambda: owned(logs[1]) == every, 60, "the survivor to take every partition")
            eventually(lambda: _current(deployment), 60, "the survivor to catch up")
    finally:
        for process in (first, second):
            process.kill()
            process.wait(10)
    assert rows(deployment, deployment.view(CaseView)) == rows(
        deployment, replayed(deployment).view
    )


def _shared(logs: list[Path], every: int) -> bool:
    counts = [owned(log) for log in logs]
    return all(counts) and sum(counts) == every
