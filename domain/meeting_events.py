"""What a meeting's events carry, field by field (the contract of `liandong.JointMeeting.*`),
and the kinds of meeting with who may convene each."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, TypedDict

from domain.dispute_events import DecisionData
from domain.payloads import AgencyCode
from domain.values import AgencyKind


class MeetingKind(StrEnum):
    CONSULTATION = "consultation"  # 工作会商 (seed 000 §三(一), seed 003 §三(四))
    JOINT_MEETING = "joint_meeting"  # 区应急局联席会议: decides referral disputes (seed 000)
    JOINT_CONFERENCE = "joint_conference"  # 全市联席会议: every half year, and ad hoc (seed 001)
    SPECIAL_TOPIC = "special_topic"  # 专题会议 on a major case clue (seed 003 §三(四))
    CASE_REVIEW = "case_review"  # 案审会: collective discussion of a case (seed 004)


class MeetingForm(StrEnum):
    MEETING = "meeting"  # 工作会议
    LETTER = "letter"  # 函告: a consultation in writing


K = AgencyKind
# Who may convene each kind, by the kind of agency acting in its own name.
CONVENERS: dict[MeetingKind, frozenset[AgencyKind]] = {
    MeetingKind.CONSULTATION: frozenset(
        {
            K.CITY_BUREAU,
            K.DISTRICT_BUREAU,
            K.DETACHMENT,
            K.COMPREHENSIVE_ENFORCEMENT_BUREAU,
            K.FUNCTIONAL_DEPARTMENT,
        }
    ),
    MeetingKind.JOINT_MEETING: frozenset({K.DISTRICT_BUREAU}),
    MeetingKind.JOINT_CONFERENCE: frozenset({K.CITY_BUREAU}),
    MeetingKind.SPECIAL_TOPIC: frozenset({K.COMPREHENSIVE_ENFORCEMENT_BUREAU, K.DISTRICT_BUREAU}),
    MeetingKind.CASE_REVIEW: frozenset({K.DISTRICT_BUREAU}),
}


class Answer(StrEnum):
    ATTENDS = "attends"
    DECLINES = "declines"


class PassedUpTo(StrEnum):
    """Where a matter the meeting cannot decide goes (seed 000 §三(一)(3))."""

    DISTRICT_LEGAL_DEPARTMENT = "district_legal_department"  # 区法制部门
    CITY_BUREAU = "city_bureau"  # 市局有关部门


class SubjectData(TypedDict):
    case_id: Annotated[str | None, "the case it concerns (a UUID), if any"]
    referral_id: Annotated[str | None, "the referral it concerns (a UUID), if any"]
    dispute_id: Annotated[str | None, "the dispute on its agenda (a UUID), if any"]


class RepresentativeData(TypedDict):
    officer: Annotated[str, "the officer's id in the register of officers"]
    name: Annotated[str, "the officer's name as registered"]


class MeetingMaterialData(TypedDict):
    title: Annotated[str, "the material's title"]
    uri: Annotated[str | None, "where it is kept, if given"]
    sha256: Annotated[str | None, "SHA-256 of its bytes, if given"]


class AttendanceData(TypedDict):
    agency: Annotated[AgencyCode, "an agency that was present: the convener or an invitee"]
    officers: Annotated[list[RepresentativeData], "who represented it"]


class FollowUpData(TypedDict):
    """A follow-up item, numbered as the decision that creates it."""

    task: Annotated[str, "what must be done"]
    agency: Annotated[AgencyCode, "the agency responsible: it reports the item done"]
    due: Annotated[str, "the day by whose end it is due (Asia/Shanghai), an ISO 8601 date"]


class SettlementData(TypedDict):
    dispute_id: Annotated[str, "the dispute on the agenda that the decision settles (a UUID)"]
    decision: Annotated[DecisionData, "who must handle the disputed matter"]


class DecisionItemData(TypedDict):
    item: Annotated[str, "the decision's number within the minutes, e.g. `1`"]
    text: Annotated[str, "what the meeting decided, in words"]
    follow_up: Annotated[FollowUpData | None, "the follow-up item it creates, if any"]
    settles: Annotated[SettlementData | None, "the dispute it settles, if any (联席会议)"]


class PassedUpData(TypedDict):
    matter: Annotated[str, "a matter the meeting could not decide"]
    to: Annotated[PassedUpTo, "the body it goes to"]
    agency: Annotated[AgencyCode, "that body's agency in the register"]


class MinutesData(TypedDict):
    text: Annotated[str, "the minutes (会议纪要) in words"]
    decisions: Annotated[list[DecisionItemData], "what the meeting decided"]
    passed_up: Annotated[list[PassedUpData], "matters sent up for decision"]
