from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.calendar import (
    SHANGHAI,
    CalendarScheduleInvalid,
    Deadline,
    WorkingCalendar,
    YearSchedule,
)

CAL = WorkingCalendar()
UNKNOWN_YEARS = (2003, *range(2027, 2033))
# Empty published schedules: weekends only, but exact.
PUBLISHED = WorkingCalendar(YearSchedule.create(y, (), ()) for y in UNKNOWN_YEARS)

ZONES = [SHANGHAI, UTC, timezone(timedelta(hours=-10)), timezone(timedelta(hours=14))]
starts = st.datetimes(
    min_value=datetime(2004, 1, 1),
    max_value=datetime(2030, 12, 31, 23, 59, 59),
    timezones=st.sampled_from(ZONES),
)
late_december = st.builds(
    lambda year, day, hour: datetime(year, 12, day, hour, tzinfo=SHANGHAI),
    st.integers(2004, 2030),
    st.integers(18, 31),
    st.integers(0, 23),
)
early_january = st.builds(
    lambda year, day, hour: datetime(year, 1, day, hour, tzinfo=SHANGHAI),
    st.integers(2004, 2031),
    st.integers(1, 14),
    st.integers(0, 23),
)
counts = st.integers(0, 60)
KINDS = {
    "working days": CAL.add_working_days,
    "working days before": CAL.working_days_before,
    "hours": CAL.add_hours,
    "days": CAL.add_calendar_days,
}


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def end_of(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 23, 59, 59, tzinfo=SHANGHAI)


def package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def touches_unknown(first: date, last: date) -> bool:
    return any(not package_knows(y) for y in range(first.year, last.year + 1))


def local_date(start: datetime) -> date:
    return start.astimezone(SHANGHAI).date()


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def package_2026(extra_holidays: frozenset[date] = frozenset()) -> YearSchedule:
    return YearSchedule.create(
        2026,
        {d for d in chinese_calendar.holidays if d.year == 2026} | extra_holidays,
        {d for d in chinese_calendar.workdays if d.year == 2026},
    )


# --- properties -------------------------------------------------------------


@given(st.dates(date(2003, 12, 1), date(2032, 12, 31)))
def test_working_day_matches_package_or_weekends(d: date) -> None:
    if package_knows(d.year):
        assert CAL.is_working_day(d) == chinese_calendar.is_workday(d)
    else:
        assert CAL.is_working_day(d) == (d.weekday() < 5)
    assert CAL.knows_year(d.year) == package_knows(d.year)


@given(starts, st.integers(0, 59))
def test_working_days_monotone_in_n(start: datetime, n: int) -> None:
    assert CAL.add_working_days(start, n + 1).due_at > CAL.add_working_days(start, n).due_at


def check_working_days(start: datetime, n: int) -> None:
    deadline = CAL.add_working_days(start, n)
    due, first = deadline.due_at.date(), local_date(start)
    assert deadline.due_at == end_of(due.year, due.month, due.day)
    assert deadline.due_at.tzinfo == SHANGHAI
    assert deadline.rule == f"{n} working days"
    if n == 0:
        assert due == first
        assert not deadline.provisional
        return
    assert due > first
    assert CAL.is_working_day(due)
    assert sum(map(CAL.is_working_day, days_between(first + timedelta(days=1), due))) == n
    assert deadline.provisional == touches_unknown(first + timedelta(days=1), due)


@given(starts, counts)
def test_working_days_count_exactly_n(start: datetime, n: int) -> None:
    check_working_days(start, n)


@given(late_december, st.integers(1, 15))
def test_working_days_across_year_end(start: datetime, n: int) -> None:
    check_working_days(start, n)


def check_working_days_before(start: datetime, n: int) -> None:
    deadline = CAL.working_days_before(start, n)
    latest, meeting = deadline.due_at.date(), local_date(start)
    assert deadline.due_at == end_of(latest.year, latest.month, latest.day)
    assert deadline.due_at.tzinfo == SHANGHAI
    assert deadline.rule == f"{n} working days before"
    # Circulated by the end of `latest`, the meeting is at least n working days later...
    assert CAL.add_working_days(deadline.due_at, n).due_at.date() <= meeting
    # ...but not if circulated a day later, so `latest` is the latest such day.
    first = latest + timedelta(days=1)
    next_day = end_of(first.year, first.month, first.day)
    assert CAL.add_working_days(next_day, n).due_at.date() > meeting
    # The days counted run from the day after `latest` through the meeting's own day.
    assert CAL.is_working_day(first)
    assert sum(map(CAL.is_working_day, days_between(first, meeting))) == n
    assert deadline.provisional == touches_unknown(first, meeting)


@given(starts, st.integers(1, 60))
def test_working_days_before_is_the_latest_day_giving_notice(start: datetime, n: int) -> None:
    check_working_days_before(start, n)


@given(early_january, st.integers(1, 15))
def test_working_days_before_across_year_start(start: datetime, n: int) -> None:
    check_working_days_before(start, n)


@given(starts)
def test_zero_working_days_before_is_the_same_day(start: datetime) -> None:
    day = local_date(start)
    assert CAL.working_days_before(start, 0) == Deadline(
        end_of(day.year, day.month, day.day), "0 working days before", False
    )


@given(starts, st.integers(0, 59))
def test_working_days_before_monotone_in_n(start: datetime, n: int) -> None:
    # Strictly: the (n+1)-th working day back is always before the n-th.
    assert CAL.working_days_before(start, n + 1).due_at < CAL.working_days_before(start, n).due_at


@given(early_january, st.integers(0, 15))
def test_published_schedule_makes_working_days_before_exact_across_year_start(
    start: datetime, n: int
) -> None:
    provisional = CAL.working_days_before(start, n)
    exact = PUBLISHED.compute(provisional.rule, start)
    assert exact == replace(provisional, provisional=False)


def check_calendar_days(start: datetime, n: int) -> None:
    deadline = CAL.add_calendar_days(start, n)
    due, last = deadline.due_at.date(), local_date(start) + timedelta(days=n)
    assert deadline.due_at == end_of(due.year, due.month, due.day)
    assert deadline.rule == f"{n} days"
    assert due >= last
    assert CAL.is_working_day(due)
    assert not any(map(CAL.is_working_day, days_between(last, due - timedelta(days=1))))
    assert deadline.provisional == touches_unknown(last, due)


@given(starts, counts)
def test_calendar_days_land_on_working_day(start: datetime, n: int) -> None:
    check_calendar_days(start, n)


@given(late_december, st.sampled_from([0, 1, 7, 10, 15]))
def test_calendar_days_across_year_end(start: datetime, n: int) -> None:
    check_calendar_days(start, n)


@given(starts, counts, st.sampled_from(["working days", "working days before", "days"]))
def test_published_schedule_makes_deadline_exact(start: datetime, n: int, kind: str) -> None:
    provisional = KINDS[kind](start, n)
    exact = PUBLISHED.compute(provisional.rule, start)
    assert not exact.provisional
    assert exact == replace(provisional, provisional=False)


@given(starts, counts, st.sampled_from(list(KINDS)))
def test_compute_recomputes_every_kind(start: datetime, n: int, kind: str) -> None:
    deadline = KINDS[kind](start, n)
    assert CAL.compute(deadline.rule, start) == deadline


@given(starts, st.integers(0, 1000))
def test_hours_are_elapsed_time(start: datetime, n: int) -> None:
    deadline = CAL.add_hours(start, n)
    assert deadline.due_at - start == timedelta(hours=n)
    assert deadline.due_at.tzinfo == SHANGHAI
    assert not deadline.provisional


# --- examples ---------------------------------------------------------------


def test_national_day_2026() -> None:
    # Oct 1-7 off; Oct 8, Oct 9, then Saturday Oct 10 is an adjusted working day.
    assert CAL.add_working_days(at(2026, 9, 30, 16), 3) == Deadline(
        end_of(2026, 10, 10), "3 working days", False
    )
    assert CAL.add_working_days(at(2026, 9, 30), 4).due_at == end_of(2026, 10, 12)


def test_national_day_2025() -> None:
    # Oct 1-8 off; Oct 9, 10, Saturday Oct 11 (adjusted), Oct 13, 14.
    assert CAL.add_working_days(at(2025, 9, 30), 5).due_at == end_of(2025, 10, 14)
    # Sunday Sep 28 is an adjusted working day.
    assert CAL.add_working_days(at(2025, 9, 26), 1).due_at == end_of(2025, 9, 28)


def test_spring_festival_2026() -> None:
    # Saturday Feb 14 is worked, Feb 15-23 off.
    assert CAL.add_working_days(at(2026, 2, 13), 3).due_at == end_of(2026, 2, 25)
    assert CAL.add_working_days(at(2026, 2, 14), 1).due_at == end_of(2026, 2, 24)
    # Saturday Feb 28 is worked too.
    assert CAL.add_working_days(at(2026, 2, 27), 1).due_at == end_of(2026, 2, 28)


def test_spring_festival_2025() -> None:
    # Sunday Jan 26 is worked, Jan 28 - Feb 4 off, Saturday Feb 8 worked.
    assert CAL.add_working_days(at(2025, 1, 24), 1).due_at == end_of(2025, 1, 26)
    assert CAL.add_working_days(at(2025, 1, 27), 2).due_at == end_of(2025, 2, 6)
    assert CAL.add_working_days(at(2025, 2, 7), 1).due_at == end_of(2025, 2, 8)


def test_zero_working_days_is_the_same_day() -> None:
    assert CAL.add_working_days(at(2026, 10, 3), 0).due_at == end_of(2026, 10, 3)


def test_start_is_taken_in_shanghai_time() -> None:
    # 2026-09-30 17:00 UTC is already Oct 1 in Shanghai.
    start = datetime(2026, 9, 30, 17, tzinfo=UTC)
    assert CAL.add_working_days(start, 1).due_at == end_of(2026, 10, 8)
    assert CAL.add_working_days(start, 0).due_at == end_of(2026, 10, 1)


def test_meeting_materials_around_national_day_2026() -> None:
    # Thu Oct 8 counts itself; Oct 1-7 off; then Wed Sep 30 and Tue Sep 29: by Mon Sep 28.
    assert CAL.working_days_before(at(2026, 10, 8), 3) == Deadline(
        end_of(2026, 9, 28), "3 working days before", False
    )
    # Mon Oct 12; Sun Oct 11 off; Sat Oct 10 (adjusted) and Fri Oct 9: by Thu Oct 8.
    assert CAL.working_days_before(at(2026, 10, 12), 3).due_at == end_of(2026, 10, 8)


def test_meeting_materials_around_spring_festival_2026() -> None:
    # Wed Feb 25, Tue Feb 24; Feb 15-23 off; Sat Feb 14 (adjusted): by Fri Feb 13.
    assert CAL.working_days_before(at(2026, 2, 25), 3) == Deadline(
        end_of(2026, 2, 13), "3 working days before", False
    )
    # Sat Feb 28 is an adjusted working day and counts itself; Fri 27, Thu 26: by Wed Feb 25.
    assert CAL.working_days_before(at(2026, 2, 28), 3).due_at == end_of(2026, 2, 25)


def test_meeting_materials_in_an_ordinary_week() -> None:
    # Thu Mar 12, Wed 11, Tue 10: by Mon Mar 9.
    assert CAL.working_days_before(at(2026, 3, 12), 3).due_at == end_of(2026, 3, 9)
    # Mon Mar 16; the weekend is off; Fri 13, Thu 12: by Wed Mar 11.
    assert CAL.working_days_before(at(2026, 3, 16), 3).due_at == end_of(2026, 3, 11)
    # The meeting's day is taken in Shanghai time: 2026-03-15 17:00 UTC is Mon Mar 16 there.
    start = datetime(2026, 3, 15, 17, tzinfo=UTC)
    assert CAL.working_days_before(start, 3).due_at == end_of(2026, 3, 11)


def test_24_hours_across_midnight() -> None:
    assert CAL.add_hours(at(2026, 3, 1, 22, 30), 24) == Deadline(
        at(2026, 3, 2, 22, 30), "24 hours", False
    )
    assert CAL.add_hours(at(2026, 3, 1, 22, 30), 3).due_at == at(2026, 3, 2, 1, 30)
    # Hours run through holidays, and through unknown years without being provisional.
    assert CAL.add_hours(at(2026, 12, 31, 20), 24) == Deadline(
        at(2027, 1, 1, 20), "24 hours", False
    )
    assert CAL.add_hours(at(2026, 3, 1), 0).due_at == at(2026, 3, 1)


def test_30_days_ending_in_national_day_moves_to_next_working_day() -> None:
    # 2026-09-05 + 30 = Oct 5, a holiday; Oct 8 is the next working day.
    assert CAL.add_calendar_days(at(2026, 9, 5), 30) == Deadline(
        end_of(2026, 10, 8), "30 days", False
    )
    assert CAL.add_calendar_days(at(2025, 9, 8), 30).due_at == end_of(2025, 10, 9)


def test_calendar_days_ending_on_a_weekend_or_adjusted_day() -> None:
    # Saturday Mar 14 -> Monday Mar 16.
    assert CAL.add_calendar_days(at(2026, 3, 4), 10).due_at == end_of(2026, 3, 16)
    # Saturday Oct 10 2026 is a working day, so the period ends on it.
    assert CAL.add_calendar_days(at(2026, 9, 30), 10).due_at == end_of(2026, 10, 10)
    # Zero days: the same day, or the next working day.
    assert CAL.add_calendar_days(at(2026, 3, 4), 0).due_at == end_of(2026, 3, 4)
    assert CAL.add_calendar_days(at(2026, 10, 1), 0).due_at == end_of(2026, 10, 8)


SCHEDULE_2027 = YearSchedule.create(
    2027,
    {date(2027, 1, 1), *(date(2027, 2, d) for d in range(5, 12))},
    {date(2027, 2, 13)},
)


def test_unknown_year_is_weekends_only_and_provisional() -> None:
    assert not CAL.knows_year(2027)
    # Fri Feb 5, Mon Feb 8, Tue Feb 9.
    assert CAL.add_working_days(at(2027, 2, 4), 3) == Deadline(
        end_of(2027, 2, 9), "3 working days", True
    )


def test_publishing_a_year_makes_its_deadlines_exact() -> None:
    published = CAL.with_schedule(SCHEDULE_2027)
    assert published.knows_year(2027)
    assert not CAL.knows_year(2027)  # the original calendar is unchanged
    deadline = CAL.add_working_days(at(2027, 2, 4), 3)
    # Feb 5-11 off; Fri Feb 12, Sat Feb 13 (adjusted), Mon Feb 15.
    assert published.compute(deadline.rule, at(2027, 2, 4)) == Deadline(
        end_of(2027, 2, 15), "3 working days", False
    )


def test_year_end_into_an_unknown_then_published_year() -> None:
    # Thu Dec 31, Fri Jan 1 (provisionally working), Mon Jan 4.
    assert CAL.add_working_days(at(2026, 12, 30), 3) == Deadline(
        end_of(2027, 1, 4), "3 working days", True
    )
    assert CAL.with_schedule(SCHEDULE_2027).add_working_days(at(2026, 12, 30), 3) == Deadline(
        end_of(2027, 1, 5), "3 working days", False
    )
    # Days wholly inside a known year are exact even when the next year is unknown.
    assert not CAL.add_working_days(at(2026, 12, 29), 2).provisional


def test_meeting_early_in_an_unknown_then_published_year() -> None:
    # Tue Jan 5, Mon Jan 4, Fri Jan 1 (provisionally working): by Thu Dec 31 2026.
    assert CAL.working_days_before(at(2027, 1, 5), 3) == Deadline(
        end_of(2026, 12, 31), "3 working days before", True
    )
    # With Jan 1 published as a holiday: Jan 5, Jan 4, Thu Dec 31: by Wed Dec 30.
    assert CAL.with_schedule(SCHEDULE_2027).working_days_before(at(2027, 1, 5), 3) == Deadline(
        end_of(2026, 12, 30), "3 working days before", False
    )
    # Published weekends-only: the same day as the provisional one, but exact.
    assert PUBLISHED.working_days_before(at(2027, 1, 5), 3) == Deadline(
        end_of(2026, 12, 31), "3 working days before", False
    )
    # Only the meeting's own day is classified, and it is in 2027: by Sun Jan 3, provisionally.
    assert CAL.working_days_before(at(2027, 1, 4), 1) == Deadline(
        end_of(2027, 1, 3), "1 working days before", True
    )
    # With n == 0 no day is classified, so it is exact even in an unknown year.
    assert not CAL.working_days_before(at(2027, 1, 5), 0).provisional
    # 2003 is unknown. Tue Jan 6 2004, Mon Jan 5, Fri Jan 2: by Thu Jan 1, all in 2004, exact.
    assert CAL.working_days_before(at(2004, 1, 6), 3) == Deadline(
        end_of(2004, 1, 1), "3 working days before", False
    )
    # One more: Jan 1 2004 is a holiday, Wed Dec 31 2003 provisionally working: by Dec 30.
    assert CAL.working_days_before(at(2004, 1, 6), 4) == Deadline(
        end_of(2003, 12, 30), "4 working days before", True
    )
    # The answer day itself is not classified: with 2029 published weekends-only, Tue Jan 2
    # and Mon Jan 1 2029 give notice from Sun Dec 31 2028, exact though 2028 is unknown.
    only_2029 = CAL.with_schedule(YearSchedule.create(2029, (), ()))
    assert only_2029.working_days_before(at(2029, 1, 2), 2) == Deadline(
        end_of(2028, 12, 31), "2 working days before", False
    )


def test_published_schedule_overrides_the_package() -> None:
    same = WorkingCalendar([package_2026()])
    assert same.add_working_days(at(2026, 9, 30), 3) == CAL.add_working_days(at(2026, 9, 30), 3)
    corrected = CAL.with_schedule(package_2026(frozenset({date(2026, 10, 9)})))
    assert not corrected.is_working_day(date(2026, 10, 9))
    # Oct 8, Sat Oct 10, Mon Oct 12.
    assert corrected.add_working_days(at(2026, 9, 30), 3) == Deadline(
        end_of(2026, 10, 12), "3 working days", False
    )


def test_later_schedule_replaces_earlier_for_the_same_year() -> None:
    first = YearSchedule.create(2027, {date(2027, 3, 1)}, ())
    calendar = WorkingCalendar([first]).with_schedule(SCHEDULE_2027)
    assert calendar.is_working_day(date(2027, 3, 1))
    assert not calendar.is_working_day(date(2027, 2, 5))


@pytest.mark.parametrize(
    ("holidays", "working_days", "code"),
    [
        ({date(2026, 1, 1)}, (), "calendar.date_outside_year"),
        ((), {date(2028, 1, 1)}, "calendar.date_outside_year"),
        ({date(2027, 2, 13)}, {date(2027, 2, 13)}, "calendar.day_both_holiday_and_working"),
        ((), {date(2027, 2, 12)}, "calendar.adjusted_day_not_weekend"),
    ],
)
def test_schedule_validation(holidays: set[date], working_days: set[date], code: str) -> None:
    with pytest.raises(CalendarScheduleInvalid) as caught:
        YearSchedule.create(2027, holidays, working_days)
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)


def test_schedule_rejects_datetimes() -> None:
    with pytest.raises(TypeError):
        YearSchedule.create(2027, {datetime(2027, 1, 1)}, ())


@pytest.mark.parametrize("kind", list(KINDS))
def test_naive_start_raises(kind: str) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        KINDS[kind](datetime(2026, 3, 1, 10), 1)


@pytest.mark.parametrize("kind", list(KINDS))
def test_negative_n_raises(kind: str) -> None:
    with pytest.raises(ValueError, match="negative"):
        KINDS[kind](at(2026, 3, 1), -1)


@pytest.mark.parametrize(
    "rule",
    [
        "3 working day",
        "1 week",
        "-1 days",
        "03 days",
        "days",
        "",
        "3  days",
        "3 Days",
        "3 working days after",
        "3 working days  before",
    ],
)
def test_compute_rejects_unknown_rules(rule: str) -> None:
    with pytest.raises(ValueError, match="unknown deadline rule"):
        CAL.compute(rule, at(2026, 3, 1))
