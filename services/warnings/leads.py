"""How long before a time limit's due time its yellow warning comes: per rule, from the
settings (`LIANDONG_WATCH_LEAD_TIMES`, rule → lead), else the default — one working day before
for limits counted in days or working days and for fixed dates, a quarter of the period for
limits counted in hours."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta

from domain.calendar import WorkingCalendar

LEAD = re.compile(r"([0-9]+) (working days|days|hours|minutes)")
RULE_HOURS = re.compile(r"([0-9]+) hours")
ONE_WORKING_DAY = "1 working days"


def check_lead(lead: str) -> str:
    """A lead as the settings write it: `N working days`, `N days`, `N hours`, `N minutes`."""
    if LEAD.fullmatch(lead) is None:
        raise ValueError(
            f"a lead time is `N working days`, `N days`, `N hours` or `N minutes`, not {lead!r}"
        )
    return lead


def default_lead(rule: str) -> str:
    hours = RULE_HOURS.fullmatch(rule)
    if hours is None:
        return ONE_WORKING_DAY
    minutes = int(hours[1]) * 60 // 4
    return f"{minutes // 60} hours" if minutes % 60 == 0 else f"{minutes} minutes"


class LeadTimes:
    def __init__(self, configured: Mapping[str, str], calendar: WorkingCalendar) -> None:
        self.configured = dict(configured)
        self.calendar = calendar
        self._starts: dict[tuple[str, str], datetime] = {}

    def lead(self, rule: str) -> str:
        return self.configured.get(rule) or default_lead(rule)

    def yellow_from(self, rule: str, due_at: str) -> datetime:
        """The moment a limit due at `due_at` comes within its lead time (one per pass and
        due time: many limits share their due's end of day)."""
        lead = self.lead(rule)
        key = (lead, due_at)
        found = self._starts.get(key)
        if found is None:
            found = self._starts[key] = self._start(lead, datetime.fromisoformat(due_at))
        return found

    def _start(self, lead: str, due: datetime) -> datetime:
        match = LEAD.fullmatch(lead)
        assert match is not None  # the settings checked it
        n, unit = int(match[1]), match[2]
        if unit == "working days":
            return self.calendar.working_days_before(due, n).due_at
        span = {"days": timedelta(days=n), "hours": timedelta(hours=n)}
        return due - span.get(unit, timedelta(minutes=n))
