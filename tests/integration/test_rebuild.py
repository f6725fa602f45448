"""Rebuilds: fresh tables filled from the store or from Kafka, swapped in while the live view
keeps answering and commands keep coming; the result equals a replay of the whole store."""

from __future__ import annotations

import io
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest

from projections.cases import CaseQuery, CaseView
from services.bootstrap import VIEWS, build
from services.cli import main
from services.demo import ADMIN, seed
from services.progress import Progress
from services.rebuild import rebuild
from tests.backbone import bulk_cases, history, kafka_settings, relay_everything, replayed, rows
from tests.scenarios import (
    admin_acts,
    case_acts,
    case_details,
    circulated_meeting,
    convened_meeting,
    crime_transfer_acts,
    issued_minutes,
    meeting_acts,
    not_filed_transfer,
    person,
    referral_acts,
    rejected_referral,
    reported_transfer,
    sent_letter,
    sent_referral,
)
from tests.support import FakeClock, reset_schema


def mixed_history(app, clock: FakeClock) -> None:
    """Cases, referrals, a dispute, a holiday schedule, meetings and crime transfers: a few
    thousand events of every kind."""
    bulk_cases(app, 2500)
    history(app, 20)
    for _ in range(10):
        sent_referral(app)
    disputed = rejected_referral(app).aggregate.id
    referral_acts(app).dispute(person(app, "qian-min"), disputed, grounds="职责明确")
    admin_acts(app).publish_schedule(
        ADMIN, year=2027, holidays=[date(2027, 1, 1)], working_days=[], source=""
    )
    circulated_meeting(app)
    postponed = convened_meeting(app).aggregate
    later = postponed.starts_at + timedelta(days=7)
    meeting_acts(app).postpone(person(app, "qian-min"), postponed.id, later, "会议室调整")
    letter = sent_letter(app).aggregate.id
    meeting_acts(app).answer_letter(person(app, "zhu-xia"), letter, "同意")
    reported_transfer(app)
    refused = not_filed_transfer(app)
    crime_transfer_acts(app).request_reconsideration(person(app, "zhao-qiang"), refused, "鉴定")
    issued = issued_minutes(app, clock).aggregate.id  # held a week on: the clock moves there
    meeting_acts(app).acknowledge(person(app, "zhu-xia"), issued)


def assert_equal_to_replays(container) -> None:
    """Every view, the meetings' tracker among them, as a replay of the whole store builds it."""
    for name in sorted(VIEWS):
        view = container.view(VIEWS[name])
        assert rows(container, view) == rows(container, replayed(container, name).view), name


def test_a_rebuild_under_load_equals_a_replay_and_queries_go_on(demo, clock):
    app = demo.app
    mixed_history(app, clock)
    assert demo.wait_for(app.head_position(), 30)
    stop = threading.Event()
    failures: list[BaseException] = []

    def keep_going(work) -> None:
        while not stop.is_set():
            try:
                work()
            except BaseException as error:  # reported by the test below
                failures.append(error)
                return

    def command() -> None:
        case_acts(app).register(person(app, "wang-fang"), case_details())

    def query() -> None:
        with demo.views_db.reading() as db:
            assert demo.view(CaseView).list_cases(
                db, CaseQuery(units=("tj-bh-yjj-zfs",)), app.clock()
            )

    workers = [threading.Thread(target=keep_going, args=(w,)) for w in (command, query)]
    for worker in workers:
        worker.start()
    out = io.StringIO()
    try:
        swapped = rebuild(demo, sorted(VIEWS), "store", lambda: Progress(out))["cases"]
    finally:
        stop.set()
        for worker in workers:
            worker.join()
    assert failures == []
    assert swapped > 2500
    assert "cases swapped in at position" in out.getvalue()
    assert "meetings swapped in at position" in out.getvalue()
    assert "crime_transfers swapped in at position" in out.getvalue()
    assert demo.wait_for(app.head_position(), 10)
    assert_equal_to_replays(demo)


@pytest.mark.kafka
@pytest.mark.postgres
def test_a_rebuild_from_kafka_equals_a_replay(postgres_url, kafka_bootstrap, tmp_path: Path):
    reset_schema(postgres_url)
    clock = FakeClock()
    container = build(kafka_settings(postgres_url, kafka_bootstrap, tmp_path), clock=clock)
    try:
        seed(container.app)
        mixed_history(container.app, clock)
        from services.bootstrap import VIEWS, build_relay

        relay_everything(build_relay(container))
        history(container.app, 2)  # stored after the relay stopped: the swap catches up
        rebuild(container, sorted(VIEWS), "kafka", lambda: Progress(io.StringIO()))
        assert_equal_to_replays(container)
    finally:
        container.close()


def test_the_rebuild_command_prints_progress_lines(
    store_url, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("LIANDONG_DATABASE_URL", store_url)
    monkeypatch.setenv("LIANDONG_JWT_SECRET", "a-secret-for-the-command-line-test")
    monkeypatch.setenv("LIANDONG_VAR_DIR", str(tmp_path))
    assert main(["seed-demo"]) == 0
    assert main(["rebuild", "--all"]) == 0
    err = capsys.readouterr().err
    assert "rebuilding cases from store: 0/" in err
    assert "cases swapped in at position" in err
