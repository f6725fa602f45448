"""What the routes that list share: the query parameters of a page (whose agency, how many,
from where on), the cursor of the next page, and a period of days as the instants it spans."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import Query

from domain.calendar import SHANGHAI
from services.api.errors import ApiProblem

AgencyParam = Annotated[
    str | None, Query(max_length=64, description="an agency below yours (heads, supervisors)")
]
Limit = Annotated[int, Query(ge=1, le=200)]
Cursor = Annotated[str | None, Query(pattern=r"^[0-9]{1,18}$")]
FIRST_PAGE = 2**62  # a cursor before every position


def before(cursor: str | None) -> int:
    """The position a page starts before: its cursor's, or the first page's."""
    return int(cursor) if cursor else FIRST_PAGE


def next_cursor(items: Sequence[Mapping[str, Any]], limit: int) -> str | None:
    """A full page may have more after it: its last item's cursor; a short one has none."""
    return str(items[-1]["cursor"]) if len(items) == limit else None


def day_bounds(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """Days from `first` to `last`, both included, as the instants they run from and until
    (Asia/Shanghai); an end left open stays None."""
    if first and last and last < first:
        raise ApiProblem(422, "request.period_reversed", "`to` lies before `from`")
    start = start_of(first) if first else None
    return start, start_of(last + timedelta(days=1)) if last else None


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=SHANGHAI)
