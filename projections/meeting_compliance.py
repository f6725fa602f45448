"""Compliance of a convening agency over a period: meetings held, materials and minutes on
time, invitees absent without reason, follow-up items done; and, for an agency that holds the
city-wide joint conference, whether each half-year had one (seed 001: 原则上每半年召开一次)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from domain.calendar import SHANGHAI
from domain.meeting_events import MeetingForm, MeetingKind
from domain.meeting_states import MeetingStatus
from projections.fold import Document

NOT_HELD = frozenset({MeetingStatus.CONVENED, MeetingStatus.CIRCULATED, MeetingStatus.CANCELLED})


def compliance(
    documents: list[Document], first: date, last: date, conference_expected: bool
) -> dict[str, Any]:
    """`documents`: the agency's meetings in the period, their deadlines judged (`state`)."""
    meetings = [d for d in documents if d["form"] == MeetingForm.MEETING]
    called = [d for d in meetings if d["status"] != MeetingStatus.CANCELLED]
    held = [d for d in meetings if d["status"] not in NOT_HELD]
    invitations = sum(len(d["invitees"]) for d in held)
    absent = sum(len(d["absent_without_reason"]) for d in held)
    follow_ups = [f for d in held for f in d["follow_ups"]]
    answer = {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "convened": len(meetings),
        "cancelled": len(meetings) - len(called),
        "held": len(held),
        "short_notice": sum(1 for d in called if d["short_notice"]),
        "materials": _tally(called, "materials"),
        "minutes": _tally(held, "minutes"),
        "invitations": invitations,
        "absent_without_reason": absent,
        "absent_share": round(absent / invitations, 4) if invitations else 0.0,
        "follow_ups": {
            "total": len(follow_ups),
            "done": sum(1 for f in follow_ups if f["done_at"] is not None),
        },
        "letters": sum(1 for d in documents if d["form"] == MeetingForm.LETTER),
        "joint_conferences": None,
    }
    if conference_expected:
        answer["joint_conferences"] = half_years_held(held, first, last)
    return answer


def _tally(documents: list[Document], name: str) -> dict[str, int]:
    """How the meetings stand on one time limit: on time, late, overdue, pending."""
    tally = {"on_time": 0, "late": 0, "overdue": 0, "pending": 0}
    for document in documents:
        for deadline in document["deadlines"]:
            if deadline["name"] == name:
                tally[deadline["state"]] += 1
    return tally


def half_years_held(held: list[Document], first: date, last: date) -> list[dict[str, Any]]:
    conferences = [d for d in held if d["kind"] == MeetingKind.JOINT_CONFERENCE]
    found = []
    for label, start, end in half_years(first, last):
        ids = [d["id"] for d in conferences if start <= _day(d["starts_at"]) <= end]
        found.append({"half_year": label, "held": bool(ids), "meetings": ids})
    return found


def half_years(first: date, last: date) -> Iterator[tuple[str, date, date]]:
    """The half-years (H1: January–June, H2: July–December) the period touches."""
    year, half = first.year, 1 if first.month <= 6 else 2
    while (year, half) <= (last.year, 1 if last.month <= 6 else 2):
        start = date(year, 1 if half == 1 else 7, 1)
        end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
        yield f"{year}-H{half}", start, end
        year, half = (year, 2) if half == 1 else (year + 1, 1)


def _day(moment: str) -> date:
    return datetime.fromisoformat(moment).astimezone(SHANGHAI).date()
