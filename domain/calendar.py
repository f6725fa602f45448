"""Chinese working-day calendar and legal deadlines (期间).

Holidays and adjusted working days (调休上班日) come from ``chinese_calendar`` for the years it
knows, or from a schedule an administrator has published for a year, which takes precedence.
For a year known to neither, only weekends are off and the resulting deadline is provisional.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import chinese_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
END_OF_DAY = time(23, 59, 59)

_ONE_DAY = timedelta(days=1)
_RULE = re.compile(r"(0|[1-9][0-9]*) (working days before|working days|hours|days)")


class CalendarScheduleInvalid(ValueError):
    """A published year schedule is inconsistent; ``code`` says how."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class YearSchedule:
    """The holidays and adjusted working days of one year, as published by an administrator."""

    year: int
    holidays: frozenset[date]
    working_days: frozenset[date]

    @classmethod
    def create(
        cls, year: int, holidays: Iterable[date], working_days: Iterable[date]
    ) -> YearSchedule:
        off = _as_dates(holidays)
        on = _as_dates(working_days)
        outside = sorted(d for d in off | on if d.year != year)
        if outside:
            raise CalendarScheduleInvalid(
                "calendar.date_outside_year", f"{outside[0]} is not in year {year}"
            )
        both = sorted(off & on)
        if both:
            raise CalendarScheduleInvalid(
                "calendar.day_both_holiday_and_working",
                f"{both[0]} is both a holiday and a working day",
            )
        weekdays = sorted(d for d in on if d.weekday() < 5)
        if weekdays:
            raise CalendarScheduleInvalid(
                "calendar.adjusted_day_not_weekend",
                f"adjusted working day {weekdays[0]} is not a Saturday or Sunday",
            )
        return cls(year, off, on)

    def is_working_day(self, d: date) -> bool:
        if d in self.working_days:
            return True
        return d.weekday() < 5 and d not in self.holidays


@dataclass(frozen=True)
class Deadline:
    due_at: datetime
    rule: str
    provisional: bool


class WorkingCalendar:
    """Immutable; publishing a schedule yields a new calendar."""

    def __init__(self, schedules: Iterable[YearSchedule] = ()) -> None:
        self._published: dict[int, YearSchedule] = {s.year: s for s in schedules}

    def with_schedule(self, schedule: YearSchedule) -> WorkingCalendar:
        return WorkingCalendar([*self._published.values(), schedule])

    def knows_year(self, year: int) -> bool:
        return self._schedule(year) is not None

    def is_working_day(self, d: date) -> bool:
        return self._classify(d)[0]

    def add_working_days(self, start: datetime, n: int) -> Deadline:
        """End of the n-th working day after the day of the act; n == 0 means the same day."""
        day = _local_date(start)
        _check_count(n)
        provisional = False
        remaining = n
        while remaining:
            day += _ONE_DAY
            working, known = self._classify(day)
            provisional = provisional or not known
            if working:
                remaining -= 1
        return Deadline(_end_of(day), f"{n} working days", provisional)

    def working_days_before(self, day_of: datetime, n: int) -> Deadline:
        """End of the latest day from which `day_of`'s day is still at least the n-th working
        day after (that day not counted): materials circulated by then give n working days'
        notice of a meeting. n == 0 means the day itself."""
        day = _local_date(day_of)
        _check_count(n)
        provisional = False
        remaining = n
        while remaining:
            working, known = self._classify(day)
            provisional = provisional or not known
            if working:
                remaining -= 1
            day -= _ONE_DAY
        return Deadline(_end_of(day), f"{n} working days before", provisional)

    def add_hours(self, start: datetime, n: int) -> Deadline:
        _require_aware(start)
        _check_count(n)
        # Elapsed time, so the result does not depend on the zone the act was recorded in.
        due = (start.astimezone(UTC) + timedelta(hours=n)).astimezone(SHANGHAI)
        return Deadline(due, f"{n} hours", False)

    def add_calendar_days(self, start: datetime, n: int) -> Deadline:
        """The last day is the start date + n, extended to the next working day if it is off."""
        day = _local_date(start)
        _check_count(n)
        day += timedelta(days=n)
        provisional = False
        while True:
            working, known = self._classify(day)
            provisional = provisional or not known
            if working:
                return Deadline(_end_of(day), f"{n} days", provisional)
            day += _ONE_DAY

    def compute(self, rule: str, start: datetime) -> Deadline:
        """Recompute a deadline from its stored rule, e.g. after a schedule was published."""
        match = _RULE.fullmatch(rule)
        if match is None:
            raise ValueError(f"unknown deadline rule: {rule!r}")
        methods: dict[str, Callable[[datetime, int], Deadline]] = {
            "working days": self.add_working_days,
            "working days before": self.working_days_before,
            "hours": self.add_hours,
            "days": self.add_calendar_days,
        }
        return methods[match[2]](start, int(match[1]))

    def _schedule(self, year: int) -> YearSchedule | None:
        published = self._published.get(year)
        return published if published is not None else _package_schedule(year)

    def _classify(self, d: date) -> tuple[bool, bool]:
        """(is a working day, the year's schedule is known)."""
        if isinstance(d, datetime):
            raise TypeError("expected a date, not a datetime")
        schedule = self._schedule(d.year)
        if schedule is None:
            return d.weekday() < 5, False
        return schedule.is_working_day(d), True


@cache
def _package_schedule(year: int) -> YearSchedule | None:
    """``chinese_calendar``'s data for ``year``, or None when it has none."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return None
    return YearSchedule(
        year,
        frozenset(d for d in chinese_calendar.holidays if d.year == year),
        frozenset(d for d in chinese_calendar.workdays if d.year == year),
    )


def _as_dates(days: Iterable[date]) -> frozenset[date]:
    result = frozenset(days)
    for d in result:
        # A datetime would never equal the dates it is compared with.
        if isinstance(d, datetime) or not isinstance(d, date):
            raise TypeError(f"expected a date, got {d!r}")
    return result


def _require_aware(start: datetime) -> None:
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("start must be timezone-aware")


def _local_date(start: datetime) -> date:
    _require_aware(start)
    return start.astimezone(SHANGHAI).date()


def _check_count(n: int) -> None:
    if n < 0:
        raise ValueError(f"period must not be negative, got {n}")


def _end_of(day: date) -> datetime:
    return datetime.combine(day, END_OF_DAY, tzinfo=SHANGHAI)
