"""Every kind of aggregate and what it brings: its topic, the aggregates whose events the topic
carries, the views fed from them, its command handlers, its HTTP routers, the agencies its
events concern, the time limits the deadline watcher follows. The relay, the projectors, the
contracts, the CLI, bootstrap, the watcher and the API read this list; nothing else keeps one.

A new kind of aggregate: its own modules (domain; its fold, its `Resource` with who sees it,
and its view; its handlers; its routes and schemas), then one entry here and its section in
docs/api.md; `python -m services.contracts write` adds its contracts and error codes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from eventsourcing.domain import Aggregate

from domain.agency import Agency, Officer
from domain.case import Case
from domain.crime_transfer import CrimeTransfer
from domain.crime_transfer_reply import CrimeTransferReply
from domain.dispute import DisputeResolution
from domain.dispute_events import involved
from domain.meeting import JointMeeting
from domain.numbering import CaseNumberSequence
from domain.referral import Referral
from domain.schedule import HolidaySchedule
from domain.trail_reading import TrailReading
from domain.warning import Warning
from projections import cases, crime_transfer_log, meeting_tracker, referrals
from projections.audit_trail import trail_of
from projections.case_document import CASE
from projections.cases import CaseView
from projections.crime_transfer_document import CRIME_TRANSFER
from projections.crime_transfer_log import CrimeTransferLog
from projections.dispute_document import DISPUTE
from projections.disputes import DisputeView
from projections.fold import Resource
from projections.meeting_document import MEETING
from projections.meeting_tracker import MeetingTracker
from projections.referral_document import REFERRAL
from projections.referrals import ReferralView
from projections.view import View
from projections.warnings import WarningView
from services.handlers.admin import AdminHandlers
from services.handlers.audit import AuditHandlers
from services.handlers.case_decision import CaseDecisionHandlers
from services.handlers.case_extensions import CaseExtensionHandlers
from services.handlers.case_forms import CaseFormHandlers
from services.handlers.case_measures import CaseMeasureHandlers
from services.handlers.cases import CaseHandlers
from services.handlers.crime_transfers import CrimeTransferHandlers
from services.handlers.disputes import DisputeHandlers
from services.handlers.meetings import MeetingHandlers
from services.handlers.referrals import ReferralHandlers
from services.idempotency import IdempotencyClaim

Concerns = Callable[[dict[str, Any]], tuple[str, ...]]


@dataclass(frozen=True)
class Kind:
    name: str  # the topic is liandong.<name>.v1
    aggregates: tuple[type[Aggregate], ...]
    views: tuple[type[View], ...] = ()
    handlers: tuple[type, ...] = ()
    routers: tuple[str, ...] = ()  # modules of services.api.routes
    resources: tuple[Resource, ...] = ()  # what its routes load by id, and who sees it
    # Per aggregate type: the agencies its events concern, from its first event's data.
    concerns: Mapping[str, Concerns] = field(default_factory=dict)
    # Per aggregate type: the agencies an event copies its resource to, who read its trail.
    copies: Mapping[str, Concerns] = field(default_factory=dict)
    # The time limits its (first) view holds that the deadline watcher follows, each with the
    # agency that must meet it. The route of one resource, before its id: its acts are named
    # `<name>.<act>` among the routes, and `<path>/{id}/acts` lists those open to the caller.
    limits: Callable[[Any, Any], list[dict[str, Any]]] | None = None
    path: str = ""


def _codes(*codes: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c for c in codes if c))


ACTS: tuple[Kind, ...] = (
    Kind(
        "case",
        (Case, CaseNumberSequence),
        views=(CaseView,),
        limits=cases.running_limits,
        path="/v1/cases",
        handlers=(
            CaseHandlers,
            CaseFormHandlers,
            CaseExtensionHandlers,
            CaseMeasureHandlers,
            CaseDecisionHandlers,
        ),
        routers=("cases", "case_forms", "case_extensions", "case_measures", "case_decision"),
        resources=(CASE,),
        concerns={"Case": lambda data: _codes(data["agency"], data["handling_unit"])},
    ),
    Kind(
        "referral",
        (Referral,),
        views=(ReferralView,),
        limits=referrals.running_limits,
        path="/v1/referrals",
        handlers=(ReferralHandlers,),
        routers=("referrals",),
        resources=(REFERRAL,),
        concerns={"Referral": lambda data: _codes(data["from_agency"], data["to_agency"])},
    ),
    Kind(
        "dispute",
        (DisputeResolution,),
        views=(DisputeView,),
        path="/v1/disputes",
        handlers=(DisputeHandlers,),
        routers=("disputes",),
        resources=(DISPUTE,),
        concerns={
            "DisputeResolution": lambda data: tuple(involved(data["parties"], data["rungs"]))
        },
    ),
    Kind(
        "meeting",
        (JointMeeting,),
        views=(MeetingTracker,),
        limits=meeting_tracker.running_limits,
        path="/v1/meetings",
        handlers=(MeetingHandlers,),
        routers=("meetings",),
        resources=(MEETING,),
        concerns={"JointMeeting": lambda data: _codes(data["convener"], *data["invitees"])},
    ),
    Kind(
        "crime-transfer",
        (CrimeTransfer, CrimeTransferReply),
        views=(CrimeTransferLog,),
        limits=crime_transfer_log.running_limits,
        path="/v1/crime-transfers",
        handlers=(CrimeTransferHandlers,),
        routers=("crime_transfers", "crime_transfer_log"),
        resources=(CRIME_TRANSFER,),
        concerns={
            "CrimeTransfer": lambda data: _codes(data["agency"], data["handling_unit"]),
            "CrimeTransferReply": lambda data: _codes(data["sender"]),
        },
        copies={"CrimeTransfer": lambda data: _codes(data.get("procuratorate"))},
    ),
    Kind(
        "warning",
        (Warning,),
        views=(WarningView,),
        routers=("warnings",),
        concerns={"Warning": lambda data: _codes(data["agency"])},
    ),
    Kind(
        "agency",
        (Agency, Officer, HolidaySchedule),
        handlers=(AdminHandlers,),
        routers=("agencies", "calendar"),
        concerns={
            "Agency": lambda data: _codes(data["code"], data["parent_code"]),
            "Officer": lambda data: _codes(data["agency_code"]),
        },
    ),
)


def _trail(kinds: tuple[Kind, ...]) -> type[View]:
    """The audit trail follows every kind's acts, the readings of the trail among them."""
    return trail_of(
        {a.__name__: kind.name for kind in kinds for a in kind.aggregates},
        {name: rule for kind in kinds for name, rule in kind.concerns.items()},
        {name: rule for kind in kinds for name, rule in kind.copies.items()},
    )


SUPERVISION = Kind(
    "supervision",
    (TrailReading,),
    handlers=(AuditHandlers,),
    routers=("audit", "audit_trail", "assessment"),
    concerns={"TrailReading": lambda data: _codes(data["by"]["agency"])},
)
KINDS: tuple[Kind, ...] = (
    *ACTS,
    replace(SUPERVISION, views=(_trail((*ACTS, SUPERVISION)),)),
)
# Bookkeeping kept in the store and never published.
INTERNAL: tuple[type[Aggregate], ...] = (IdempotencyClaim,)
# Routers that belong to no kind.
COMMON_ROUTERS = ("health", "contracts", "acts")


def topic_kind(aggregate_type: str) -> str | None:
    """The kind whose topic carries an aggregate type's events; None for internal ones."""
    return TOPIC_OF[aggregate_type]


def topic_kinds() -> tuple[str, ...]:
    return tuple(kind.name for kind in KINDS)


def views() -> dict[str, type[View]]:
    return {view.name: view for kind in KINDS for view in kind.views}


def concerns() -> dict[str, Concerns]:
    return {name: rule for kind in KINDS for name, rule in kind.concerns.items()}


def routers() -> list[str]:
    return [*COMMON_ROUTERS, *(r for kind in KINDS for r in kind.routers)]


TOPIC_OF: dict[str, str | None] = {
    **{a.__name__: kind.name for kind in KINDS for a in kind.aggregates},
    **{a.__name__: None for a in INTERNAL},
}
