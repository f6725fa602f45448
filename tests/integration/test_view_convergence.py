"""A view fed out of global order (Kafka keeps order per aggregate only, and repeats events)
converges to the same rows as a replay in global order."""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.calendar import SHANGHAI
from domain.meeting_events import Answer
from projections.records import to_record
from services.bootstrap import VIEWS
from services.demo import ADMIN
from services.viewstore import ViewStore
from tests.backbone import replayed, rows
from tests.districts import at
from tests.scenarios import (
    accident_details,
    admin_acts,
    case_acts,
    convened_meeting,
    crime_transfer_acts,
    decided_filing,
    filed_office_case,
    follow_up_decision,
    meeting_acts,
    person,
    received_crime_transfer,
    referral_acts,
    rejected_referral,
    reported_transfer,
    sent_assistance,
    sent_crime_transfer,
    sent_letter,
    sent_referral,
)


def cross_aggregate_history(demo, clock):
    """Cases, meetings and crime transfers whose deadlines depend on a holiday schedule published
    between them."""
    app = demo.app
    clock.set(datetime(2027, 1, 2, 10, 0, tzinfo=SHANGHAI))
    handed = datetime(2026, 12, 31, 15, 0, tzinfo=SHANGHAI)
    meetings = meeting_acts(app)
    # Monday's meeting: its materials are due 3 working days ahead, counted back over New Year's
    # Day, a working day until the schedule says otherwise.
    monday = convened_meeting(app, starts_at=at(2027, 1, 4, 9)).aggregate.id
    meetings.answer(person(app, "zhu-xia"), monday, Answer.ATTENDS, ["zhu-xia"], None)
    friday = convened_meeting(app, starts_at=at(2027, 1, 8, 9)).aggregate.id
    letter = sent_letter(app).aggregate.id
    for days in range(3):
        case_acts(app).register(
            person(app, "chen-jie"), accident_details(handed - timedelta(days=days))
        )
    filed_office_case(app)
    referral = sent_referral(app, found_at=app.clock() - timedelta(hours=1)).aggregate.id
    disputed = rejected_referral(app).aggregate.id
    referral_acts(app).dispute(person(app, "qian-min"), disputed, grounds="职责明确")
    # Their 3 days run into 2027, provisional until the schedule comes.
    reported, sent = reported_transfer(app), sent_crime_transfer(app)
    forwarded = received_crime_transfer(app)
    admin_acts(app).publish_schedule(
        ADMIN, year=2027, holidays=[date(2027, 1, 1)], working_days=[], source=""
    )
    referral_acts(app).acknowledge(person(app, "zhu-xia"), referral)
    sent_assistance(app)
    for days in range(2):
        case_acts(app).register(
            person(app, "chen-jie"), accident_details(handed - timedelta(days=days))
        )
    filed_office_case(app)
    transfers_after_the_schedule(app, reported, sent, forwarded)
    meeting_after_the_schedule(app, clock, monday, friday, letter)
    notes = app.recorder.select_notifications(start=1, limit=100_000)
    return [to_record(app.mapper.to_domain_event(n), n.id) for n in notes]


def transfers_after_the_schedule(app, reported, sent, forwarded) -> None:
    """The head refuses one transfer; public security receives and refuses to file another;
    a third is forwarded to the competent public security."""
    acts = crime_transfer_acts(app)
    acts.decide(person(app, "zhao-qiang"), reported, False, False, "不构成犯罪")
    acts.sign_receipt(person(app, "qin-song"), sent, "")
    decided_filing(app, sent, False)
    acts.forward(person(app, "qin-song"), forwarded, "tj-xq-gaj", "不属本局管辖")


def meeting_after_the_schedule(app, clock, monday, friday, letter) -> None:
    """Monday's meeting held, its minutes issued with a follow-up item (done) and a matter sent
    up to the city bureau; Friday's postponed; the letter answered."""
    meetings = meeting_acts(app)
    bureau, market = person(app, "qian-min"), person(app, "zhu-xia")
    meetings.circulate(bureau, monday, [{"title": "会商材料", "uri": None, "sha256": None}])
    clock.set(at(2027, 1, 4, 10))
    present = [
        {"agency": "tj-bh-yjj", "officers": ["qian-min"]},
        {"agency": "tj-bh-scjg", "officers": ["zhu-xia"]},
    ]
    meetings.hold(bureau, monday, present)
    minutes = {
        "text": "经会商，形成如下意见",
        "decisions": [follow_up_decision("tj-bh-scjg", "2027-01-15")],
        "passed_up": [{"matter": "跨区域管辖", "to": "city_bureau"}],
    }
    meetings.draft_minutes(bureau, monday, minutes)
    meetings.approve_minutes(person(app, "zhao-qiang"), monday)
    meetings.issue_minutes(bureau, monday)
    meetings.acknowledge(market, monday)
    meetings.report_follow_up(market, monday, "1", "已报送检查情况")
    meetings.postpone(bureau, friday, at(2027, 1, 12, 9), "主要负责人出差")
    meetings.answer_letter(market, letter, "同意")


def kafka_like(records, rnd: random.Random):
    """An interleaving that keeps each aggregate's order, with some events delivered twice."""
    queues: dict[str, list] = {}
    for record in records:
        queues.setdefault(record.aggregate_id, []).append(record)
    delivered = []
    while queues:
        aggregate = rnd.choice(sorted(queues))
        record = queues[aggregate].pop(0)
        delivered.append(record)
        if rnd.random() < 0.2:
            delivered.append(record)
        if not queues[aggregate]:
            del queues[aggregate]
    return delivered


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_out_of_order_delivery_converges_to_the_global_replay(demo, clock, name):
    records = cross_aggregate_history(demo, clock)
    expected = rows(demo, replayed(demo, name).view)
    # The history touches every view: its documents, their history and, where kept, deadlines.
    assert all(expected[t] for t in ("deadlines", "history", "timeline") if t in expected)
    if name == "meetings":  # the schedule moved Monday's materials back past New Year's Day
        materials = [r for r in expected["deadlines"] if r[1] == "materials"]
        assert any(r[5] == "2026-12-29T23:59:59+08:00" for r in materials), materials
        assert [r[0] for r in expected["members"] if r[3] == "passed_up"] == ["tj-yjj"]
    if name == "crime_transfers":  # the schedule made the transfers' deadlines exact
        assert {r[7] for r in expected["deadlines"]} <= {"False", "0"}  # not provisional
        assert "tj-xq-gaj" in {r[0] for r in expected["members"]}
        assert {r[1] for r in expected["milestones"]} == {"transferred", "not_filed"}

    @given(rnd=st.randoms(use_true_random=False), batch=st.integers(1, 40))
    @settings(max_examples=25, deadline=None, database=None)
    def converges(rnd: random.Random, batch: int) -> None:
        store = ViewStore(demo.views_db, VIEWS[name](suffix=f"_k{uuid.uuid4().hex[:8]}"))
        store.create_tables()
        delivered = kafka_like(records, rnd)
        for start in range(0, len(delivered), batch):
            store.apply_unordered(delivered[start : start + batch], demo.app.name)
        assert rows(demo, store.view) == expected

    converges()
