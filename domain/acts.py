"""How the aggregates record who acted and which deadline an act set, as plain event data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.calendar import Deadline
from domain.values import Actor


def deadline_data(name: str, start: datetime, deadline: Deadline) -> dict[str, Any]:
    return {
        "name": name,
        "start": start,
        "due_at": deadline.due_at,
        "rule": deadline.rule,
        "provisional": deadline.provisional,
    }


def actor_data(actor: Actor) -> dict[str, str]:
    return {"officer": actor.officer_id, "agency": actor.agency_code, "name": actor.name}
