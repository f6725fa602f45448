"""The resources as commands answer them, built from the aggregate just saved."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from domain.case import Case
from projections.case_document import yuan
from services.api.schemas.cases import CaseOut
from services.application import Saved


def case_out(saved: Saved, now: datetime) -> CaseOut:
    case: Case = saved.aggregate
    return CaseOut.model_validate(
        {
            "id": case.id,
            "number": case.number,
            "status": case.status,
            "procedure": case.procedure,
            "agency": case.agency,
            "handling_unit": case.handling_unit,
            "source": case.details["source"],
            "summary": case.details["summary"],
            "party": case.details["party"],
            "place": case.details["place"],
            "occurred_at": case.details["occurred_at"],
            "registered_by": case.registered_by,
            "registered_at": case.registered_at,
            "penalty": _penalty(case.penalty),
            "approval": _approval(case),
            "deadlines": _deadlines(case, now),
            "evidence": case.evidence,
            "closure": case.closure,
            "version": case.version,
            "position": saved.position,
        }
    )


def _penalty(penalty: dict[str, Any] | None) -> dict[str, Any] | None:
    if penalty is None:
        return None
    return {"kind": penalty["kind"], "amount_yuan": yuan(penalty["amount_fen"])}


def _approval(case: Case) -> dict[str, Any] | None:
    if not case.approval:
        return None
    return {
        "steps": case.approval,
        "requested_by": case.filing_request["by"],
        "requested_at": case.filing_request["at"],
    }


def _deadlines(case: Case, now: datetime) -> list[dict[str, Any]]:
    return deadline_entries(case.deadlines.values(), now, case.status != "closed")


def deadline_entries(
    deadlines: Iterable[dict[str, Any]], now: datetime, is_open: bool
) -> list[dict[str, Any]]:
    entries = [
        dict(d, met_at=d.get("met_at"), overdue=is_open and "met_at" not in d and d["due_at"] < now)
        for d in deadlines
    ]
    return sorted(entries, key=lambda d: d["due_at"])
