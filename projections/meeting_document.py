"""The meeting's one fold: its events' data into the document GET /v1/meetings/{id} answers
(less the history, version and position) and every command on a meeting answers with; and who
may see it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from domain.meeting import JointMeeting
from domain.meeting_rules import follow_up_name
from domain.meeting_states import MEETING_LIFECYCLE
from projections.fold import Document, Fold, Resource
from projections.records import EventRecord


def convened(record: EventRecord) -> Document:
    data = record.data
    return {
        "id": record.aggregate_id,
        **{k: data[k] for k in ("kind", "form", "convener", "convened_in", "invitees")},
        **{k: data[k] for k in ("topics", "starts_at", "place", "subject", "short_notice")},
        "materials": [],
        "circulated_at": None,
        "answers": {},
        "held_at": None,
        "attended": [],
        "absent_without_reason": [],
        "minutes": None,
        "signatures": [],
        "acknowledged": {},
        "follow_ups": [],
        "passed_up_to": [],
        "postponements": [],
        "cancellation": None,
        "letter": None,
        "written_answers": {},
        "conclusion": None,
        "convened_by": data["by"],
        "convened_at": data["at"],
    }


def _circulated(d: Document, data: dict[str, Any]) -> None:
    d.update(materials=data["materials"], circulated_at=data["at"])


def _answered(d: Document, data: dict[str, Any]) -> None:
    answer = {k: data[k] for k in ("answer", "representatives", "reason", "at")}
    d["answers"] = {**d["answers"], data["agency"]: answer}


def _postponed(d: Document, data: dict[str, Any]) -> None:
    moved = {"from": d["starts_at"], "to": data["starts_at"], "reason": data["reason"]}
    d["postponements"] = [*d["postponements"], dict(moved, at=data["at"])]
    d.update(starts_at=data["starts_at"], short_notice=data["short_notice"])


def _cancelled(d: Document, data: dict[str, Any]) -> None:
    d["cancellation"] = {"reason": data["reason"], "by": data["by"], "at": data["at"]}


def _held(d: Document, data: dict[str, Any]) -> None:
    d.update(
        held_at=data["at"],
        attended=data["attended"],
        absent_without_reason=data["absent_without_reason"],
    )


def _drafted(d: Document, data: dict[str, Any]) -> None:
    minutes = data["minutes"]
    d["minutes"] = dict(minutes, drafted_at=data["at"], approved_at=None, approved_by=None)
    d["minutes"].update(issued_at=None, late=None)
    d["signatures"] = []


def _signed(d: Document, data: dict[str, Any]) -> None:
    signature = {"agency": data["agency"], "by": data["by"], "at": data["at"]}
    d["signatures"] = [*d["signatures"], signature]


def _approved(d: Document, data: dict[str, Any]) -> None:
    d["minutes"] = dict(d["minutes"], approved_at=data["at"], approved_by=data["by"])


def _issued(d: Document, data: dict[str, Any]) -> None:
    d["minutes"] = dict(d["minutes"], issued_at=data["at"], late=data["late"])
    d["follow_ups"] = [
        dict(decision["follow_up"], item=decision["item"], done_at=None, report=None, late=None)
        for decision in d["minutes"]["decisions"]
        if decision["follow_up"]
    ]
    d["passed_up_to"] = list(dict.fromkeys(m["agency"] for m in d["minutes"]["passed_up"]))


def _acknowledged(d: Document, data: dict[str, Any]) -> None:
    d["acknowledged"] = {**d["acknowledged"], data["agency"]: data["at"]}


def _follow_up_done(d: Document, data: dict[str, Any]) -> None:
    done = {"done_at": data["at"], "report": data["report"], "late": data["late"]}
    d["follow_ups"] = [dict(f, **done) if f["item"] == data["item"] else f for f in d["follow_ups"]]


def _letter_sent(d: Document, data: dict[str, Any]) -> None:
    d["letter"] = {"text": data["letter"], "sent_at": data["at"]}


def _letter_answered(d: Document, data: dict[str, Any]) -> None:
    answer = {"answer": data["answer"], "late": data["late"], "by": data["by"], "at": data["at"]}
    d["written_answers"] = {**d["written_answers"], data["agency"]: answer}


def _concluded(d: Document, data: dict[str, Any]) -> None:
    d["conclusion"] = {"text": data["conclusion"], "unanswered": data["unanswered"]}
    d["conclusion"].update(by=data["by"], at=data["at"])


def _follow_up_met(d: Document, data: dict[str, Any]) -> Iterable[str]:
    return (follow_up_name(data["item"]),)


def _answers_met(d: Document, data: dict[str, Any]) -> Iterable[str]:
    """The letter's time limit is met when the last agency consulted has answered."""
    return ("answers",) if set(d["written_answers"]) >= set(d["invitees"]) else ()


MEETING_FOLD = Fold(
    start=convened,
    changes={
        "JointMeeting.MaterialsCirculated": _circulated,
        "JointMeeting.InvitationAnswered": _answered,
        "JointMeeting.Postponed": _postponed,
        "JointMeeting.Cancelled": _cancelled,
        "JointMeeting.Held": _held,
        "JointMeeting.MinutesDrafted": _drafted,
        "JointMeeting.MinutesSigned": _signed,
        "JointMeeting.MinutesApproved": _approved,
        "JointMeeting.MinutesIssued": _issued,
        "JointMeeting.MinutesAcknowledged": _acknowledged,
        "JointMeeting.FollowUpDone": _follow_up_done,
        "JointMeeting.LetterSent": _letter_sent,
        "JointMeeting.LetterAnswered": _letter_answered,
        "JointMeeting.Concluded": _concluded,
    },
    lifecycle=MEETING_LIFECYCLE,
    meets={
        "JointMeeting.MaterialsCirculated": ("materials",),
        "JointMeeting.MinutesIssued": ("minutes",),
        "JointMeeting.FollowUpDone": _follow_up_met,
        "JointMeeting.LetterAnswered": _answers_met,
    },
)


def audience(doc: Document) -> list[str]:
    """The convener and every invitee; once minutes are issued, the bodies matters went up to."""
    return list(dict.fromkeys([doc["convener"], *doc["invitees"], *doc["passed_up_to"]]))


MEETING = Resource(JointMeeting, MEETING_FOLD, audience, "meeting")
