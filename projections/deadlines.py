"""Deadlines in views: stored with their rule and start, recomputed when a year's holiday
schedule is published, so provisional dates become exact without touching the events."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from domain.calendar import SHANGHAI, WorkingCalendar, YearSchedule
from projections.view import Cursor, View

SCHEDULE_DDL = (
    "CREATE TABLE IF NOT EXISTS {schedules} ("
    " year INTEGER PRIMARY KEY, holidays TEXT NOT NULL, working_days TEXT NOT NULL)"
)
UPSERT_SCHEDULE = (
    "INSERT INTO {schedules} (year, holidays, working_days)"
    " VALUES (:year, :holidays, :working_days)"
    " ON CONFLICT (year) DO UPDATE SET holidays = excluded.holidays,"
    " working_days = excluded.working_days"
)
SELECT_SCHEDULES = "SELECT year, holidays, working_days FROM {schedules}"


def utc_key(moment: str | datetime) -> str:
    """A sortable text form of an instant, for comparisons in SQL on both databases."""
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def now_key(now: datetime) -> str:
    return utc_key(now)


def store_schedule(view: View, cursor: Cursor, data: dict[str, object]) -> None:
    cursor.execute(
        view.sql(UPSERT_SCHEDULE),
        {
            "year": data["year"],
            "holidays": json.dumps(data["holidays"]),
            "working_days": json.dumps(data["working_days"]),
        },
    )


def load_calendar(view: View, cursor: Cursor) -> WorkingCalendar:
    cursor.execute(view.sql(SELECT_SCHEDULES))
    schedules = [
        YearSchedule(
            year=int(row["year"]),
            holidays=frozenset(date.fromisoformat(d) for d in json.loads(row["holidays"])),
            working_days=frozenset(date.fromisoformat(d) for d in json.loads(row["working_days"])),
        )
        for row in cursor.fetchall()
    ]
    return WorkingCalendar(schedules)


def computed(calendar: WorkingCalendar, rule: str, start: str) -> dict[str, object]:
    deadline = calendar.compute(rule, datetime.fromisoformat(start))
    return {
        "due_at": deadline.due_at.astimezone(SHANGHAI).isoformat(),
        "due_key": utc_key(deadline.due_at),
        "provisional": deadline.provisional,
    }
