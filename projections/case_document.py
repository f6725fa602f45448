"""The public document of a case, folded from its events' data (the shape GET /v1/cases/{id}
answers, less deadlines, timeline, version and position which live in their own columns)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from projections.records import EventRecord

Document = dict[str, Any]


def yuan(amount_fen: int | None) -> str | None:
    """Money leaves as a decimal string of yuan, never a float."""
    if amount_fen is None:
        return None
    return f"{amount_fen // 100}.{amount_fen % 100:02d}"


def registered(record: EventRecord) -> Document:
    data = record.data
    details = data["details"]
    return {
        "id": record.aggregate_id,
        "number": None,
        "status": "registered",
        "procedure": details["procedure"],
        "agency": data["agency"],
        "handling_unit": data["handling_unit"],
        "source": details["source"],
        "summary": details["summary"],
        "party": details["party"],
        "place": details["place"],
        "occurred_at": details["occurred_at"],
        "registered_by": data["by"],
        "registered_at": data["at"],
        "penalty": None,
        "approval": None,
        "evidence": [],
        "closure": None,
    }


def _decided(doc: Document, data: dict[str, Any]) -> None:
    penalty = data["penalty"]
    doc["penalty"] = {"kind": penalty["kind"], "amount_yuan": yuan(penalty["amount_fen"])}
    doc.update(number=data["number"], status="decided")


def _reported(doc: Document, data: dict[str, Any]) -> None:
    doc["status"] = "reported"


def _requested(doc: Document, data: dict[str, Any]) -> None:
    steps = [dict(step, decision=None, opinion=None, by=None, at=None) for step in data["steps"]]
    doc["approval"] = {"steps": steps, "requested_by": data["by"], "requested_at": data["at"]}
    doc["status"] = "awaiting_approval"


def _sign(doc: Document, data: dict[str, Any], decision: bool) -> None:
    steps = doc["approval"]["steps"]
    step = next(s for s in steps if s["decision"] is None and s["name"] == data["step"])
    step.update(decision=decision, opinion=data["opinion"], by=data["by"], at=data["at"])


def _reviewed(doc: Document, data: dict[str, Any]) -> None:
    _sign(doc, data, True)


def _filed(doc: Document, data: dict[str, Any]) -> None:
    _sign(doc, data, True)
    doc.update(number=data["number"], status="filed")


def _returned(doc: Document, data: dict[str, Any]) -> None:
    _sign(doc, data, False)
    doc["status"] = "registered"


def _evidence(doc: Document, data: dict[str, Any]) -> None:
    record = dict(data["evidence"], attached_at=data["at"], attached_by=data["by"]["officer"])
    doc["evidence"].append(record)


def _closed(doc: Document, data: dict[str, Any]) -> None:
    doc["closure"] = {"reason": data["reason"], "by": data["by"], "at": data["at"]}
    doc["status"] = "closed"


CHANGES: dict[str, Callable[[Document, dict[str, Any]], None]] = {
    "Case.DecidedOnTheSpot": _decided,
    "Case.DecisionReported": _reported,
    "Case.FilingRequested": _requested,
    "Case.FilingReviewed": _reviewed,
    "Case.Filed": _filed,
    "Case.FilingReturned": _returned,
    "Case.EvidenceAttached": _evidence,
    "Case.Closed": _closed,
}

# Deadlines an event meets.
MEETS: dict[str, tuple[str, ...]] = {
    "Case.DecisionReported": ("report_and_file",),
    "Case.Filed": ("filing",),
}


def next_step(doc: Document) -> str | None:
    approval = doc.get("approval")
    if doc["status"] != "awaiting_approval" or not approval:
        return None
    return next((s["name"] for s in approval["steps"] if s["decision"] is None), None)
