"""The warnings an agency had in a period, for its assessment: how many yellow and red, and per
month. They come from the `warnings` view when the catalogue has one (it answers
`assessment_counts(cursor, agencies, from_key, to_key)` with rows of agency, colour — `yellow` or
`red` —, month `YYYY-MM` and n); until then every agency has none, and `available` says so."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from projections.assessment_period import Period
from projections.view import Cursor, View

COLOURS = ("yellow", "red")


class CountsWarnings(Protocol):
    def assessment_counts(
        self, cursor: Cursor, agencies: Sequence[str], from_key: str, to_key: str
    ) -> Sequence[Mapping[str, Any]]: ...


def warnings_of(
    views: Mapping[str, View], cursor: Cursor, agencies: Sequence[str], period: Period
) -> dict[str, dict[str, Any]]:
    """Per agency: {available, yellow, red, by_month: [{month, yellow, red}]}."""
    view = views.get("warnings")
    available = view is not None and hasattr(view, "assessment_counts")
    months = period.months()
    tally = {a: {m: dict.fromkeys(COLOURS, 0) for m in months} for a in agencies}
    if available:
        counter: CountsWarnings = view  # type: ignore[assignment]
        keys = period.keys
        for row in counter.assessment_counts(cursor, agencies, keys["from_key"], keys["to_key"]):
            month = tally.get(row["agency"], {}).get(row["month"])
            if month is not None and row["colour"] in COLOURS:
                month[row["colour"]] += int(row["n"])
    return {agency: _summary(available, by_month) for agency, by_month in tally.items()}


def _summary(available: bool, by_month: dict[str, dict[str, int]]) -> dict[str, Any]:
    return {
        "available": available,
        **{c: sum(m[c] for m in by_month.values()) for c in COLOURS},
        "by_month": [dict(counts, month=month) for month, counts in by_month.items()],
    }
