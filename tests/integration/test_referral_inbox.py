"""The referral view follows the calendar: provisional due dates become exact when the year's
holiday schedule is published."""

from __future__ import annotations

from datetime import date, datetime

from domain.calendar import SHANGHAI
from projections.referrals import BoxQuery, ReferralView
from services.demo import ADMIN
from tests.scenarios import admin_acts, person, referral_acts, referral_details


def outbox(container, agency="tj-bh-yjj"):
    assert container.wait_for(container.app.head_position(), 5)
    with container.views_db.reading() as db:
        return container.view(ReferralView).box(db, BoxQuery(agency, "out"), container.app.clock())


def test_a_published_schedule_makes_provisional_referral_deadlines_exact(demo, clock):
    # No 2027 holidays are known: 3 working days after Wednesday 2026-12-30 count Thursday,
    # Friday 1 January and Monday 4 January, marked provisional.
    app = demo.app
    clock.set(datetime(2026, 12, 30, 10, 0, tzinfo=SHANGHAI))
    found = datetime(2026, 12, 30, 9, 0, tzinfo=SHANGHAI)
    referral_acts(app).draft(person(app, "wang-fang"), referral_details(app, found_at=found))
    [entry] = outbox(demo)
    [send] = entry["deadlines"]
    assert (send["due_at"][:10], send["provisional"], entry["provisional"]) == (
        "2027-01-04",
        True,
        True,
    )

    admin_acts(app).publish_schedule(
        ADMIN, year=2027, holidays=[date(2027, 1, 1)], working_days=[], source=""
    )
    [entry] = outbox(demo)
    [send] = entry["deadlines"]
    assert (send["due_at"][:10], send["provisional"], entry["provisional"]) == (
        "2027-01-05",
        False,
        False,
    )
