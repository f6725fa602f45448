"""The public documents of a referral and of a dispute, folded from their events' data (the
shapes GET /v1/referrals/{id} and GET /v1/disputes/{id} answer, less deadlines and history)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from projections.records import EventRecord

Document = dict[str, Any]


def drafted(record: EventRecord) -> Document:
    data, details = record.data, record.data["details"]
    return {
        "id": record.aggregate_id,
        "kind": data["kind"],
        "status": "draft",
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


def _in_progress(d: Document, data: dict[str, Any]) -> None:
    d["stop_ordered_at"] = data["at"]


def _material(d: Document, data: dict[str, Any]) -> None:
    d["materials"] = [*d["materials"], data["material"]]


def _status(status: str, stamp: str | None = None) -> Callable[[Document, dict[str, Any]], None]:
    def change(d: Document, data: dict[str, Any]) -> None:
        d["status"] = status
        if stamp:
            d[stamp] = data["at"]

    return change


def _sent(d: Document, data: dict[str, Any]) -> None:
    d.update(status="sent", sent_at=data["at"], sent_late=data["late"])


def _accepted(d: Document, data: dict[str, Any]) -> None:
    d.update(status="accepted", accepted_at=data["at"], handler=d["to_agency"])


def _rejected(d: Document, data: dict[str, Any]) -> None:
    d.update(
        status="rejected", rejection={"reason": data["reason"], "by": data["by"], "at": data["at"]}
    )


def _disputed(d: Document, data: dict[str, Any]) -> None:
    d.update(status="disputed", dispute_id=data["dispute_id"], observers=data["bodies"])


def _answered(d: Document, data: dict[str, Any]) -> None:
    d.update(
        status="answered", answer={"text": data["answer"], "late": data["late"], "at": data["at"]}
    )


def _extended(d: Document, data: dict[str, Any]) -> None:
    d["extension"] = {
        "reason": data["reason"],
        "until": data["deadline"]["due_at"],
        "at": data["at"],
    }


def _outcome(d: Document, data: dict[str, Any]) -> None:
    d.update(
        status="concluded", outcome={"text": data["outcome"], "by": data["by"], "at": data["at"]}
    )


def _settled(d: Document, data: dict[str, Any]) -> None:
    d.update(status="accepted", handler=data["decision"]["lead"], decision=data["decision"])


REFERRAL_CHANGES: dict[str, Callable[[Document, dict[str, Any]], None]] = {
    "Referral.InProgressNotified": _in_progress,
    "Referral.MaterialAttached": _material,
    "Referral.Approved": _status("approved"),
    "Referral.Sent": _sent,
    "Referral.Acknowledged": _status("acknowledged", "acknowledged_at"),
    "Referral.Accepted": _accepted,
    "Referral.Rejected": _rejected,
    "Referral.Disputed": _disputed,
    "Referral.Answered": _answered,
    "Referral.AnswerExtended": _extended,
    "Referral.OutcomeReported": _outcome,
    "Referral.Settled": _settled,
}
# Deadlines an event meets.
MEETS = {"Referral.Sent": ("send",), "Referral.Answered": ("answer",)}


def opened(record: EventRecord) -> Document:
    data, details = record.data, record.data["details"]
    return {
        "id": record.aggregate_id,
        "status": "open",
        "parties": data["parties"],
        "rungs": data["rungs"],
        "rung": data["rungs"][0]["name"],
        "ladder": details["ladder"],
        "mechanism": details["mechanism"],
        "matter": details["matter"],
        "grounds": details["grounds"],
        "interim": details["interim"],
        "referral_id": details["referral_id"],
        "positions": {},
        "decision": None,
        "opened_by": data["by"],
        "opened_at": data["at"],
    }


def _position(d: Document, data: dict[str, Any]) -> None:
    d["positions"] = {
        **d["positions"],
        data["party"]: {
            "position": data["position"],
            "proposed_handler": data["proposed_handler"],
            "at": data["at"],
        },
    }


def _escalated(d: Document, data: dict[str, Any]) -> None:
    d["rung"] = d["rungs"][data["to_rung"]]["name"]


def _decided(d: Document, data: dict[str, Any]) -> None:
    d.update(
        status="decided",
        decision={**data["decision"], "rung": data["rung"], "by": data["by"], "at": data["at"]},
    )


DISPUTE_CHANGES: dict[str, Callable[[Document, dict[str, Any]], None]] = {
    "DisputeResolution.PositionRecorded": _position,
    "DisputeResolution.Escalated": _escalated,
    "DisputeResolution.Decided": _decided,
    "DisputeResolution.Closed": _status("closed", "closed_at"),
}


def involved(document: Document) -> list[str]:
    bodies = [r["agency"] for r in document["rungs"] if r.get("agency")]
    return list(dict.fromkeys([*document["parties"], *bodies]))
