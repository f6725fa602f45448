"""What minutes (会议纪要) must say: decisions numbered once, follow-up items owned by a
participant and due no earlier than the meeting day, a dispute settled only by a joint meeting
that has it on its agenda, each matter passed up naming its body (seed 000 §三(一)(3)); and
who signs a case review's minutes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from domain.calendar import SHANGHAI
from domain.errors import Conflict, Forbidden, Invalid
from domain.meeting_events import MeetingKind, MinutesData
from domain.values import Actor, AgencyPath


def check_minutes(
    minutes: MinutesData,
    kind: MeetingKind,
    participants: Sequence[str],
    starts_at: datetime,
    subject: Mapping[str, Any],
) -> None:
    if not minutes["text"].strip():
        raise Invalid("the minutes' text is required", code="meeting.minutes_text_required")
    items = [d["item"] for d in minutes["decisions"]]
    if len(set(items)) != len(items) or any(not i.strip() for i in items):
        raise Invalid("each decision has its own number", code="meeting.item_duplicate")
    if sum(1 for d in minutes["decisions"] if d["settles"] is not None) > 1:
        raise Invalid("one decision settles the dispute", code="meeting.settled_twice")
    meeting_day = starts_at.astimezone(SHANGHAI).date()
    for decision in minutes["decisions"]:
        if not decision["text"].strip():
            raise Invalid("a decision says what was decided", code="meeting.decision_required")
        follow_up = decision["follow_up"]
        if follow_up is not None:
            _check_follow_up(follow_up, participants, meeting_day)
        if decision["settles"] is not None:
            _check_settlement(decision["settles"]["dispute_id"], kind, subject)
    for matter in minutes["passed_up"]:
        if not matter["matter"].strip():
            raise Invalid("say which matter goes up", code="meeting.matter_required")


def check_signer(
    kind: MeetingKind,
    path: AgencyPath,
    actor: Actor,
    participants: Sequence[str],
    present: set[str],
) -> str:
    """A case review's minutes are signed by those present, officers of invited agencies (参会
    人员签字确认, seed 004 §四), `present` the officers' ids; the agency they sign for."""
    if kind != MeetingKind.CASE_REVIEW:
        raise Conflict("only a case review meeting's minutes are signed", code="meeting.not_signed")
    agency = next((p for p in participants if path.speaks_for(p)), None)
    if agency is None:
        raise Forbidden("only officers of invited agencies sign", code="meeting.signer_not_invited")
    if actor.officer_id not in present:
        raise Forbidden("only those present sign", code="meeting.signer_not_present")
    return agency


def _check_follow_up(
    follow_up: Mapping[str, Any], participants: Sequence[str], meeting_day: date
) -> None:
    if follow_up["agency"] not in participants:
        raise Invalid(
            "a follow-up item is owned by the convener or an invitee",
            code="meeting.follow_up_not_participant",
        )
    if not str(follow_up["task"]).strip():
        raise Invalid("say what must be done", code="meeting.task_required")
    if date.fromisoformat(follow_up["due"]) < meeting_day:
        raise Invalid(
            "a follow-up item is due after the meeting", code="meeting.due_before_meeting"
        )


def _check_settlement(dispute_id: str, kind: MeetingKind, subject: Mapping[str, Any]) -> None:
    if kind != MeetingKind.JOINT_MEETING:
        raise Invalid("only a joint meeting decides a dispute", code="meeting.cannot_settle")
    if subject.get("dispute_id") != dispute_id:
        raise Invalid(
            "a joint meeting decides only the dispute on its agenda",
            code="meeting.dispute_not_on_agenda",
        )
