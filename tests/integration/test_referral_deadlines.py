"""A referral's deadlines, counted on the Chinese working-day calendar (DOMAIN.md §Time):
sending within 3 working days of the finding (seed 000) or 5 (seed 003, mechanism "licheng"),
24 hours when urgent; an assistance request answered within 5 working days of receipt, once
extendable. The 2026 schedule, as the chinese-calendar package has it:
National Day 1–7 October off, Sunday 20 September and Saturday 10 October worked;
Mid-Autumn 25–27 September off; Spring Festival 15–23 February off, Saturdays 14 and 28 February
worked."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest

from domain.errors import Conflict, Forbidden, Invalid
from tests.districts import at, end_of, last_event, seeded_district
from tests.scenarios import (
    MATERIALS,
    acknowledged_referral,
    assistance_details,
    person,
    referral_acts,
    referral_details,
    sent_assistance,
    sent_referral,
)


@pytest.fixture
def licheng(store_url, tmp_path, clock):
    with seeded_district(store_url, tmp_path, clock, mechanism="licheng") as district:
        yield district


def found(app, clock, moment, **changes):
    """The bureau drafts a referral of something found at `moment`, an hour later."""
    clock.set(moment + timedelta(hours=1))
    details = referral_details(app, found_at=moment, **changes)
    return referral_acts(app).draft(person(app, "wang-fang"), details).aggregate


def send_deadline(app, clock, moment, **changes):
    return found(app, clock, moment, **changes).deadlines["send"]


def test_the_calendar_package_has_the_2026_holidays_these_examples_assume():
    off = [date(2026, 10, d) for d in range(1, 8)] + [date(2026, 2, d) for d in range(15, 24)]
    worked = [date(2026, 9, 20), date(2026, 10, 10), date(2026, 2, 14), date(2026, 2, 28)]
    assert not any(chinese_calendar.is_workday(d) for d in off)
    assert all(chinese_calendar.is_workday(d) for d in worked)
    assert not chinese_calendar.is_workday(date(2026, 9, 25)), "Mid-Autumn"


# Sending: 3 or 5 working days by mechanism ----------------------------------------------------


def test_a_referral_is_sent_within_3_working_days_by_default(demo, clock):
    deadline = send_deadline(demo.app, clock, at(2026, 11, 23, 9))  # a Monday
    assert deadline["due_at"] == end_of(2026, 11, 26)
    assert deadline["rule"] == "3 working days"
    assert deadline["provisional"] is False
    assert deadline["start"] == at(2026, 11, 23, 9)


def test_licheng_gives_5_working_days(licheng, clock):
    app = licheng.app
    referral = found(app, clock, at(2026, 11, 23, 9))
    assert referral.mechanism == "licheng"
    assert referral.deadlines["send"]["due_at"] == end_of(2026, 11, 30)
    assert referral.deadlines["send"]["rule"] == "5 working days"


def test_the_mechanism_is_chosen_by_the_senders_region(store_url, tmp_path, clock):
    by_region = {"120111": "licheng"}  # 西青区; Binhai (120116) keeps the default
    with seeded_district(store_url, tmp_path, clock, mechanisms_by_region=by_region) as district:
        app = district.app
        binhai = found(app, clock, at(2026, 11, 23, 9))
        assert (binhai.mechanism, binhai.deadlines["send"]["due_at"]) == (
            "default",
            end_of(2026, 11, 26),
        )
        details = referral_details(
            app,
            from_agency="tj-xq-yjj",
            to_agency="tj-bh-yjj",
            found_at=at(2026, 11, 23, 9),
            place={"region": "120111", "address": "西青区某工业园"},
        )
        xiqing = referral_acts(app).draft(person(app, "lin-feng"), details).aggregate
        assert (xiqing.mechanism, xiqing.deadlines["send"]["due_at"]) == (
            "licheng",
            end_of(2026, 11, 30),
        )


@pytest.mark.parametrize(
    ("finding", "due"),
    [
        # Wednesday before National Day: 8, 9 and Saturday 10 October (worked).
        (at(2026, 9, 30, 15), end_of(2026, 10, 10)),
        # Friday 18 September: Sunday the 20th is worked, then 21 and 22.
        (at(2026, 9, 18, 16), end_of(2026, 9, 22)),
        # Thursday before Mid-Autumn and National Day: 28, 29, 30 September.
        (at(2026, 9, 24, 10), end_of(2026, 9, 30)),
        # Friday before the Spring Festival: Saturday 14 February (worked), 24, 25.
        (at(2026, 2, 13, 11), end_of(2026, 2, 25)),
        # Thursday 12 February: 13, Saturday 14 (worked), then 24 after the holiday.
        (at(2026, 2, 12, 11), end_of(2026, 2, 24)),
    ],
)
def test_3_working_days_skip_the_holidays_and_count_the_worked_weekends(demo, clock, finding, due):
    deadline = send_deadline(demo.app, clock, finding)
    assert deadline["due_at"] == due
    assert deadline["provisional"] is False


@pytest.mark.parametrize(
    ("finding", "due"),
    [
        # 8, 9, Saturday 10, 12, 13 October.
        (at(2026, 9, 30, 15), end_of(2026, 10, 13)),
        # Saturday 14 February (worked), 24, 25, 26, 27.
        (at(2026, 2, 13, 11), end_of(2026, 2, 27)),
        # 26, 27, Saturday 28 February (worked), 2 and 3 March.
        (at(2026, 2, 25, 11), end_of(2026, 3, 3)),
    ],
)
def test_5_working_days_skip_the_holidays_and_count_the_worked_weekends(
    licheng, clock, finding, due
):
    deadline = send_deadline(licheng.app, clock, finding)
    assert deadline["due_at"] == due
    assert deadline["rule"] == "5 working days"


def test_a_deadline_reaching_into_a_year_without_a_schedule_is_provisional(demo, clock):
    # Wednesday 30 December 2026: the 2027 holidays are not published yet, so 1 January counts.
    deadline = send_deadline(demo.app, clock, at(2026, 12, 30, 9))
    assert deadline["due_at"] == end_of(2027, 1, 4)
    assert deadline["provisional"] is True


@pytest.mark.parametrize("district", ["demo", "licheng"])
def test_an_urgent_referral_is_sent_within_24_hours_holiday_or_not(
    request, store_url, clock, district
):
    app = request.getfixturevalue(district).app
    deadline = send_deadline(app, clock, at(2026, 9, 30, 15), urgent=True)
    assert deadline["due_at"] == at(2026, 10, 1, 15)
    assert deadline["rule"] == "24 hours"
    assert deadline["provisional"] is False


# Sending late ---------------------------------------------------------------------------------


# Everything a referral may need to carry, so one is approved under every mechanism.
EVERY_MATERIAL = [
    *MATERIALS,
    {"kind": "determination", "title": "认定意见"},
    {"kind": "appraisal", "title": "鉴定结论"},
]


def approved(app, clock, moment, **changes):
    referral = found(app, clock, moment, materials=EVERY_MATERIAL, **changes)
    referral_acts(app).approve(person(app, "qian-min"), referral.id)
    return referral.id


@pytest.mark.parametrize(
    ("sent_at", "late"),
    [
        (at(2026, 10, 10, 20), False),  # the worked Saturday, before its end
        (at(2026, 10, 11, 0, 0, 1), True),
        (at(2026, 10, 12, 9), True),
    ],
)
def test_a_late_referral_is_sent_but_marked_late(demo, clock, sent_at, late):
    app = demo.app
    referral_id = approved(app, clock, at(2026, 9, 30, 15))
    clock.set(sent_at)
    referral = referral_acts(app).send(person(app, "wang-fang"), referral_id).aggregate
    assert referral.status == "sent"
    assert referral.sent_late is late
    assert referral.deadlines["send"]["met_at"] == sent_at
    sent = last_event(app, referral_id)
    assert (type(sent).__name__, sent.late) == ("Sent", late)


def test_an_urgent_referral_sent_after_24_hours_is_late(demo, clock):
    app = demo.app
    referral_id = approved(app, clock, at(2026, 11, 23, 9), urgent=True)
    clock.set(at(2026, 11, 24, 9, 1))
    assert (
        referral_acts(app).send(person(app, "wang-fang"), referral_id).aggregate.sent_late is True
    )


@pytest.mark.parametrize(("district", "late"), [("demo", True), ("licheng", False)])
def test_a_week_later_is_late_by_default_but_not_under_licheng(
    request, store_url, clock, district, late
):
    """Sent on Monday 30 November: within 5 working days of Monday the 23rd, not within 3."""
    app = request.getfixturevalue(district).app
    referral_id = approved(app, clock, at(2026, 11, 23, 9))
    clock.set(at(2026, 11, 30, 17))
    assert (
        referral_acts(app).send(person(app, "wang-fang"), referral_id).aggregate.sent_late is late
    )


# Assistance: the answer -----------------------------------------------------------------------


def assistance_sent_at(app, clock, moment, **changes):
    clock.set(moment)
    return sent_assistance(app, **changes).aggregate


@pytest.mark.parametrize(
    ("sent_at", "due"),
    [
        (at(2026, 11, 23, 10), end_of(2026, 11, 30)),
        (at(2026, 9, 30, 15), end_of(2026, 10, 13)),
        (at(2026, 2, 13, 11), end_of(2026, 2, 27)),
        (at(2026, 2, 25, 11), end_of(2026, 3, 3)),
    ],
)
def test_an_assistance_request_is_answered_within_5_working_days_of_receipt(
    demo, clock, sent_at, due
):
    referral = assistance_sent_at(demo.app, clock, sent_at)
    answer = referral.deadlines["answer"]
    assert (answer["start"], answer["due_at"]) == (sent_at, due)
    assert answer["rule"] == "5 working days"
    assert referral.details["on_scene_requested"] is False


def test_the_answer_deadline_is_5_working_days_under_every_mechanism(licheng, clock):
    referral = assistance_sent_at(licheng.app, clock, at(2026, 11, 23, 10))
    assert referral.deadlines["answer"]["due_at"] == end_of(2026, 11, 30)


def test_no_answer_is_due_before_the_request_is_sent(demo):
    app = demo.app
    referral = referral_acts(app).draft(person(app, "jiang-hai"), assistance_details(app)).aggregate
    assert set(referral.deadlines) == {"send"}


def test_urgent_assistance_asks_for_presence_on_the_scene_within_24_hours(demo, clock):
    referral = assistance_sent_at(demo.app, clock, at(2026, 9, 30, 15), urgent=True)
    assert referral.details["on_scene_requested"] is True
    assert referral.deadlines["answer"]["due_at"] == at(2026, 10, 1, 15)
    assert referral.deadlines["answer"]["rule"] == "24 hours"


def test_an_urgent_referral_does_not_ask_for_presence_on_the_scene(demo, clock):
    referral = found(demo.app, clock, at(2026, 11, 23, 9), urgent=True)
    assert referral.details["on_scene_requested"] is False


@pytest.mark.parametrize(
    ("answered_at", "late"), [(end_of(2026, 11, 30), False), (at(2026, 12, 1, 8), True)]
)
def test_a_late_answer_is_marked_late(demo, clock, answered_at, late):
    app = demo.app
    referral = assistance_sent_at(app, clock, at(2026, 11, 23, 10))
    referral_acts(app).acknowledge(person(app, "zheng-hua"), referral.id)
    clock.set(answered_at)
    referral_acts(app).answer(person(app, "zheng-hua"), referral.id, answer="已协助调查")
    answered = last_event(app, referral.id)
    assert (type(answered).__name__, answered.late) == ("Answered", late)


# Assistance: extending the answer once --------------------------------------------------------


def acknowledged_assistance(app, clock):
    referral = assistance_sent_at(app, clock, at(2026, 9, 30, 15))  # answer due 13 October
    referral_acts(app).acknowledge(person(app, "zheng-hua"), referral.id)
    clock.set(at(2026, 10, 9, 10))
    return referral.id


def extend(app, referral_id, until, reason="样品检测需要较长时间", who="zheng-hua"):
    return referral_acts(app).extend_answer(
        person(app, who), referral_id, reason=reason, until=until
    )


def test_the_asked_agency_extends_the_answer_once_and_the_asker_sees_it(demo, clock):
    app = demo.app
    referral_id = acknowledged_assistance(app, clock)
    extend(app, referral_id, end_of(2026, 10, 23))
    seen = referral_acts(app).referral(person(app, "jiang-hai"), referral_id)
    assert seen.extended is True
    assert seen.deadlines["answer"]["due_at"] == end_of(2026, 10, 23)
    assert seen.deadlines["answer"]["rule"] == "fixed"
    extension = last_event(app, referral_id)
    assert type(extension).__name__ == "AnswerExtended"
    assert extension.reason == "样品检测需要较长时间"
    with pytest.raises(Conflict) as error:
        extend(app, referral_id, end_of(2026, 10, 30))
    assert error.value.code == "referral.already_extended"


def test_an_answer_within_the_extension_is_on_time(demo, clock):
    app = demo.app
    referral_id = acknowledged_assistance(app, clock)
    extend(app, referral_id, end_of(2026, 10, 23))
    clock.set(at(2026, 10, 20, 10))
    referral_acts(app).answer(person(app, "zheng-hua"), referral_id, answer="检测完毕，结果附后")
    assert last_event(app, referral_id).late is False


def test_an_answer_may_be_extended_before_the_request_is_acknowledged(demo, clock):
    app = demo.app
    referral = assistance_sent_at(app, clock, at(2026, 9, 30, 15))
    assert extend(app, referral.id, end_of(2026, 10, 23)).aggregate.status == "sent"


@pytest.mark.parametrize("until", [end_of(2026, 10, 13), at(2026, 10, 12, 18)])
def test_the_new_date_lies_after_the_current_one(demo, clock, until):
    app = demo.app
    referral_id = acknowledged_assistance(app, clock)
    with pytest.raises(Invalid) as error:
        extend(app, referral_id, until)
    assert error.value.code == "referral.extension_not_later"


def test_an_extension_gives_its_reason(demo, clock):
    app = demo.app
    referral_id = acknowledged_assistance(app, clock)
    with pytest.raises(Invalid) as error:
        extend(app, referral_id, end_of(2026, 10, 23), reason=" ")
    assert error.value.code == "referral.reason_required"


def test_only_the_asked_agency_extends(demo, clock):
    app = demo.app
    referral_id = acknowledged_assistance(app, clock)
    with pytest.raises(Forbidden) as error:
        extend(app, referral_id, end_of(2026, 10, 23), who="jiang-hai")
    assert error.value.code == "referral.not_your_agency"


def test_an_answered_request_is_not_extended(demo, clock):
    app = demo.app
    referral_id = acknowledged_assistance(app, clock)
    referral_acts(app).answer(person(app, "zheng-hua"), referral_id, answer="已协助调查")
    with pytest.raises(Conflict) as error:
        extend(app, referral_id, end_of(2026, 10, 23))
    assert error.value.code == "referral.not_open"


def test_a_jurisdiction_referral_has_no_answer_to_extend(demo):
    app = demo.app
    referral_id = acknowledged_referral(app)
    with pytest.raises(Conflict) as error:
        referral_acts(app).extend_answer(
            person(app, "zhu-xia"), referral_id, reason="需要检测", until=end_of(2026, 12, 31)
        )
    assert error.value.code == "referral.wrong_kind"


def test_a_sent_referral_keeps_its_send_deadline_met(demo):
    referral = sent_referral(demo.app).aggregate
    assert referral.deadlines["send"]["met_at"] == demo.app.clock()
    assert referral.sent_late is False
