"""The yearly assessment of each agency's coordination duties (seed 000 §四(三), seed 001 §四,
seed 003 §四(五)): per agency and period, for each duty (`projections.assessment_duties`) how
many fell due and how many were met on time, the items behind each figure, and a score from
the district's weights (`projections.assessment_weights`).

The figures are counted in SQL on the views' own tables, one statement per duty for any number
of agencies, so a supervisor's table of the 200 agencies below it costs what one agency's does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.calendar import SHANGHAI
from projections.assessment_duties import DUTIES, ON_TIME, Duty
from projections.assessment_period import Period
from projections.deadlines import now_key, owner_placeholders
from projections.document_view import chunks
from projections.view import Cursor, View

AGENCIES_PER_STATEMENT = 300
COUNTS = (
    f"SELECT agency, COUNT(*) AS due, SUM({ON_TIME}) AS on_time FROM ([rows]) s GROUP BY agency"
)
ITEMS = (
    f"SELECT resource, name, rule, due_at, due_key, met_at, met_key, {ON_TIME} AS on_time"
    " FROM ([rows]) s ORDER BY due_key, resource, name LIMIT :limit OFFSET :offset"
)
Views = Callable[[type[View]], View]
Reading = Callable[[], AbstractContextManager[Cursor]]
Run = Callable[[Callable[[Duty], dict[str, tuple[int, int]]], Sequence[Duty]], Iterable[Any]]


@dataclass(frozen=True)
class Weights:
    weights: Mapping[str, float]
    red_penalty: float
    configured: bool


def figures(
    reading: Reading,
    views: Views,
    agencies: Sequence[str],
    period: Period,
    now: datetime,
    run: Run = map,
) -> dict[str, dict[str, tuple[int, int]]]:
    """Per agency, per duty: (due, on time). Every agency and duty answered, 0 where none.
    Each duty is one aggregate statement on a cursor of its own (`reading`), so `run` may
    take them side by side (a thread pool's map) where the database has the cores."""

    def one(duty: Duty) -> dict[str, tuple[int, int]]:
        with reading() as cursor:
            return duty_figures(cursor, views, duty, agencies, period, now)

    found = {a: {d.name: (0, 0) for d in DUTIES} for a in agencies}
    for duty, counted in zip(DUTIES, run(one, DUTIES), strict=True):
        for agency, figure in counted.items():
            found[agency][duty.name] = figure
    return found


def duty_figures(
    cursor: Cursor,
    views: Views,
    duty: Duty,
    agencies: Sequence[str],
    period: Period,
    now: datetime,
) -> dict[str, tuple[int, int]]:
    """One duty's (due, on time) for the agencies that had any."""
    params = dict(period.keys, now=now_key(now))
    found = {}
    for chunk in chunks(list(agencies), AGENCIES_PER_STATEMENT):
        placeholders, codes = owner_placeholders(chunk)
        cursor.execute(_statement(views, duty, COUNTS, placeholders), dict(params, **codes))
        for row in cursor.fetchall():
            found[row["agency"]] = (int(row["due"]), int(row["on_time"] or 0))
    return found


def items(
    cursor: Cursor,
    views: Views,
    duty: Duty,
    agency: str,
    period: Period,
    now: datetime,
    page: tuple[int, int],
) -> list[dict[str, Any]]:
    """The items behind one agency's figure for one duty, soonest due first; `page`: (offset,
    limit)."""
    placeholders, codes = owner_placeholders([agency])
    offset, limit = page
    params = dict(period.keys, now=now_key(now), offset=offset, limit=limit, **codes)
    cursor.execute(_statement(views, duty, ITEMS, placeholders), params)
    return [_item(duty, row, offset + n + 1) for n, row in enumerate(cursor.fetchall())]


def _statement(views: Views, duty: Duty, outer: str, placeholders: str) -> str:
    rows = views(duty.view).sql(duty.rows).replace("[agencies]", placeholders)
    return outer.replace("[rows]", rows)


def _item(duty: Duty, row: Mapping[str, Any], cursor: int) -> dict[str, Any]:
    return {
        "kind": duty.kind,
        "id": row["resource"],
        "limit": row["name"],
        "rule": row["rule"],
        "due_at": row["due_at"] or _shown(row["due_key"]),
        "met_at": row["met_at"] or (_shown(row["met_key"]) if row["met_key"] else None),
        "on_time": bool(row["on_time"]),
        "cursor": cursor,
    }


def _shown(key: str) -> str:
    """A utc_key as the API shows instants (Asia/Shanghai)."""
    return datetime.fromisoformat(key.replace("Z", "+00:00")).astimezone(SHANGHAI).isoformat()


def summary(
    counted: Mapping[str, tuple[int, int]], weights: Weights, warnings: Mapping[str, Any]
) -> dict[str, Any]:
    """One agency's duties, warnings and score."""
    duties = [
        {
            "duty": duty.name,
            "title": duty.title,
            "due": counted[duty.name][0],
            "on_time": counted[duty.name][1],
            "share": share(*counted[duty.name]),
            "weight": weights.weights.get(duty.name, 0.0),
        }
        for duty in DUTIES
    ]
    return {
        "duties": duties,
        "warnings": warnings,
        "score": score(duties, weights.red_penalty * warnings["red"]),
        "weights": "configured" if weights.configured else "default",
    }


def share(due: int, on_time: int) -> float | None:
    return round(on_time / due, 4) if due else None


def score(duties: Sequence[Mapping[str, Any]], penalty: float = 0.0) -> float | None:
    """Σ weight × share over the duties with something due and a weight, over the sum of their
    weights, as 0–100, less `penalty` (never below 0); None when nothing weighed fell due."""
    weighed = [d for d in duties if d["due"] and d["weight"] > 0]
    total = sum(d["weight"] for d in weighed)
    if not total:
        return None
    kept = sum(d["weight"] * d["on_time"] / d["due"] for d in weighed)
    return round(max(0.0, 100 * kept / total - penalty), 2)


def ranked(summaries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Highest score first, each with its rank (ties share one; no score ranks last)."""
    ordered = sorted(summaries, key=lambda s: (s["score"] is None, -(s["score"] or 0)))
    rank, previous = 0, object()
    for n, entry in enumerate(ordered, start=1):
        if entry["score"] != previous:
            rank, previous = n, entry["score"]
        entry["rank"] = rank
    return ordered
