"""The referral's one fold: its events' data into the document GET /v1/referrals/{id} answers
(less the history, version and position, which the view keeps beside it) and every command on
a referral answers with; and who may see it."""

from __future__ import annotations

from typing import Any

from domain.referral import Referral
from domain.referral_states import REFERRAL_LIFECYCLE
from projections.fold import Document, Fold, Resource
from projections.records import EventRecord

DETAIL_FIELDS = (
    "summary",
    "found_at",
    "urgent",
    "place",
    "materials",
    "case_id",
    "onward_from",
    "violation_in_progress",
    "on_scene_requested",
    "lead_agency",
    "lead_outside_place",
)


def drafted(record: EventRecord) -> Document:
    data, details = record.data, record.data["details"]
    return {
        "id": record.aggregate_id,
        "kind": data["kind"],
        "mechanism": data["mechanism"],
        "from_agency": data["from_agency"],
        "to_agency": data["to_agency"],
        "drafted_in": data["drafted_in"],
        "handler": None,
        **{k: details[k] for k in DETAIL_FIELDS},
        "stop_ordered_at": None,
        "sent_at": None,
        "sent_late": None,
        "acknowledged_at": None,
        "accepted_at": None,
        "rejection": None,
        "dispute_id": None,
        "observers": [],
        "answer": None,
        "extension": None,
        "outcome": None,
        "decision": None,
        "drafted_by": data["by"],
        "drafted_at": data["at"],
    }


def _in_progress(d: Document, data: dict[str, Any]) -> None:
    d["stop_ordered_at"] = data["at"]


def _material(d: Document, data: dict[str, Any]) -> None:
    d["materials"] = [*d["materials"], data["material"]]


def _sent(d: Document, data: dict[str, Any]) -> None:
    d.update(sent_at=data["at"], sent_late=data["late"])


def _acknowledged(d: Document, data: dict[str, Any]) -> None:
    d["acknowledged_at"] = data["at"]


def _accepted(d: Document, data: dict[str, Any]) -> None:
    d.update(accepted_at=data["at"], handler=d["to_agency"])


def _rejected(d: Document, data: dict[str, Any]) -> None:
    d["rejection"] = {"reason": data["reason"], "by": data["by"], "at": data["at"]}


def _disputed(d: Document, data: dict[str, Any]) -> None:
    d.update(dispute_id=data["dispute_id"], observers=data["bodies"])


def _answered(d: Document, data: dict[str, Any]) -> None:
    d["answer"] = {"text": data["answer"], "late": data["late"], "at": data["at"]}


def _extended(d: Document, data: dict[str, Any]) -> None:
    until = data["deadline"]["due_at"]
    d["extension"] = {"reason": data["reason"], "until": until, "at": data["at"]}


def _outcome(d: Document, data: dict[str, Any]) -> None:
    d["outcome"] = {"text": data["outcome"], "by": data["by"], "at": data["at"]}


def _settled(d: Document, data: dict[str, Any]) -> None:
    d.update(handler=data["decision"]["lead"], decision=data["decision"])


REFERRAL_FOLD = Fold(
    start=drafted,
    changes={
        "Referral.InProgressNotified": _in_progress,
        "Referral.MaterialAttached": _material,
        "Referral.Sent": _sent,
        "Referral.Acknowledged": _acknowledged,
        "Referral.Accepted": _accepted,
        "Referral.Rejected": _rejected,
        "Referral.Disputed": _disputed,
        "Referral.Answered": _answered,
        "Referral.AnswerExtended": _extended,
        "Referral.OutcomeReported": _outcome,
        "Referral.Settled": _settled,
    },
    lifecycle=REFERRAL_LIFECYCLE,
    meets={"Referral.Sent": ("send",), "Referral.Answered": ("answer",)},
)


def shown_to_receiver(doc: Document) -> bool:
    """A draft is the sender's alone; the receiver sees it once sent, or at once when told of
    a violation in progress."""
    return doc["sent_at"] is not None or doc["stop_ordered_at"] is not None


def audience(doc: Document) -> list[str]:
    """The agencies party to it: the sender, the receiver once it is shown to it, the handler a
    dispute named, the bodies deciding a dispute about it."""
    receiver = [doc["to_agency"]] if shown_to_receiver(doc) else []
    seen = [doc["from_agency"], *receiver, doc["handler"] or "", *doc["observers"]]
    return list(dict.fromkeys(code for code in seen if code))


REFERRAL = Resource(Referral, REFERRAL_FOLD, audience, "referral")
