"""A year's holiday schedule as published by the State Council, recorded by an administrator."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.calendar import YearSchedule
from domain.ids import holiday_schedule_id


class HolidaySchedule(Aggregate):
    """Holidays and adjusted working days of one year; a later publication replaces an earlier."""

    @classmethod
    def publish_first(cls, schedule: YearSchedule, source: str, at: datetime) -> HolidaySchedule:
        agg = cls(id=holiday_schedule_id(schedule.year), year=schedule.year)
        agg.publish(schedule, source, at)
        return agg

    @event("Opened")
    def __init__(self, id: UUID, year: Annotated[int, "the year the schedule is for"]) -> None:
        self.year = year
        self.schedule: YearSchedule | None = None

    def publish(self, schedule: YearSchedule, source: str, at: datetime) -> None:
        self._published(
            year=schedule.year,
            holidays=sorted(d.isoformat() for d in schedule.holidays),
            working_days=sorted(d.isoformat() for d in schedule.working_days),
            source=source,
            at=at,
        )

    @event("Published")
    def _published(
        self,
        year: Annotated[int, "the year the schedule is for"],
        holidays: Annotated[list[str], "the days off (ISO 8601 dates), weekends not listed"],
        working_days: Annotated[list[str], "the weekend days worked (调休上班), ISO 8601 dates"],
        source: Annotated[str, "the State Council notice it comes from"],
        at: Annotated[datetime, "when it was published here"],
    ) -> None:
        self.schedule = schedule_from(year, holidays, working_days)


def schedule_from(year: int, holidays: list[str], working_days: list[str]) -> YearSchedule:
    """Rebuilds a schedule from its recorded form; no checks, so old events always replay."""
    return YearSchedule(
        year=year,
        holidays=frozenset(date.fromisoformat(d) for d in holidays),
        working_days=frozenset(date.fromisoformat(d) for d in working_days),
    )
