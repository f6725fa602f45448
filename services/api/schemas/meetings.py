"""Meeting shapes: what convening, consulting by letter and each act take, and how the API shows
a meeting, the tracker and the compliance figures."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, Field

from domain.meeting_events import (
    Answer,
    MeetingForm,
    MeetingKind,
    MeetingMaterialData,
    PassedUpTo,
)
from services.api.schemas.cases import PlaceOut, TimelineEntry
from services.api.schemas.common import By, Day, DeadlineOut, Input, Moment, Name, Versioned
from services.api.schemas.referrals import Code, DecisionIn, PlaceIn, Reason, Summary

Codes = Annotated[list[Code], Field(max_length=50)]
Topics = Annotated[list[Summary], Field(min_length=1, max_length=20)]
Item = Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[0-9A-Za-z.()-]+$")]
Long = Annotated[str, Field(max_length=20000)]


class SubjectIn(Input):
    case_id: UUID | None = Field(None, description="the case it concerns (required for a 案审会)")
    referral_id: UUID | None = None
    dispute_id: UUID | None = Field(None, description="the dispute on a joint meeting's agenda")


class MeetingCreate(Input):
    kind: MeetingKind
    invitees: Annotated[Codes, Field(min_length=1)]
    topics: Topics
    starts_at: Moment
    place: PlaceIn
    subject: SubjectIn | None = None


class ConsultationCreate(Input):
    consulted: Annotated[Codes, Field(min_length=1)]
    topics: Topics
    letter: Long = Field(description="the letter (函) in words")
    subject: SubjectIn | None = None


class MaterialIn(Input):
    title: Name
    uri: Annotated[str, Field(max_length=2000)] | None = None
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = None

    def material(self) -> MeetingMaterialData:
        return {"title": self.title, "uri": self.uri, "sha256": self.sha256}


class CirculateIn(Input):
    materials: Annotated[list[MaterialIn], Field(max_length=50, default_factory=list)]


class AnswerIn(Input):
    answer: Answer
    officers: Annotated[list[Code], Field(max_length=20, default_factory=list)] = Field(
        description="who attends (officer ids), when it attends"
    )
    reason: Reason | None = Field(None, description="why it declines: required to decline")


class PostponeIn(Input):
    starts_at: Moment
    reason: Reason = ""


class ReasonIn(Input):
    reason: Reason = ""


class PresentIn(Input):
    agency: Code
    officers: Annotated[list[Code], Field(max_length=20)]


class HoldIn(Input):
    attended: Annotated[list[PresentIn], Field(min_length=1, max_length=51)]


class FollowUpIn(Input):
    task: Summary
    agency: Code = Field(description="the agency responsible: the convener or an invitee")
    due: Day


class SettlesIn(Input):
    dispute_id: UUID
    decision: DecisionIn


class DecisionItemIn(Input):
    item: Item
    text: Summary
    follow_up: FollowUpIn | None = None
    settles: SettlesIn | None = Field(None, description="a joint meeting settles its dispute")


class PassedUpIn(Input):
    matter: Summary
    to: PassedUpTo


class MinutesIn(Input):
    text: Long
    decisions: Annotated[list[DecisionItemIn], Field(max_length=100, default_factory=list)]
    passed_up: Annotated[list[PassedUpIn], Field(max_length=20, default_factory=list)]


class FollowUpReportIn(Input):
    report: Reason = ""


class LetterAnswerIn(Input):
    answer: Long = ""


class ConclusionIn(Input):
    conclusion: Long = ""


# Answers --------------------------------------------------------------------------------------


class MeetingDeadline(DeadlineOut):
    state: str = Field(description="pending, on_time, late or overdue (judged when asked)")


class FollowUpOut(BaseModel):
    item: str
    task: str
    agency: str
    due: str
    done_at: datetime | None
    report: str | None
    late: bool | None


class MeetingOut(Versioned):
    id: UUID
    kind: MeetingKind
    form: MeetingForm
    status: str
    convener: str
    convened_in: str
    invitees: list[str]
    topics: list[str]
    starts_at: datetime | None
    place: PlaceOut | None
    subject: dict[str, str | None]
    short_notice: bool = Field(description="called with less than 3 working days' notice")
    deadlines: list[MeetingDeadline]
    overdue: bool
    materials: list[dict[str, Any]]
    circulated_at: datetime | None
    answers: dict[str, dict[str, Any]] = Field(description="each invitee's answer, by agency")
    held_at: datetime | None
    attended: list[dict[str, Any]]
    absent_without_reason: list[str]
    minutes: dict[str, Any] | None
    signatures: list[dict[str, Any]]
    acknowledged: dict[str, datetime] = Field(description="when each invitee acknowledged")
    follow_ups: list[FollowUpOut]
    passed_up_to: list[str]
    postponements: list[dict[str, Any]]
    cancellation: dict[str, Any] | None
    letter: dict[str, Any] | None
    written_answers: dict[str, dict[str, Any]]
    conclusion: dict[str, Any] | None
    convened_by: By
    convened_at: datetime


class MeetingDetail(MeetingOut):
    history: list[TimelineEntry]


class TrackerEntry(Versioned):
    id: UUID
    kind: MeetingKind
    form: MeetingForm
    status: str
    role: str = Field(description="the agency's part: convener, invitee or passed_up")
    convener: str
    topics: list[str]
    starts_at: datetime | None
    subject: dict[str, str | None]
    short_notice: bool
    deadlines: list[MeetingDeadline]
    answer: dict[str, Any] | None = Field(description="the agency's own answer, if invited")
    minutes_received: bool
    minutes_acknowledged: bool
    follow_ups_open: list[FollowUpOut] = Field(description="open follow-up items it owns")
    overdue: bool = Field(description="a time limit shown here passed unmet")


class TrackerPage(BaseModel):
    agency: str
    items: list[TrackerEntry]
    next_cursor: str | None = None


class Tally(BaseModel):
    on_time: int
    late: int
    overdue: int
    pending: int


class HalfYear(BaseModel):
    half_year: str = Field(examples=["2026-H2"])
    held: bool
    meetings: list[UUID]


class Compliance(BaseModel):
    agency: str
    from_: str = Field(alias="from")
    to: str
    convened: int
    cancelled: int
    held: int
    short_notice: int
    materials: Tally
    minutes: Tally
    invitations: int = Field(description="invitations to the meetings held")
    absent_without_reason: int
    absent_share: float = Field(description="absent without reason / invitations")
    follow_ups: dict[str, int]
    letters: int
    joint_conferences: list[HalfYear] | None = Field(
        description="each half-year's joint conference, for an agency that holds it"
    )
