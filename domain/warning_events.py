"""What a warning's events carry: the colour it turned, the time limit it is about, why it was
withdrawn. The contracts' source for the `liandong.warning.v1` topic."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated
from uuid import UUID


class Colour(StrEnum):
    YELLOW = "yellow"  # the limit is within its lead time
    RED = "red"  # the limit has passed unmet


class WithdrawnWhy(StrEnum):
    MET = "met"  # the act was done
    MOVED = "moved"  # the limit's due time changed (an extension, a postponement, a schedule)
    CLOSED = "closed"  # the resource was closed or cancelled, or the limit no longer runs


ColourField = Annotated[Colour, "`yellow`: within its lead time; `red`: passed unmet"]
ResourceKind = Annotated[
    str,
    "the kind of resource the limit belongs to: `case`, `referral`, `meeting`, `crime-transfer`",
]
ResourceId = Annotated[UUID, "the resource's id"]
LimitName = Annotated[
    str, "the limit's name as the resource's deadlines show it, e.g. `send`, `answer`, `decision`"
]
LimitRule = Annotated[
    str, "how the limit's period is counted: `N working days`, `N days`, `N hours`, `fixed`"
]
DueAt = Annotated[datetime, "when the limit ends (the occurrence this warning is about)"]
Provisional = Annotated[
    bool, "the due time was computed for a year whose holiday schedule is not yet published"
]
Responsible = Annotated[str, "the code of the agency that must meet the limit"]
Lead = Annotated[
    str | None,
    "the lead time a yellow warning was raised with, as a rule (`1 working days`, `6 hours`);"
    " none for red",
]
WarnedAt = Annotated[datetime, "when the watcher raised it"]
WhyField = Annotated[
    WithdrawnWhy,
    "`met`: the act was done; `moved`: the limit's due time changed (a new occurrence follows);"
    " `closed`: the resource was closed or cancelled",
]
WithdrawnAt = Annotated[datetime, "when the watcher withdrew it"]
