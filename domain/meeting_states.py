"""The meeting's statuses and which acts each allows: its lifecycle table."""

from __future__ import annotations

from enum import StrEnum

from domain.lifecycle import Lifecycle, act


class MeetingStatus(StrEnum):
    CONVENED = "convened"  # called, materials not yet circulated
    CIRCULATED = "circulated"  # topics and materials with every invitee
    HELD = "held"
    MINUTES_DRAFTED = "minutes_drafted"
    MINUTES_APPROVED = "minutes_approved"
    MINUTES_ISSUED = "minutes_issued"  # 会议纪要印发: follow-up items run until reported done
    CANCELLED = "cancelled"
    LETTER_SENT = "letter_sent"  # a consultation by letter (函告), awaiting written answers
    CONCLUDED = "concluded"  # a consultation by letter whose conclusion is recorded


S = MeetingStatus
BEFORE = (S.CONVENED, S.CIRCULATED)  # the meeting has not yet taken place
MEETING_LIFECYCLE = Lifecycle(
    noun="meeting",
    after={
        "Convened": S.CONVENED,
        "MaterialsCirculated": S.CIRCULATED,
        "Held": S.HELD,
        "MinutesDrafted": S.MINUTES_DRAFTED,
        "MinutesApproved": S.MINUTES_APPROVED,
        "MinutesIssued": S.MINUTES_ISSUED,
        "Cancelled": S.CANCELLED,
        "LetterSent": S.LETTER_SENT,
        "Concluded": S.CONCLUDED,
    },
    acts={
        "circulate": act("circulate materials of", S.CONVENED, code="meeting.not_convened"),
        "answer": act("answer the invitation to", *BEFORE, code="meeting.already_held"),
        "postpone": act("postpone", *BEFORE, code="meeting.already_held"),
        "cancel": act("cancel", *BEFORE, code="meeting.already_held"),
        "hold": act(
            "hold",
            S.CIRCULATED,
            code="meeting.already_held",
            overtaken=((S.CONVENED,), "meeting.materials_not_circulated"),
        ),
        # A redraft, even of approved minutes, needs approving (and signing) again.
        "draft_minutes": act(
            "draft the minutes of",
            S.HELD,
            S.MINUTES_DRAFTED,
            S.MINUTES_APPROVED,
            code="meeting.not_held",
            overtaken=((S.MINUTES_ISSUED,), "meeting.minutes_issued"),
        ),
        "sign_minutes": act(
            "sign the minutes of", S.MINUTES_DRAFTED, S.MINUTES_APPROVED, code="meeting.no_draft"
        ),
        "approve_minutes": act(
            "approve the minutes of",
            S.MINUTES_DRAFTED,
            code="meeting.no_draft",
            overtaken=((S.MINUTES_APPROVED, S.MINUTES_ISSUED), "meeting.already_approved"),
        ),
        "issue_minutes": act(
            "issue the minutes of",
            S.MINUTES_APPROVED,
            code="meeting.minutes_not_approved",
            overtaken=((S.MINUTES_ISSUED,), "meeting.minutes_issued"),
        ),
        "acknowledge": act(
            "acknowledge the minutes of", S.MINUTES_ISSUED, code="meeting.minutes_not_issued"
        ),
        "report_follow_up": act(
            "report a follow-up item of", S.MINUTES_ISSUED, code="meeting.minutes_not_issued"
        ),
        "answer_letter": act(
            "answer the letter of", S.LETTER_SENT, code="meeting.letter_concluded"
        ),
        "conclude": act("conclude the letter of", S.LETTER_SENT, code="meeting.letter_concluded"),
    },
    open=frozenset(
        {S.CONVENED, S.CIRCULATED, S.HELD, S.MINUTES_DRAFTED, S.MINUTES_APPROVED}
        | {S.MINUTES_ISSUED, S.LETTER_SENT}
    ),
)
