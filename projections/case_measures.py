"""A case's compulsory measures and rectification orders in its document: the fold of
`domain.case_measures` and `domain.case_rectification` (their deadlines are set by the fold)."""

from __future__ import annotations

from typing import Any

from projections.case_forms import issued
from projections.fold import Change, Document, Meets


def _meet(doc: Document, name: str, at: Any) -> None:
    if name in doc["deadlines"]:
        doc["deadlines"][name]["met_at"] = at


def _measure(doc: Document, data: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = doc["measures"][str(data["measure_id"])]
    return found


def _proposed(doc: Document, data: dict[str, Any]) -> None:
    doc["measures"][str(data["measure_id"])] = {
        "id": str(data["measure_id"]),
        "kind": data["kind"],
        "grounds": data["grounds"],
        "emergency": data["emergency"],
        "brigade": data["brigade"],
        "status": "proposed",
        "proposed_by": data["by"],
        "proposed_at": data["at"],
        "decision": None,
        "notified_at": None,
        "taken_at": None,
        "together_with": [],
        "reported_at": None,
        "filed_at": None,
        "lifted": None,
    }


def _decision(doc: Document, data: dict[str, Any]) -> None:
    _measure(doc, data)["decision"] = data["document"]["number"]
    issued(doc, data["document"], "measures", data["at"])


def _notified(doc: Document, data: dict[str, Any]) -> None:
    _measure(doc, data)["notified_at"] = data["notified_at"]


def _taken(doc: Document, data: dict[str, Any]) -> None:
    measure = _measure(doc, data)
    measure.update(status="in_force", taken_at=data["at"], together_with=data["together_with"])


def _reported(doc: Document, data: dict[str, Any]) -> None:
    _measure(doc, data)["reported_at"] = data["at"]
    _meet(doc, f"measure_report:{data['measure_id']}", data["at"])


def _filed(doc: Document, data: dict[str, Any]) -> None:
    _measure(doc, data)["filed_at"] = data["at"]
    _meet(doc, f"measure_filing:{data['measure_id']}", data["at"])


def _lifted(doc: Document, data: dict[str, Any]) -> None:
    lifted = {"reason": data["reason"], "by": data["by"], "at": data["at"]}
    _measure(doc, data).update(status="lifted", lifted=lifted)


def _ordered(doc: Document, data: dict[str, Any]) -> None:
    doc["rectifications"][str(data["order_id"])] = {
        "id": str(data["order_id"]),
        "number": data["document"]["number"],
        "items": data["items"],
        "due_at": data["due_at"],
        "ordered_by": data["by"],
        "ordered_at": data["at"],
        "requested_at": None,
        "reinspection": None,
    }
    issued(doc, data["document"], "rectification", data["at"])


def _requested(doc: Document, data: dict[str, Any]) -> None:
    doc["rectifications"][str(data["order_id"])]["requested_at"] = data["asked_at"]


def _reinspected(doc: Document, data: dict[str, Any]) -> None:
    order = doc["rectifications"][str(data["order_id"])]
    order["reinspection"] = {
        "complied": data["complied"],
        "findings": data["findings"],
        "number": data["document"]["number"],
        "late": data["late"],
        "by": data["by"],
        "at": data["at"],
    }
    issued(doc, data["document"], "rectification", data["at"])
    _meet(doc, f"reinspection:{data['order_id']}", data["at"])


CHANGES: dict[str, Change] = {
    "Case.MeasureProposed": _proposed,
    "Case.MeasureDecisionIssued": _decision,
    "Case.MeasureNoticeGiven": _notified,
    "Case.MeasureTaken": _taken,
    "Case.MeasureReported": _reported,
    "Case.MeasureFiled": _filed,
    "Case.MeasureLifted": _lifted,
    "Case.RectificationOrdered": _ordered,
    "Case.ReinspectionRequested": _requested,
    "Case.Reinspected": _reinspected,
}
# The deadlines these events meet, for the fold's `meets`: so that the view's deadlines table
# records them met as the document does.
MEETS: dict[str, Meets] = {
    "Case.MeasureReported": lambda doc, data: (f"measure_report:{data['measure_id']}",),
    "Case.MeasureFiled": lambda doc, data: (f"measure_filing:{data['measure_id']}",),
    "Case.Reinspected": lambda doc, data: (f"reinspection:{data['order_id']}",),
}
