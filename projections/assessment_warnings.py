"""The warnings an agency had in a period, for its assessment: how many yellow and red it was
raised (withdrawn ones too: a limit that came close or passed counts, whatever happened next),
and per month, from the warnings view."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from projections.assessment_period import Period
from projections.view import Cursor
from projections.warnings import WarningView

COLOURS = ("yellow", "red")


def warnings_of(
    view: WarningView, cursor: Cursor, agencies: Sequence[str], period: Period
) -> dict[str, dict[str, Any]]:
    """Per agency: {yellow, red, by_month: [{month, yellow, red}]}."""
    months = period.months()
    tally = {a: {m: dict.fromkeys(COLOURS, 0) for m in months} for a in agencies}
    keys = period.keys
    for row in view.assessment_counts(cursor, agencies, keys["from_key"], keys["to_key"]):
        month = tally.get(row["agency"], {}).get(row["month"])
        if month is not None and row["colour"] in COLOURS:
            month[row["colour"]] += int(row["n"])
    return {agency: _summary(by_month) for agency, by_month in tally.items()}


def _summary(by_month: dict[str, dict[str, int]]) -> dict[str, Any]:
    return {
        **{c: sum(m[c] for m in by_month.values()) for c in COLOURS},
        "by_month": [dict(counts, month=month) for month, counts in by_month.items()],
    }
