"""The shapes event data shares, declared field by field: the source of the published contracts.

Event data is stored as plain JSON objects, so payloads are `TypedDict`s (a dict at run time:
the stored bytes of an event do not depend on these declarations). Each field says what it
means with `Annotated[type, "description"]`; the contracts generator turns the text into the
schema's `description`, so a subscriber in another district reads it there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, TypedDict

from domain.calendar import Deadline
from domain.values import Actor


class ActorData(TypedDict):
    """Who took an act."""

    officer: Annotated[str, "the officer's id in the register of officers"]
    agency: Annotated[str, "the code of the agency or unit the officer works in"]
    name: Annotated[str, "the officer's name as registered"]


class DeadlineData(TypedDict):
    """A time limit an act set, with the rule it was computed by."""

    name: Annotated[str, "what must be done by then, e.g. `send`, `answer`, `filing`, `decision`"]
    start: Annotated[
        datetime, "the moment the period runs from (the day of the act is not counted)"
    ]
    due_at: Annotated[datetime, "when the period ends, as computed when the act was taken"]
    rule: Annotated[
        str,
        "how the period is counted: `N working days`, `N days`, `N hours`, or `fixed` for a date"
        " an act set (an extension); a subscriber recomputes `due_at` from `rule` and `start`"
        " when a holiday schedule is published",
    ]
    provisional: Annotated[
        bool, "computed for a year whose holiday schedule was not yet known (weekends only)"
    ]


class PlaceData(TypedDict):
    """Where something happened."""

    region: Annotated[str, "the administrative division code of the county or district"]
    address: Annotated[str, "the address in words"]


FIXED = "fixed"  # the rule of a date an act set (an extension): never recomputed

By = Annotated[ActorData, "who took the act"]
At = Annotated[datetime, "when the act was taken"]
Late = Annotated[bool, "the act was taken after its time limit had passed"]
Reason = Annotated[str, "the reason given, in words"]
AgencyCode = Annotated[str, "an agency's code"]


def actor_data(actor: Actor) -> ActorData:
    return {"officer": actor.officer_id, "agency": actor.agency_code, "name": actor.name}


def deadline_data(name: str, start: datetime, deadline: Deadline) -> DeadlineData:
    return {
        "name": name,
        "start": start,
        "due_at": deadline.due_at,
        "rule": deadline.rule,
        "provisional": deadline.provisional,
    }
