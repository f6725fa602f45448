"""Referral and dispute shapes: what drafting and acting take, and how the API shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from domain.mechanism import MATERIAL_KINDS
from domain.referral_events import MaterialData, ReferralDraft
from services.api.schemas.cases import PlaceOut, TimelineEntry
from services.api.schemas.common import By, DeadlineOut, Flag, Input, Moment, Name, Versioned

Code = Annotated[str, Field(min_length=2, max_length=63, pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")]
Summary = Annotated[str, Field(min_length=1, max_length=2000)]
Reason = Annotated[str, Field(max_length=2000)]


class PlaceIn(Input):
    region: Annotated[str, Field(min_length=1, max_length=64)]
    address: Annotated[str, Field(min_length=1, max_length=500)]


class MaterialIn(Input):
    kind: Literal[tuple(sorted(MATERIAL_KINDS))]  # type: ignore[valid-type]
    title: Name
    uri: Annotated[str, Field(max_length=2000)] | None = None
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = None

    def material(self) -> MaterialData:
        material: MaterialData = self.model_dump(mode="json", exclude_none=True)  # type: ignore[assignment]
        return material


class ReferralCreate(Input):
    kind: Literal["jurisdiction", "assistance", "criminal"]
    to_agency: Code
    from_agency: Code | None = Field(
        None, description="the agency in whose name it is sent; yours, or the one you belong to"
    )
    summary: Summary
    found_at: Moment
    urgent: Flag = False
    place: PlaceIn
    materials: Annotated[list[MaterialIn], Field(max_length=50, default_factory=list)]
    case_id: UUID | None = None
    onward_from: UUID | None = Field(None, description="a referral received, passed on")
    lead_agency: Code | None = Field(None, description="the lead, if not the receiver")
    violation_in_progress: Flag = Field(
        False, description="the sender stopped it on the spot and tells the receiver at once"
    )

    def details(self) -> ReferralDraft:
        details: ReferralDraft = self.model_dump(mode="python")  # type: ignore[assignment]
        details["materials"] = [m.material() for m in self.materials]
        details["case_id"] = str(self.case_id) if self.case_id else None
        details["onward_from"] = str(self.onward_from) if self.onward_from else None
        return details


class Reasoned(Input):
    reason: Reason


class DisputeReferral(Input):
    grounds: Reason
    interim: Reason | None = Field(None, description="how both handle it meanwhile (先予协同处置)")


class Answer(Input):
    answer: Reason


class Extension(Input):
    reason: Reason
    until: Moment


class Outcome(Input):
    outcome: Reason


class MaterialOut(BaseModel):
    kind: str
    title: str
    uri: str | None = None
    sha256: str | None = None


class ReferralOut(Versioned):
    id: UUID
    kind: str
    status: str
    mechanism: str
    from_agency: str
    to_agency: str
    drafted_in: str
    handler: str | None = Field(None, description="who must handle it, once accepted or decided")
    summary: str
    found_at: datetime
    urgent: bool
    place: PlaceOut
    materials: list[MaterialOut]
    case_id: UUID | None = None
    onward_from: UUID | None = None
    violation_in_progress: bool
    stop_ordered_at: datetime | None = None
    on_scene_requested: bool
    lead_agency: str
    lead_outside_place: bool = Field(description="the named lead lies outside the place's region")
    sent_at: datetime | None = None
    sent_late: bool | None = None
    acknowledged_at: datetime | None = None
    accepted_at: datetime | None = None
    rejection: dict[str, Any] | None = None
    dispute_id: UUID | None = None
    answer: dict[str, Any] | None = None
    extension: dict[str, Any] | None = None
    outcome: dict[str, Any] | None = None
    decision: dict[str, Any] | None = None
    drafted_by: By
    drafted_at: datetime
    deadlines: list[DeadlineOut]
    overdue: bool


class ReferralDetail(ReferralOut):
    history: list[TimelineEntry]


class BoxEntry(Versioned):
    id: UUID
    kind: str
    status: str
    counterpart: str
    from_agency: str
    to_agency: str
    handler: str | None
    summary: str
    urgent: bool
    sent_at: datetime | None
    sent_late: bool | None
    dispute_id: UUID | None
    deadlines: list[DeadlineOut]
    overdue: bool
    provisional: bool = Field(description="a due date was computed without the year's schedule")


class BoxPage(BaseModel):
    agency: str
    items: list[BoxEntry]
    counts: dict[str, int] = Field(description="referrals in this box per status")
    next_cursor: str | None = None


# Disputes ---------------------------------------------------------------------------------


class DisputeCreate(Input):
    parties: Annotated[list[Code], Field(min_length=2, max_length=10)]
    matter: Summary
    grounds: Summary
    interim: Reason | None = None
    major_cross_region: Flag = False


class PositionIn(Input):
    position: Summary
    proposed_handler: Code | None = None


class DecisionIn(Input):
    handler: Code | None = Field(None, description="the agency that must handle the matter")
    lead: Code | None = Field(None, description="or: the lead handler (主办)")
    assisting: Annotated[list[Code], Field(max_length=10, default_factory=list)]
    joint: Annotated[list[Code], Field(max_length=10, default_factory=list)]
    reasons: Reason = ""


class RungOut(BaseModel):
    name: str
    body: str
    agency: str | None


class DisputeOut(Versioned):
    id: UUID
    status: str
    parties: list[str]
    rungs: list[RungOut]
    rung: str = Field(description="the rung the dispute stands on")
    ladder: str
    mechanism: str
    matter: str
    grounds: str
    interim: str
    referral_id: UUID | None = None
    positions: dict[str, dict[str, Any]]
    decision: dict[str, Any] | None = None
    opened_by: By
    opened_at: datetime


class DisputeDetail(DisputeOut):
    history: list[TimelineEntry]


class DisputePage(BaseModel):
    items: list[DisputeOut]
    next_cursor: str | None = None
