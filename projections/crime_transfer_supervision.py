"""The procuratorate's filing supervision (立案监督) of crime transfers: every transfer copied to
it or that it recommended, with what supervision looks at — steps overdue or kept late, refusals
to file and their reasons, reconsiderations, supervision requests and the procuratorate's own
acts on them, recommendations and how the agency answered. A query on the crime transfers' log
(`CrimeTransferLog.supervision`); this module holds its query and its entries."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from projections.crime_transfer_steps import late
from projections.fold import Document

if TYPE_CHECKING:
    from projections.crime_transfer_log import LogQuery


class Concern(StrEnum):
    """What a procurator narrows the list to."""

    OVERDUE = "overdue"  # a step overdue now
    NOT_FILED = "not_filed"  # public security refused to file (even if later reversed)
    RECONSIDERATION = "reconsideration"  # the agency asked for reconsideration
    SUPERVISION = "supervision"  # the agency asked the procuratorate to supervise
    RECOMMENDED = "recommended"  # the procuratorate recommended the transfer


# The log's row flag each concern selects on (overdue is judged at query time instead).
FLAGS = {
    Concern.NOT_FILED: "not_filed",
    Concern.RECONSIDERATION: "reconsidered",
    Concern.SUPERVISION: "supervised",
    Concern.RECOMMENDED: "recommended",
}


@dataclass(frozen=True)
class SupervisionQuery:
    log: LogQuery  # the procuratorate (`agency`) and the log's own filters
    concern: Concern | None = None

    def flags(self) -> dict[str, int]:
        """The page statement's parameters this query's concern sets."""
        if self.concern == Concern.OVERDUE:
            return {"overdue": 1}
        return {FLAGS[self.concern]: 1} if self.concern else {}


def supervision_entry(entry: dict[str, Any], card: Document) -> dict[str, Any]:
    """A log entry with what filing supervision follows, from the transfer's card."""
    shown = entry["steps"]
    return {
        **entry,
        "recommendation": recommendation(card),
        "filing": card["filing"],
        "reconsideration": reconsideration(card),
        "supervision": card["supervision"],
        "overdue_steps": [s["name"] for s in shown if s["state"] == "overdue"],
        "late_steps": late(shown),
    }


def recommendation(document: Document) -> dict[str, Any] | None:
    """The procuratorate's recommendation and the agency's answer: reported for transfer,
    declined with an explanation, or none yet."""
    found = document["recommendation"]
    if found is None:
        return None
    declined = found["declined"]
    answer = "declined" if declined else "reported" if document.get("reported_at") else None
    answered_at = declined["at"] if declined else document.get("reported_at")
    return {
        "reasons": found["reasons"],
        "by": found["by"],
        "at": found["at"],
        "answer": answer,
        "answered_at": answered_at,
        "explanation": declined["explanation"] if declined else None,
    }


def reconsideration(document: Document) -> dict[str, Any] | None:
    found = document["reconsideration"]
    if found is None:
        return None
    answer = found["answer"]
    return {
        "requested_at": found["requested"]["at"],
        "reasons": found["requested"]["reasons"],
        "late": found["requested"]["late"],
        "answered_at": answer["at"] if answer else None,
        "upheld": answer["upheld"] if answer else None,
        "answer_reasons": answer["reasons"] if answer else None,
    }
