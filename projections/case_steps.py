"""Where a case is (its current step) and what it needs next, read from its document: its
status, its forms and their outcomes, its documents and its deadlines.

`STEPS` is read in order and the first rule that holds names the step, so a new step adds one
line where it falls in the procedure (seed 004: filing, investigation, the matters form, the
notice and hearing, the legal review, the case review, the decision and what follows it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from domain import approval
from projections.fold import Document

Rule = Callable[[Document], bool]


def _forms(doc: Document) -> Iterable[dict[str, Any]]:
    forms = doc.get("forms") or {}
    return forms.values() if isinstance(forms, dict) else forms


def _form(form: str, outcome: str) -> Rule:
    return lambda doc: any(f["form"] == form and f["outcome"] == outcome for f in _forms(doc))


def _status(*statuses: str) -> Rule:
    return lambda doc: doc["status"] in statuses


def _issued(kind: str) -> Rule:
    return lambda doc: any(d["kind"] == kind for d in doc.get("documents") or [])


def _fine_unconfirmed(doc: Document) -> bool:
    penalty = doc.get("penalty") or {}
    return penalty.get("kind") == "fine" and not _form("payment", "approved")(doc)


def _decision_lacks(part: str) -> Rule:
    """A decision of the general procedure whose `part` is still to come."""
    return lambda doc: bool(doc.get("decision")) and doc["decision"][part] is None


def _decided_fine_unpaid(doc: Document) -> bool:
    penalty = (doc.get("decision") or {}).get("penalty") or {}
    return penalty.get("kind") == "fine" and doc.get("payment") is None


def _record_unfiled(doc: Document) -> bool:
    deadlines = doc.get("deadlines") or {}
    names = deadlines.keys() if isinstance(deadlines, dict) else [d["name"] for d in deadlines]
    return "record_filing" in names and _decision_lacks("record_filing")(doc)


def _reviewed_collectively(doc: Document) -> bool:
    """Major and accident cases go to a case review meeting (案审会) before the decision."""
    return doc.get("gravity") in ("major", "accident")


def _all(*rules: Rule) -> Rule:
    return lambda doc: all(rule(doc) for rule in rules)


FILED = _status("filed")
DECIDED = _all(_status("decided"), _issued("decision"))  # by the general procedure
STEPS: tuple[tuple[Rule, str], ...] = (
    (_status("closed"), "closed"),
    (_status("registered"), "registration"),
    (_status("awaiting_approval"), "filing_approval"),
    (_all(_status("decided", "reported"), _form("payment", "pending")), "payment_approval"),
    (_all(DECIDED, _decision_lacks("stamped")), "stamp"),
    (_all(DECIDED, _decided_fine_unpaid), "execution"),
    (_all(DECIDED, _record_unfiled), "decision_record_filing"),
    (DECIDED, "executed"),
    (_status("decided"), "decided"),
    (_all(_status("reported"), _fine_unconfirmed), "execution"),
    (_status("reported"), "record_filing"),
    (_all(FILED, _form("decision", "approved")), "decision"),
    (_all(FILED, _form("decision", "pending")), "decision_approval"),
    (_all(FILED, _form("legality_review", "pending")), "legality_review"),
    (_all(FILED, _form("legal_review", "approved"), _reviewed_collectively), "case_review"),
    (_all(FILED, _form("legal_review", "approved")), "decision_form"),
    (_all(FILED, _form("legal_review", "pending")), "legal_review"),
    (_all(FILED, _issued("hearing_notice")), "hearing"),
    (_all(FILED, _issued("notice")), "notice"),
    (_all(FILED, _form("matters", "approved")), "notice"),
    (_all(FILED, _form("matters", "pending")), "matters_approval"),
)
# Steps the handling unit's officers move on from, in words.
NEEDS = {
    "registration": "filing requested by the handling unit (or a decision on the spot)",
    "investigation": "the matters form submitted by the handling unit",
    "notice": "the notice (告知书) issued and served",
    "case_review": "the case review meeting's minutes issued, then the decision form submitted",
    "decision_form": "the decision form submitted by the handling unit",
    "decision": "the decision made by the handling unit (an accident case's after its legality"
    " review)",
    "decided": "the decision reported and filed by the handling unit",
    "execution": "the penalty carried out (the fine paid)",
    "record_filing": "the case closed by the handling unit",
    "stamp": "the decision stamped by the legal department",
    "decision_record_filing": "the decision filed for the record with the city bureau",
    "executed": "the case closed by the handling unit",
}


def current_step(doc: Document) -> str:
    step = next((name for rule, name in STEPS if rule(doc)), None)
    if step is not None:
        return step
    return "investigation" if doc["status"] == "filed" else str(doc["status"])


def what_next(doc: Document) -> list[str]:
    """What the case waits for: each pending form's open steps and who signs them, the step's
    own next act, and the time limits still running."""
    needs = [*_pending_signatures(doc)]
    step = current_step(doc)
    if step in NEEDS:
        needs.append(NEEDS[step])
    if doc["status"] != "closed":
        needs += [f"{d['name']} by {d['due_at']}" for d in _open_deadlines(doc)]
    return needs


def _pending_signatures(doc: Document) -> Iterable[str]:
    filing = doc.get("approval")
    if doc["status"] == "awaiting_approval" and filing:
        yield from _signatures("filing", filing["steps"])
    for form in _forms(doc):
        if form["outcome"] == "pending":
            yield from _signatures(form["form"], form["steps"])


def _signatures(form: str, steps: list[dict[str, Any]]) -> Iterable[str]:
    for step in approval.pending(steps):
        agencies = " or ".join(step["agencies"])
        yield f"the {form} form's {step['name']} step by a {step['role']} of {agencies}"


def _open_deadlines(doc: Document) -> list[dict[str, Any]]:
    deadlines = doc.get("deadlines") or {}
    held = deadlines.values() if isinstance(deadlines, dict) else deadlines
    return sorted((d for d in held if not d.get("met_at")), key=lambda d: str(d["due_at"]))


def with_step(doc: Document) -> Document:
    """The document with its step and what it needs next, as the API shows it."""
    doc["step"] = current_step(doc)
    doc["next"] = what_next(doc)
    return doc
