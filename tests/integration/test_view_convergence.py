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
from projections.records import to_record
from services.bootstrap import VIEWS
from services.demo import ADMIN
from services.viewstore import ViewStore
from tests.backbone import replayed, rows
from tests.scenarios import (
    accident_details,
    admin_acts,
    case_acts,
    filed_office_case,
    person,
    referral_acts,
    rejected_referral,
    sent_assistance,
    sent_referral,
)


def cross_aggregate_history(demo, clock):
    """Cases whose deadlines depend on a holiday schedule published between them."""
    app = demo.app
    clock.set(datetime(2027, 1, 2, 10, 0, tzinfo=SHANGHAI))
    handed = datetime(2026, 12, 31, 15, 0, tzinfo=SHANGHAI)
    for days in range(3):
        case_acts(app).register(
            person(app, "chen-jie"), accident_details(handed - timedelta(days=days))
        )
    filed_office_case(app)
    referral = sent_referral(app, found_at=app.clock() - timedelta(hours=1)).aggregate.id
    disputed = rejected_referral(app).aggregate.id
    referral_acts(app).dispute(person(app, "qian-min"), disputed, grounds="职责明确")
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
    notes = app.recorder.select_notifications(start=1, limit=100_000)
    return [to_record(app.mapper.to_domain_event(n), n.id) for n in notes]


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
