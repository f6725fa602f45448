"""The case's extensions in its document: the fold of `domain.case_extensions`.
The new `decision` deadline each extension carries replaces the old one by its name."""

from __future__ import annotations

from typing import Any

from projections.fold import Change, Document


def _extended(days: int) -> Change:
    def change(doc: Document, data: dict[str, Any]) -> None:
        entry = {"days": days, "reason": data["reason"], "by": data["by"], "at": data["at"]}
        if "committee" in data:
            entry["committee"] = data["committee"]
        doc["extensions"].append(entry)

    return change


CHANGES: dict[str, Change] = {
    "Case.DecisionPeriodExtended": _extended(90),
    "Case.ExtendedByCommittee": _extended(180),
}
