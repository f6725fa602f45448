"""The decision and what follows it in the case's document: the fold of
`domain.case_decision`."""

from __future__ import annotations

from typing import Any

from domain.case_notice import close_window
from projections.case_forms import issued
from projections.fold import Change, Document
from projections.money import penalty_in_yuan, yuan


def _decided(doc: Document, data: dict[str, Any]) -> None:
    penalty = data["penalty"]
    issued(doc, data["document"], "decision", data["at"])
    close_window(doc["deadlines"], data["at"], lapsed=True)
    doc["penalty"] = {"kind": penalty["kind"], "amount_yuan": yuan(penalty["amount_fen"])}
    doc["decision"] = {
        "penalty": penalty_in_yuan(penalty),
        "meeting_id": data["meeting_id"],
        "late": data["late"],
        "by": data["by"],
        "at": data["at"],
        "stamped": None,
        "slip": None,
        "record_filing": None,
    }


def _stamped(doc: Document, data: dict[str, Any]) -> None:
    doc["decision"]["stamped"] = {"by": data["by"], "at": data["at"]}


def _slip(doc: Document, data: dict[str, Any]) -> None:
    doc["decision"]["slip"] = {
        "number": data["slip_number"],
        "amount_yuan": yuan(data["amount_fen"]),
        "by": data["by"],
        "at": data["at"],
    }


def _record_filed(doc: Document, data: dict[str, Any]) -> None:
    keys = ("filed_with", "late", "by", "at")
    doc["decision"]["record_filing"] = {key: data[key] for key in keys}


CHANGES: dict[str, Change] = {
    "Case.PenaltyDecided": _decided,
    "Case.DecisionStamped": _stamped,
    "Case.PaymentSlipIssued": _slip,
    "Case.DecisionRecordFiled": _record_filed,
}
# The deadlines these events meet, for the fold's `meets`.
MEETS = {
    "Case.PenaltyDecided": ("decision",),
    "Case.DecisionRecordFiled": ("record_filing",),
    "Case.HearingRequested": ("hearing_request",),
}
