"""The deadline watcher: each kind of time limit turns yellow within its lead time and red once
it has passed, at its edge, with a controlled clock; a warning is withdrawn when the act is
done, when the limit moves, and never raised twice — not by a restarted watcher, not after a
view is rebuilt. A published holiday schedule moves provisional limits and their warnings."""

from __future__ import annotations

import io
from datetime import date, timedelta
from uuid import UUID

import pytest

from domain.warning import warning_id
from projections.warnings import WarningView
from services.demo import ADMIN
from services.handlers.case_measures import CaseMeasureHandlers
from services.progress import Progress
from services.rebuild import rebuild
from services.warnings.leads import LeadTimes
from services.warnings.sources import BY_KIND
from services.warnings.watcher import Watcher
from tests.districts import at, events, seeded_district
from tests.scenarios import (
    accident_details,
    admin_acts,
    case_acts,
    convened_meeting,
    crime_transfer_acts,
    filed_office_case,
    person,
    referral_acts,
    referral_details,
    reported_transfer,
    sent_assistance,
)

SECOND = timedelta(seconds=1)


@pytest.fixture
def district(store_url, tmp_path, clock):
    """The demo district, its in-process watcher idle (the tests pass by hand)."""
    with seeded_district(store_url, tmp_path, clock, watch_poll_seconds=3600) as built:
        yield built


def watch(district):
    """One pass of a watcher of its own, as a process started afresh would make it."""
    district.wait_for(district.app.head_position(), 10)
    return Watcher(district).watch()


def limit_of(district, kind, resource_id, name):
    source = BY_KIND[kind]
    district.wait_for(district.app.head_position(), 10)
    view = district.store_of(source.view.name).view
    with district.views_db.reading() as cursor:
        limits = source.running(view, cursor)
    return next(x for x in limits if x["resource_id"] == str(resource_id) and x["name"] == name)


def open_warnings(district, resource_id):
    district.wait_for(district.app.head_position(), 10)
    with district.views_db.reading() as cursor:
        rows = district.view(WarningView).all_open(cursor)
    return {(r["name"], r["colour"]) for r in rows if r["resource_id"] == str(resource_id)}


def story(district, limit):
    """The warning's events on one occurrence: (event, colour or why)."""
    from datetime import datetime

    occurrence = warning_id(
        limit["resource_id"], limit["name"], datetime.fromisoformat(limit["due_at"])
    )
    return [
        (type(e).__name__, str(getattr(e, "colour", getattr(e, "why", ""))))
        for e in events(district.app, occurrence)
    ]


def crosses(district, clock, kind, resource_id, name):
    """Quiet before the lead time, yellow from it, red once the limit has passed."""
    limit = limit_of(district, kind, resource_id, name)
    from datetime import datetime

    yellow = LeadTimes({}, district.app.calendar()).yellow_from(limit["rule"], limit["due_at"])
    due = datetime.fromisoformat(limit["due_at"])
    clock.set(yellow - SECOND)
    watch(district)
    assert (name, "yellow") not in open_warnings(district, resource_id)
    clock.set(yellow + SECOND)
    watch(district)
    assert (name, "yellow") in open_warnings(district, resource_id)
    clock.set(due + SECOND)
    watch(district)
    assert (name, "red") in open_warnings(district, resource_id)
    assert story(district, limit) == [("Raised", "yellow"), ("Raised", "red")]
    assert limit["agency"]
    return limit


def test_a_referrals_send_limit_turns_yellow_then_red_and_is_withdrawn_when_sent(district, clock):
    app = district.app
    drafted = referral_acts(app).draft(person(app, "wang-fang"), referral_details(app))
    referral_id = drafted.aggregate.id
    limit = crosses(district, clock, "referral", referral_id, "send")
    assert limit["agency"] == "tj-bh-yjj"  # the sender sends it
    referral_acts(app).approve(person(app, "qian-min"), referral_id)
    referral_acts(app).send(person(app, "wang-fang"), referral_id)
    watch(district)
    assert story(district, limit)[-1] == ("Withdrawn", "met")
    assert open_warnings(district, referral_id) == set()


def test_an_assistance_answer_warns_the_asked_agency_and_an_extension_moves_it(district, clock):
    app = district.app
    referral_id = sent_assistance(app).aggregate.id
    limit = crosses(district, clock, "referral", referral_id, "answer")
    assert limit["agency"] == "tj-bh-zfzd"  # the receiver answers
    until = clock() + timedelta(days=10)
    referral_acts(app).extend_answer(
        person(app, "zheng-hua"), referral_id, reason="检测需要时间", until=until
    )
    watch(district)
    assert story(district, limit)[-1] == ("Withdrawn", "moved")
    moved = limit_of(district, "referral", referral_id, "answer")
    assert story(district, moved) == []  # ten days off: not within its lead time yet
    crosses(district, clock, "referral", referral_id, "answer")


def test_meeting_materials_and_minutes_are_the_conveners(district, clock):
    meeting_id = convened_meeting(district.app).aggregate.id
    materials = crosses(district, clock, "meeting", meeting_id, "materials")
    minutes = crosses(district, clock, "meeting", meeting_id, "minutes")
    assert materials["agency"] == minutes["agency"] == "tj-bh-yjj"


def test_a_crime_transfer_step_and_a_case_decision_limit(district, clock):
    app = district.app
    transfer_id = reported_transfer(app)
    step = crosses(district, clock, "crime-transfer", transfer_id, "decision")
    assert step["agency"] == "tj-bh-yjj"
    crime_transfer_acts(app).decide(person(app, "zhao-qiang"), transfer_id, True, False, "同意")
    watch(district)
    assert story(district, step)[-1] == ("Withdrawn", "met")
    case_id = filed_office_case(app).aggregate.id
    decision = crosses(district, clock, "case", case_id, "decision")
    assert decision["agency"] == "tj-bh-yjj-zfk" or decision["agency"]


def test_a_reinspection_turns_red_and_is_withdrawn_once_done(district, clock):
    app = district.app
    wang, measures = person(app, "wang-fang"), CaseMeasureHandlers(app)
    case_id = filed_office_case(app).aggregate.id
    saved = measures.order_rectification(
        wang, case_id, items=["动火作业未履行审批手续"], due=clock()
    )
    order = UUID(next(iter(saved.aggregate.rectifications)))
    name = next(n for n in saved.aggregate.deadlines if str(order) in n)
    limit = crosses(district, clock, "case", case_id, name)
    measures.reinspect(wang, case_id, order, complied=True, findings="已全部整改")
    watch(district)
    assert story(district, limit)[-1] == ("Withdrawn", "met")


def test_a_watcher_down_across_both_edges_raises_red_once_and_never_again(district, clock):
    app = district.app
    referral_id = referral_acts(app).draft(person(app, "wang-fang"), referral_details(app))
    limit = limit_of(district, "referral", referral_id.aggregate.id, "send")
    from datetime import datetime

    clock.set(datetime.fromisoformat(limit["due_at"]) + timedelta(hours=3))
    first = watch(district)
    assert first.raised >= 1
    for _ in range(2):  # restarted, and again: nothing new
        again = watch(district)
        assert (again.raised, again.turned_red, again.withdrawn) == (0, 0, 0)
    assert story(district, limit) == [("Raised", "red")]


def test_two_watchers_at_once_raise_a_crossing_once(district, clock):
    app = district.app
    drafted = referral_acts(app).draft(person(app, "wang-fang"), referral_details(app))
    limit = limit_of(district, "referral", drafted.aggregate.id, "send")
    from datetime import datetime

    clock.set(datetime.fromisoformat(limit["due_at"]) + SECOND)
    district.wait_for(app.head_position(), 10)
    one, two = Watcher(district), Watcher(district)
    one.watch()
    passed = two.watch()  # its view had not seen the first's warning when it read
    assert passed.raised == 0
    assert story(district, limit) == [("Raised", "red")]


def test_a_rebuilt_view_raises_and_withdraws_nothing(district, clock):
    app = district.app
    drafted = referral_acts(app).draft(person(app, "wang-fang"), referral_details(app))
    limit = limit_of(district, "referral", drafted.aggregate.id, "send")
    from datetime import datetime

    clock.set(datetime.fromisoformat(limit["due_at"]) + SECOND)
    watch(district)
    rebuild(district, ["referrals", "warnings"], "store", lambda: Progress(io.StringIO()))
    after = watch(district)
    assert (after.raised, after.turned_red, after.withdrawn) == (0, 0, 0)
    assert story(district, limit) == [("Raised", "red")]


def test_a_published_schedule_moves_a_provisional_limit_and_its_warning(district, clock):
    # The package knows no 2027 holidays: the filing limit of an accident case handed over on
    # 31 December 2026 is counted on weekends only, due 7 January, until 1 January is published.
    app = district.app
    clock.set(at(2027, 1, 2, 10))
    handed = at(2026, 12, 31, 15)
    case_id = (
        case_acts(app).register(person(app, "chen-jie"), accident_details(handed)).aggregate.id
    )
    provisional = limit_of(district, "case", case_id, "filing")
    assert provisional["provisional"] and provisional["due_at"].startswith("2027-01-07")
    clock.set(at(2027, 1, 7, 12))
    watch(district)
    assert story(district, provisional) == [("Raised", "yellow")]
    admin_acts(app).publish_schedule(
        ADMIN, year=2027, holidays=[date(2027, 1, 1)], working_days=[], source="国办发明电"
    )
    watch(district)
    assert story(district, provisional)[-1] == ("Withdrawn", "moved")
    exact = limit_of(district, "case", case_id, "filing")
    assert exact["due_at"].startswith("2027-01-08") and not exact["provisional"]
    assert story(district, exact) == []  # a working day off again
    clock.set(at(2027, 1, 8, 12))
    watch(district)
    assert story(district, exact) == [("Raised", "yellow")]


def test_the_watchers_last_pass_shows_in_readiness(district, clock):
    from fastapi.testclient import TestClient

    from services.api.main import create_app

    with TestClient(create_app(district)) as client:
        assert client.get("/readyz").json()["watch"]["last_pass"] is None
        referral_acts(district.app).draft(
            person(district.app, "wang-fang"), referral_details(district.app)
        )
        watch(district)
        clock.advance(minutes=5)
        state = client.get("/readyz").json()["watch"]
        assert state["seconds_since"] == 300 and state["skipped"] == []
        metrics = client.get("/metrics").text
        assert "liandong_watch_seconds_since_pass 300.0" in metrics
