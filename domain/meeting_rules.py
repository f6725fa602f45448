"""Rules a meeting must satisfy (seed 000 §三(一), seed 001 §三(一), seed 003 §三(四), seed 004
§三(二)2(2) and §四), as sentences, and its time limits; each rule raises a DomainError with a
stable code."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from domain.calendar import END_OF_DAY, SHANGHAI, WorkingCalendar
from domain.errors import Forbidden, Invalid
from domain.meeting_events import CONVENERS, Answer, AttendanceData, MeetingKind
from domain.payloads import FIXED, DeadlineData, deadline_data
from domain.values import Actor, AgencyPath, AgencyRef, Role

MATERIALS_WORKING_DAYS = 3  # materials go out at least 3 working days before (seed 000)
MINUTES_WORKING_DAYS = 5  # minutes are issued within 5 working days after (seed 000)
LETTER_WORKING_DAYS = 5  # a written answer within 5 working days (seed 003 §三(一) 函告)
HEAD_ROLES = frozenset({Role.UNIT_HEAD, Role.DEPUTY_DIRECTOR, Role.DIRECTOR})
ACTING_ROLES = frozenset({Role.OFFICER, Role.LIAISON, Role.LEGAL_HEAD, Role.LEGAL_REVIEWER})
ACTING_ROLES |= HEAD_ROLES


def check_convener(kind: MeetingKind, convener: AgencyRef) -> None:
    """Each kind is convened by the agencies it belongs to, acting in their own name."""
    if convener.kind not in CONVENERS[kind]:
        allowed = ", ".join(sorted(CONVENERS[kind]))
        raise Forbidden(
            f"a {kind} is convened by a {allowed}, not a {convener.kind}",
            code="meeting.convener_not_competent",
        )


def check_acts_for(actor: Actor, path: AgencyPath, agency: str, what: str) -> None:
    if not path.speaks_for(agency):
        raise Forbidden(f"only {agency} may {what}", code="meeting.not_convener")
    actor.require_role(*ACTING_ROLES)


def check_head_of(actor: Actor, path: AgencyPath, agency: str) -> None:
    """The convening agency's own head approves its minutes, not an office's head."""
    if path.agency.code != agency or not actor.has_role(*HEAD_ROLES):
        raise Forbidden(
            f"only a head of {agency} itself approves its minutes",
            code="meeting.not_convener_head",
        )


def check_invitees(convener: str, invitees: Sequence[str]) -> list[str]:
    chosen = list(dict.fromkeys(invitees))
    if not chosen:
        raise Invalid("a meeting invites at least one agency", code="meeting.invitees_required")
    if convener in chosen:
        raise Invalid("the convener does not invite itself", code="meeting.convener_invited")
    return chosen


def check_topics(topics: Iterable[str]) -> None:
    if not [t for t in topics if t.strip()] or any(not t.strip() for t in topics):
        raise Invalid("a meeting has its topics, none blank", code="meeting.topics_required")


def check_text(text: str | None, code: str, what: str) -> None:
    if not text or not text.strip():
        raise Invalid(f"{what} is required", code=code)


def check_in_future(moment: datetime, at: datetime) -> None:
    if moment <= at:
        raise Invalid("a meeting is called for a time to come", code="meeting.time_in_past")


def check_case_review(kind: MeetingKind, case_id: str | None) -> None:
    if kind == MeetingKind.CASE_REVIEW and not case_id:
        raise Invalid(
            "a case review meeting discusses a case: name it", code="meeting.case_required"
        )


def check_answer(answer: Answer, representatives: Sequence[object], reason: str | None) -> None:
    """Attending names who attends; declining gives a reason, or it is no decline."""
    if answer == Answer.ATTENDS and not representatives:
        raise Invalid("name who attends", code="meeting.representatives_required")
    if answer == Answer.DECLINES:
        check_text(reason, "meeting.reason_required", "a reason for declining")


def check_attendance(attended: Sequence[AttendanceData], participants: Sequence[str]) -> None:
    """Those present are the convener and invitees, each listed once with who represented it."""
    present = [a["agency"] for a in attended]
    for agency, officers in ((a["agency"], a["officers"]) for a in attended):
        if agency not in participants:
            raise Invalid(f"{agency} was not invited", code="meeting.attendee_not_invited")
        if not officers:
            raise Invalid("name who was present", code="meeting.representatives_required")
    if len(set(present)) != len(present):
        raise Invalid("each agency is listed once", code="meeting.attendee_duplicate")


# Time limits ----------------------------------------------------------------------------------


def meeting_deadlines(starts_at: datetime, calendar: WorkingCalendar) -> list[DeadlineData]:
    """Materials by the end of the latest day giving 3 working days' notice; minutes by the end
    of the 5th working day after the meeting day."""
    materials = calendar.working_days_before(starts_at, MATERIALS_WORKING_DAYS)
    minutes = calendar.add_working_days(starts_at, MINUTES_WORKING_DAYS)
    return [
        deadline_data("materials", starts_at, materials),
        deadline_data("minutes", starts_at, minutes),
    ]


def short_notice(materials_out: datetime, deadlines: Sequence[DeadlineData]) -> bool:
    """Materials out (or still to go) at that moment give less than 3 working days' notice."""
    materials = next(d for d in deadlines if d["name"] == "materials")
    return materials_out > materials["due_at"]


def letter_deadline(sent: datetime, calendar: WorkingCalendar) -> DeadlineData:
    return deadline_data("answers", sent, calendar.add_working_days(sent, LETTER_WORKING_DAYS))


def follow_up_deadline(item: str, due: str) -> DeadlineData:
    until = datetime.combine(date.fromisoformat(due), END_OF_DAY, tzinfo=SHANGHAI)
    return {
        "name": follow_up_name(item),
        "start": until,
        "due_at": until,
        "rule": FIXED,
        "provisional": False,
    }


def follow_up_name(item: str) -> str:
    return f"follow_up:{item}"
