"""The one mechanism behind every approval form (审批表) of a case: a chain from
`domain.approval_chains`, resolved to the agencies of one handling unit, signed step by step.

A form's state is its list of steps as its events carry them (`ApprovalStepData`), each with
the decision, opinion, signer and time once signed; the functions here read that list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from domain.approval_chains import Form, Gravity, Place, StepRule, chain_rule
from domain.case_events import ApprovalStepData
from domain.errors import Conflict, Forbidden
from domain.values import Actor, AgencyKind, AgencyPath, Role


@dataclass(frozen=True)
class ApprovalStep:
    """One signature on a form: a role held in one of the named agencies."""

    name: str
    role: str
    agencies: tuple[str, ...]
    title: str
    # Signed off the handling unit's line (the legal department, the detachment's supervision
    # office): its agencies are brought into the case to see it.
    beside: bool = False

    def as_data(self) -> ApprovalStepData:
        return {
            "name": self.name,
            "role": Role(self.role),
            "agencies": list(self.agencies),
            "title": self.title,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> ApprovalStep:
        return cls(str(data["name"]), str(data["role"]), tuple(data["agencies"]), data["title"])

    def may_sign(self, actor: Actor) -> bool:
        return actor.agency_code in self.agencies and actor.has_role(self.role)


@dataclass(frozen=True)
class Places:
    """The agencies each place of a chain names for one handling unit, from the register:
    the unit's path, and the detachment's supervision office and the bureau's legal department
    (offices beside the path, not on it)."""

    unit: AgencyPath
    supervision_office: str | None = None
    legal: str | None = None

    def codes(self, place: Place) -> tuple[str, ...]:
        unit = self.unit
        found: tuple[str | None, ...]
        if place == Place.UNIT:
            found = (unit.agency.code,)
        elif place == Place.DETACHMENT:
            found = (_code(unit.nearest(AgencyKind.DETACHMENT)),)
        elif place == Place.BUREAU:
            found = (_code(unit.nearest(AgencyKind.DISTRICT_BUREAU, AgencyKind.CITY_BUREAU)),)
        elif place == Place.TOWN:
            # The town's heads sit in the brigade or in its town government.
            found = (unit.agency.code, _code(unit.nearest(AgencyKind.TOWN_GOVERNMENT)))
        elif place == Place.SUPERVISION_OFFICE:
            found = (self.supervision_office,)
        else:
            found = (self.legal,)
        return tuple(dict.fromkeys(c for c in found if c))


def _code(ref: Any) -> str | None:
    return ref.code if ref is not None else None


def chain(form: Form, gravity: Gravity, places: Places) -> list[ApprovalStep]:
    """The form's steps, in signing order, for the unit the places were resolved for."""
    rules = chain_rule(form, gravity, AgencyKind(places.unit.agency.kind))
    if rules is None:
        raise Conflict(f"a {gravity} case has no {form} form", code="case.form_not_applicable")
    return [_resolve(rule, places, form) for rule in rules]


def _resolve(rule: StepRule, places: Places, form: Form) -> ApprovalStep:
    agencies = places.codes(rule.place)
    if not agencies:
        raise Conflict(
            f"no {rule.place} to sign the {form} form of {places.unit.agency.code}",
            code="case.approval_chain_unavailable",
        )
    beside = rule.place in (Place.SUPERVISION_OFFICE, Place.LEGAL)
    return ApprovalStep(rule.name, rule.role, agencies, rule.title, beside)


def consulted(steps: Sequence[ApprovalStep]) -> list[str]:
    """The agencies off the unit's line that a chain brings in to sign."""
    return list(dict.fromkeys(code for step in steps if step.beside for code in step.agencies))


def pending(steps: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The steps open for signing now: the first unsigned one and those signed together with
    it (sharing its name)."""
    unsigned = [s for s in steps if s["decision"] is None]
    if not unsigned:
        return []
    return [s for s in unsigned if s["name"] == unsigned[0]["name"]]


def is_last(steps: Sequence[dict[str, Any]]) -> bool:
    """Signing one of the pending steps completes the form."""
    return sum(1 for s in steps if s["decision"] is None) == 1


def step_to_sign(
    steps: Sequence[dict[str, Any]], actor: Actor, requested_by: str | None
) -> dict[str, Any]:
    """The pending step this actor may sign, or the rule they would break."""
    open_steps = pending(steps)
    if not open_steps:
        raise Conflict("the form has no step waiting for a signature", code="case.form_not_pending")
    step = next((s for s in open_steps if ApprovalStep.from_data(s).may_sign(actor)), None)
    if step is None:
        wanted = "; ".join(
            f"a {s['role']} of {', '.join(s['agencies'])} ({s['title']})" for s in open_steps
        )
        raise Forbidden(
            f"the {open_steps[0]['name']} step is signed by {wanted}", code="case.not_the_approver"
        )
    if actor.officer_id == requested_by:
        raise Forbidden("nobody approves their own request", code="case.self_approval")
    if any(s["decision"] is not None and s["by"]["officer"] == actor.officer_id for s in steps):
        raise Forbidden("each step of a form is signed by another person", code="case.signed_twice")
    return step


def unsigned(steps: Sequence[ApprovalStepData]) -> list[dict[str, Any]]:
    """A form's steps as first requested: none signed."""
    return [dict(s, decision=None, opinion=None, by=None, at=None) for s in steps]


def sign(steps: Sequence[dict[str, Any]], name: str, signer: dict[str, Any]) -> None:
    """Records a signature on the pending step of that name the signer may sign."""
    step = next(
        s for s in pending(steps) if s["name"] == name and signer["by"]["agency"] in s["agencies"]
    )
    step.update(signer)


def approved(steps: Sequence[dict[str, Any]]) -> bool:
    return bool(steps) and all(s["decision"] is True for s in steps)
