"""The views that hold running time limits, the kind of resource each holds them for, and
where a resource is read; which agency must meet each limit is the view's own knowledge
(its `running_limits`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from projections import cases, crime_transfer_log, meeting_tracker, referrals
from projections.document_view import DocumentView
from projections.view import Cursor


@dataclass(frozen=True)
class Source:
    view: type[DocumentView]
    kind: str  # the resource's kind, as the warnings name it
    path: str  # the resource's route, before its id
    running: Callable[[Any, Cursor], list[dict[str, Any]]]


SOURCES: tuple[Source, ...] = (
    Source(cases.CaseView, "case", "/v1/cases", cases.running_limits),
    Source(referrals.ReferralView, "referral", "/v1/referrals", referrals.running_limits),
    Source(
        meeting_tracker.MeetingTracker, "meeting", "/v1/meetings", meeting_tracker.running_limits
    ),
    Source(
        crime_transfer_log.CrimeTransferLog,
        "crime-transfer",
        "/v1/crime-transfers",
        crime_transfer_log.running_limits,
    ),
)
BY_KIND = {source.kind: source for source in SOURCES}


def link(kind: str, resource_id: str) -> str:
    return f"{BY_KIND[kind].path}/{resource_id}"
