"""The case view: built by its projection, exactly once, recomputed when a calendar arrives."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from eventsourcing.persistence import IntegrityError, Tracking

from domain.calendar import SHANGHAI
from projections.cases import CaseQuery, CaseView
from projections.records import to_record
from services.demo import ADMIN
from services.viewstore import ViewStore
from tests.scenarios import (
    accident_details,
    admin_acts,
    case_acts,
    case_details,
    filed_office_case,
    person,
)


def view_of(container, case_id, now=None):
    assert container.wait_for(container.app.head_position(), 5)
    with container.views_db.reading() as db:
        return container.view(CaseView).get_case(db, str(case_id), now or container.app.clock())


def test_the_view_shows_a_filed_case_with_its_number_and_timeline(demo):
    saved = filed_office_case(demo.app)
    doc = view_of(demo, saved.aggregate.id)
    assert doc["number"] == "津滨应急罚〔2026〕1号"
    assert doc["status"] == "filed"
    assert [t["type"] for t in doc["timeline"]] == [
        "Registered",
        "FilingRequested",
        "FilingReviewed",
        "Filed",
    ]
    assert doc["version"] == saved.aggregate.version == 4
    assert doc["position"] == saved.position
    assert [d["name"] for d in doc["deadlines"]] == ["decision"]


def test_a_published_schedule_makes_provisional_deadlines_exact(demo, clock):
    # The package knows no 2027 holidays: five working days after Thursday 2026-12-31 are
    # counted on weekends only (1, 4, 5, 6, 7 January) and marked provisional.
    app = demo.app
    clock.set(datetime(2027, 1, 2, 10, 0, tzinfo=SHANGHAI))
    handed = datetime(2026, 12, 31, 15, 0, tzinfo=SHANGHAI)
    saved = case_acts(app).register(person(app, "chen-jie"), accident_details(handed))
    filing = view_of(demo, saved.aggregate.id)["deadlines"][0]
    assert filing["provisional"] is True
    assert filing["due_at"].startswith("2027-01-07T23:59:59")

    admin_acts(app).publish_schedule(
        ADMIN, year=2027, holidays=[date(2027, 1, 1)], working_days=[], source="国办发明电〔2026〕"
    )
    filing = view_of(demo, saved.aggregate.id)["deadlines"][0]
    assert filing["provisional"] is False
    assert filing["due_at"].startswith("2027-01-08T23:59:59")


def test_a_schedule_published_first_is_used_for_new_deadlines(demo, clock):
    app = demo.app
    admin_acts(app).publish_schedule(
        ADMIN, year=2027, holidays=[date(2027, 1, 1)], working_days=[], source=""
    )
    clock.set(datetime(2027, 1, 2, 10, 0, tzinfo=SHANGHAI))
    handed = datetime(2026, 12, 31, 15, 0, tzinfo=SHANGHAI)
    saved = case_acts(app).register(person(app, "chen-jie"), accident_details(handed))
    assert saved.aggregate.deadlines["filing"]["provisional"] is False
    assert view_of(demo, saved.aggregate.id)["deadlines"][0]["due_at"].startswith("2027-01-08")


def test_each_event_changes_the_view_exactly_once(demo):
    app = demo.app
    saved = case_acts(app).register(person(app, "wang-fang"), case_details())
    assert demo.wait_for(saved.position, 5)
    note = app.recorder.select_notifications(start=saved.position, limit=1)[0]
    record = to_record(app.mapper.to_domain_event(note), note.id)
    with pytest.raises(IntegrityError):
        demo.store_of("cases").apply([record], Tracking(app.name, note.id))
    assert len(view_of(demo, saved.aggregate.id)["timeline"]) == 1


def test_a_view_rebuilt_from_the_store_equals_the_live_one(demo):
    app = demo.app
    for _ in range(3):
        filed_office_case(app)
    case_acts(app).register(person(app, "chen-jie"), accident_details(app.clock()))
    live = _all_cases(demo, demo.view(CaseView))

    rebuilt_view = CaseView(suffix="_rebuild")
    rebuilt = ViewStore(demo.views_db, rebuilt_view)
    rebuilt.create_tables()
    notes = app.recorder.select_notifications(start=1, limit=10_000)
    records = [to_record(app.mapper.to_domain_event(n), n.id) for n in notes]
    rebuilt.apply(records, Tracking(app.name, records[-1].position))
    assert _all_cases(demo, rebuilt_view) == live


def _all_cases(container, view):
    assert container.wait_for(container.app.head_position(), 5)
    now = container.app.clock()
    with container.views_db.reading() as db:
        summaries = []
        for unit in ("tj-bh-yjj-zfs", "tj-bh-zfzd-jcs"):
            summaries += view.list_cases(db, CaseQuery(units=(unit,)), now)
        return summaries, [view.get_case(db, s["id"], now) for s in summaries]
