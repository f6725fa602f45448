"""The period an assessment covers, named as one word: a year (`2026`), a half-year (`2026H1`,
January–June; `2026H2`) or a quarter (`2026Q3`), in Asia/Shanghai days."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from domain.calendar import SHANGHAI
from projections.deadlines import utc_key

PATTERN = re.compile(r"^(?P<year>[0-9]{4})(?:(?P<part>[HQ])(?P<n>[0-9]))?$")
PARTS = {None: (1, 12), "H": (2, 6), "Q": (4, 3)}  # how many in a year, months in each
FIRST_YEAR, LAST_YEAR = 2001, 2200


@dataclass(frozen=True)
class Period:
    label: str
    first: date  # its first day …
    last: date  # … and its last, both included

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(0), tzinfo=SHANGHAI)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(0), tzinfo=SHANGHAI)

    @property
    def keys(self) -> dict[str, str]:
        return {"from_key": utc_key(self.start), "to_key": utc_key(self.end)}

    def months(self) -> list[str]:
        """Its months as `YYYY-MM`."""
        found, day = [], self.first
        while day <= self.last:
            found.append(f"{day.year:04d}-{day.month:02d}")
            day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return found


def parse_period(text: str) -> Period:
    """`2026`, `2026H1` or `2026Q3`; anything else is a ValueError saying why."""
    found = PATTERN.match(text.strip().upper())
    if found is None:
        raise ValueError(f"{text!r} is not a period: a year (2026), a half (2026H1) or a quarter")
    year, part = int(found["year"]), found["part"]
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"{year} lies outside {FIRST_YEAR}–{LAST_YEAR}")
    count, months = PARTS[part]
    n = int(found["n"]) if part else 1
    if not 1 <= n <= count:
        raise ValueError(f"a year has {count} {'halves' if part == 'H' else 'quarters'}, not {n}")
    first_month = (n - 1) * months + 1
    first = date(year, first_month, 1)
    following = (
        date(year + 1, 1, 1) if first_month + months > 12 else (date(year, first_month + months, 1))
    )
    return Period(found.group(0), first, following - timedelta(days=1))
