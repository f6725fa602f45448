"""Who approves filing (立案审批) for each kind of handling unit (seed 004 §二)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.case_events import ApprovalStepData
from domain.errors import Conflict
from domain.values import AgencyKind, AgencyPath, AgencyRef, Role

FIRST_REVIEW = "first_review"
REVIEW = "review"
APPROVAL = "approval"


@dataclass(frozen=True)
class ApprovalStep:
    """One signature on the filing approval form: a role held in one of the named agencies."""

    name: str
    role: str
    agencies: tuple[str, ...]
    title: str

    def as_data(self) -> ApprovalStepData:
        return {
            "name": self.name,
            "role": Role(self.role),
            "agencies": list(self.agencies),
            "title": self.title,
        }

    @classmethod
    def from_data(cls, data: dict[str, object]) -> ApprovalStep:
        agencies = data["agencies"]
        assert isinstance(agencies, list)
        return cls(str(data["name"]), str(data["role"]), tuple(agencies), str(data["title"]))


def filing_chain(
    procedure: str, unit: AgencyPath, detachment_offices: Sequence[str] = ()
) -> list[ApprovalStep]:
    """The approval steps, in order, for a case handled by `unit` (nearest agency first)."""
    handler = unit.agency
    if procedure == "accident":
        return _accident_chain(unit)
    if handler.kind == AgencyKind.BUREAU_OFFICE:
        return [_review(handler, "室负责人审核"), _deputy(unit, "分管局长审批")]
    if handler.kind == AgencyKind.DETACHMENT_OFFICE:
        offices = tuple(dict.fromkeys([handler.code, *detachment_offices]))
        first = ApprovalStep(FIRST_REVIEW, Role.UNIT_HEAD, offices, "执法监督室、监察室负责人初审")
        return [first, _detachment_review(unit), _deputy(unit, "分管局长审批")]
    if handler.kind == AgencyKind.DETACHMENT:
        return [_detachment_review(unit), _deputy(unit, "分管局长审批")]
    if handler.kind == AgencyKind.BRIGADE:
        return [_review(handler, "执法大队负责人审核"), _town_deputy(unit)]
    return [_review(handler, "负责人审核"), _own_deputy(unit)]


def _accident_chain(unit: AgencyPath) -> list[ApprovalStep]:
    # Accident cases are filed by the detachment: its head signs, the deputy director approves.
    return [_detachment_review(unit), _deputy(unit, "分管局长审批")]


def _review(handler: AgencyRef, title: str) -> ApprovalStep:
    return ApprovalStep(REVIEW, Role.UNIT_HEAD, (handler.code,), title)


def _detachment_review(unit: AgencyPath) -> ApprovalStep:
    detachment = _required(unit, AgencyKind.DETACHMENT)
    return ApprovalStep(REVIEW, Role.UNIT_HEAD, (detachment.code,), "执法支队负责人审核签署")


def _deputy(unit: AgencyPath, title: str) -> ApprovalStep:
    bureau = _required(unit, AgencyKind.DISTRICT_BUREAU, AgencyKind.CITY_BUREAU)
    return ApprovalStep(APPROVAL, Role.DEPUTY_DIRECTOR, (bureau.code,), title)


def _town_deputy(unit: AgencyPath) -> ApprovalStep:
    # The town's deputy head (分管主任/镇长): registered in the brigade or in its town government.
    town = unit.nearest(AgencyKind.TOWN_GOVERNMENT)
    agencies = (unit.agency.code,) + ((town.code,) if town else ())
    return ApprovalStep(APPROVAL, Role.DEPUTY_DIRECTOR, agencies, "分管主任（镇长）审批")


def _own_deputy(unit: AgencyPath) -> ApprovalStep:
    agencies = tuple(dict.fromkeys([unit.agency.code, unit.acting_agency().code]))
    return ApprovalStep(APPROVAL, Role.DEPUTY_DIRECTOR, agencies, "分管负责人审批")


def _required(unit: AgencyPath, *kinds: AgencyKind) -> AgencyRef:
    found = unit.nearest(*kinds)
    if found is None:
        wanted = " or ".join(kinds)
        raise Conflict(
            f"no {wanted} above {unit.agency.code} to approve the filing",
            code="case.approval_chain_unavailable",
        )
    return found
