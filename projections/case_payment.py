"""The fine paid at the bank in the case's document: the fold of `domain.case_payment`."""

from __future__ import annotations

from typing import Any

from projections.fold import Change, Document
from projections.money import yuan

CONFIRMED_FIELDS = ("bank", "branch", "reference", "paid_at")


def _paid(doc: Document, data: dict[str, Any]) -> None:
    confirmation = data["confirmation"]
    doc["payment"] = {
        **{field: confirmation[field] for field in CONFIRMED_FIELDS},
        "amount_yuan": yuan(confirmation["amount_fen"]),
        "slip": data["slip"],
        "recorded_by": data["by"],
        "recorded_at": data["at"],
    }


CHANGES: dict[str, Change] = {"Case.FinePaid": _paid}
