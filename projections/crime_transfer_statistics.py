"""The yearly figures of crime transfers per agency, as the provinces report them under
应急〔2019〕54号: how many transfers the agency is party to reached each milestone within the
calendar year (Asia/Shanghai).

What each figure counts, once per transfer:
- `transferred` (移送): sent to public security in the year (`Sent`; a forward is not counted
  again);
- `filed` (立案): notified filed in the year (`Filed`: on the transfer, on reconsideration or on
  the procuratorate's order);
- `not_filed` (不予立案): notified not filed in the year (`NotFiled`), counted even when the
  refusal was later reversed, which then counts as filed too;
- `reconsiderations` (复议): the agency asked public security to reconsider in the year;
- `supervision_requests` (立案监督): the agency asked the procuratorate to supervise in the year;
- `recommended` (建议移送): the procuratorate recommended the transfer in the year.

An agency is party to a transfer as the transferring agency or its handling unit, as a public
security it was sent or forwarded to, or as the procuratorate it was copied to or that
recommended it: the same transfer counts for each of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from domain.calendar import SHANGHAI
from projections.deadlines import utc_key

# The event that marks each milestone, and the figure that counts it.
MILESTONES = {
    "Sent": "transferred",
    "Filed": "filed",
    "NotFiled": "not_filed",
    "ReconsiderationRequested": "reconsiderations",
    "SupervisionRequested": "supervision_requests",
    "Recommended": "recommended",
}
FIGURES = tuple(MILESTONES.values())


def year_span(year: int) -> tuple[str, str]:
    """The year's first instant and the next year's, as utc_keys."""
    first = datetime(year, 1, 1, tzinfo=SHANGHAI)
    return utc_key(first), utc_key(first.replace(year=year + 1))


def yearly_figures(
    year: int, agencies: Iterable[str], counted: Iterable[Mapping[str, Any]]
) -> dict[str, Any]:
    """Every agency's figures for the year, none left out (0 where nothing happened).
    `counted`: rows of (agency, name: a figure, n)."""
    figures = {agency: dict.fromkeys(FIGURES, 0) for agency in agencies}
    for row in counted:
        if row["agency"] in figures and row["name"] in FIGURES:
            figures[row["agency"]][row["name"]] += int(row["n"])
    return {
        "year": year,
        "agencies": [dict(counts, agency=agency) for agency, counts in figures.items()],
    }
