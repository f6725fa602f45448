"""The case's forms, gravity and documents in its document: the fold of `domain.case_forms`
and `domain.case_documents`."""

from __future__ import annotations

from typing import Any

from domain import approval
from domain.case_forms import form_key
from projections.fold import Change, Document


def _classified(doc: Document, data: dict[str, Any]) -> None:
    doc["gravity"] = data["gravity"]


def consult(doc: Document, data: dict[str, Any]) -> None:
    """The agencies a form brought in to sign see the case from then on."""
    doc["consulted"] = list(dict.fromkeys([*doc["consulted"], *(data.get("consulted") or [])]))


def _submitted(doc: Document, data: dict[str, Any]) -> None:
    consult(doc, data)
    doc["forms"][form_key(data["form"], data["subject"])] = {
        "form": data["form"],
        "subject": data["subject"],
        "gravity": data["gravity"],
        "steps": approval.unsigned(data["steps"]),
        "requested_by": data["by"],
        "requested_at": data["at"],
        "outcome": "pending",
    }


def _signed(outcome: str, decision: bool) -> Change:
    def change(doc: Document, data: dict[str, Any]) -> None:
        form = doc["forms"][form_key(data["form"], data["subject"])]
        signer = {"decision": decision, "opinion": data["opinion"], "by": data["by"]}
        approval.sign(form["steps"], data["step"], dict(signer, at=data["at"]))
        form["outcome"] = outcome

    return change


def issued(doc: Document, document: dict[str, Any], step: str, at: Any) -> None:
    """A document the event of a step issued (its `document` field)."""
    entry = {"kind": document["kind"], "number": document["number"], "step": step}
    doc["documents"].append(dict(entry, issued_at=at, served=None))


def _served(doc: Document, data: dict[str, Any]) -> None:
    document = next(d for d in doc["documents"] if d["number"] == data["number"])
    recorded = {"recorded_by": data["by"]["officer"], "recorded_at": data["at"]}
    document["served"] = dict(data["receipt"], **recorded)


CHANGES: dict[str, Change] = {
    "Case.Classified": _classified,
    "Case.FormSubmitted": _submitted,
    "Case.FormSigned": _signed("pending", True),
    "Case.FormApproved": _signed("approved", True),
    "Case.FormReturned": _signed("returned", False),
    "Case.DocumentServed": _served,
}
