"""The case's one fold: its events' data into the document GET /v1/cases/{id} answers (less
the timeline, version and position, which the view keeps beside it) and every command on a
case answers with."""

from __future__ import annotations

from typing import Any

from domain import approval
from domain.case import Case
from domain.case_states import CASE_LIFECYCLE
from projections import (
    case_decision,
    case_extensions,
    case_forms,
    case_measures,
    case_notice,
    case_payment,
)
from projections.case_forms import consult
from projections.fold import Document, Fold, Resource
from projections.money import yuan
from projections.records import EventRecord


def registered(record: EventRecord) -> Document:
    data = record.data
    details = data["details"]
    return {
        "id": record.aggregate_id,
        "number": None,
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
        "gravity": "accident" if details["procedure"] == "accident" else "ordinary",
        "forms": {},
        "documents": [],
        "notice": None,
        "hearing": None,
        "decision": None,
        "consulted": [],
        "extensions": [],
        "payment": None,
        "measures": {},
        "rectifications": {},
    }


def _decided(doc: Document, data: dict[str, Any]) -> None:
    penalty = data["penalty"]
    doc["penalty"] = {"kind": penalty["kind"], "amount_yuan": yuan(penalty["amount_fen"])}
    doc["number"] = data["number"]


def _requested(doc: Document, data: dict[str, Any]) -> None:
    consult(doc, data)
    steps = approval.unsigned(data["steps"])
    doc["approval"] = {"steps": steps, "requested_by": data["by"], "requested_at": data["at"]}


def _sign(doc: Document, data: dict[str, Any], decision: bool) -> None:
    signer = {"decision": decision, "opinion": data["opinion"], "by": data["by"], "at": data["at"]}
    approval.sign(doc["approval"]["steps"], data["step"], signer)


def _filed(doc: Document, data: dict[str, Any]) -> None:
    _sign(doc, data, True)
    doc["number"] = data["number"]


def _evidence(doc: Document, data: dict[str, Any]) -> None:
    record = dict(data["evidence"], attached_at=data["at"], attached_by=data["by"]["officer"])
    doc["evidence"].append(record)


def _closed(doc: Document, data: dict[str, Any]) -> None:
    doc["closure"] = {"reason": data["reason"], "by": data["by"], "at": data["at"]}


CASE_FOLD = Fold(
    start=registered,
    changes={
        "Case.DecidedOnTheSpot": _decided,
        "Case.FilingRequested": _requested,
        "Case.FilingReviewed": lambda doc, data: _sign(doc, data, True),
        "Case.Filed": _filed,
        "Case.FilingReturned": lambda doc, data: _sign(doc, data, False),
        "Case.EvidenceAttached": _evidence,
        "Case.Closed": _closed,
        **case_forms.CHANGES,
        **case_notice.CHANGES,
        **case_decision.CHANGES,
        **case_extensions.CHANGES,
        **case_payment.CHANGES,
        **case_measures.CHANGES,
    },
    lifecycle=CASE_LIFECYCLE,
    meets={
        "Case.DecisionReported": ("report_and_file",),
        "Case.Filed": ("filing",),
        **case_decision.MEETS,
        **case_measures.MEETS,
    },
)


def next_step(doc: Document) -> str | None:
    form = doc.get("approval")
    if doc["status"] != "awaiting_approval" or not form:
        return None
    steps = approval.pending(form["steps"])
    return steps[0]["name"] if steps else None


def audience(doc: Document) -> list[str]:
    """The units a case belongs to: its handling unit (the agency it acts for, and heads and
    supervisors above, see it through the agency tree) and the agencies off its line that its
    forms brought in to sign (the legal department, the detachment's supervision office)."""
    return list(dict.fromkeys([doc["handling_unit"], *doc["consulted"]]))


CASE = Resource(Case, CASE_FOLD, audience, "case")
