"""Case shapes: what registering and acting take, and the case as the API shows it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field, field_validator

from domain.case_events import CaseDetails, PartyKind, Procedure, RecordStage, SourceKind
from domain.case_rules import EVIDENCE_KINDS
from services.api.schemas.case_decision import (
    DecisionField,
    DecisionOut,
    HearingField,
    HearingOut,
    NoticeField,
    NoticeOut,
)
from services.api.schemas.case_extensions import ExtensionOut
from services.api.schemas.case_forms import ApprovalStepOut, DocumentOut, FormOut
from services.api.schemas.case_measures import MeasureOut, RectificationOut
from services.api.schemas.case_payment import PaymentOut
from services.api.schemas.common import (
    By,
    DeadlineOut,
    Flag,
    Input,
    Moment,
    Name,
    Text,
    Versioned,
    Yuan,
    fen_of,
)


class SourceIn(Input):
    kind: SourceKind
    reference: Annotated[str, Field(max_length=200)] | None = None
    handed_over_at: Moment | None = Field(
        None, description="accident cases: when the investigation report was handed over"
    )


class PartyIn(Input):
    kind: PartyKind
    name: Name
    id_number: Annotated[str, Field(max_length=64)] | None = None


class PlaceIn(Input):
    region: Annotated[str, Field(min_length=1, max_length=64)]
    address: Annotated[str, Field(min_length=1, max_length=500)]


class CaseCreate(Input):
    source: SourceIn
    procedure: Procedure
    summary: Annotated[str, Field(min_length=1, max_length=2000)]
    party: PartyIn
    place: PlaceIn
    occurred_at: Moment

    def details(self) -> CaseDetails:
        details: CaseDetails = self.model_dump(mode="python")  # type: ignore[assignment]
        return details


class PenaltyIn(Input):
    kind: Literal["warning", "fine"]
    amount_yuan: Yuan | None = Field(
        None, description="yuan as an integer or a decimal string; never a float"
    )

    def amount_fen(self) -> int | None:
        if self.amount_yuan is None:
            return None
        return fen_of(self.amount_yuan)


class DecideOnTheSpot(Input):
    penalty: PenaltyIn


class ApprovalDecision(Input):
    approve: Flag
    opinion: Text = ""


class CloseCase(Input):
    reason: Text


class EvidenceIn(Input):
    kind: Literal[tuple(sorted(EVIDENCE_KINDS))]  # type: ignore[valid-type]
    title: Name
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    size: Annotated[int, Field(ge=0, le=10**13)]
    recorded_at: Moment
    uri: Annotated[str, Field(min_length=1, max_length=2000)]
    stage: RecordStage = Field(
        RecordStage.INVESTIGATION,
        description="the step of the case the record belongs to (调查取证 when not given)",
    )
    subject: Annotated[str, Field(min_length=1, max_length=100)] | None = Field(
        None, description="within the step: the measure's or order's id, the document's number"
    )


class SourceOut(BaseModel):
    kind: str
    reference: str | None = None
    handed_over_at: datetime | None = None


class PartyOut(BaseModel):
    kind: str
    name: str
    id_number: str | None = None


class PlaceOut(BaseModel):
    region: str
    address: str


class PenaltyOut(BaseModel):
    kind: str
    amount_yuan: str | None = Field(None, examples=["200.00"])


class ApprovalOut(BaseModel):
    steps: list[ApprovalStepOut]
    requested_by: By
    requested_at: datetime


class EvidenceOut(BaseModel):
    id: UUID
    kind: str
    title: str
    sha256: str
    size: int
    recorded_at: datetime
    uri: str
    stage: str | None = None
    subject: str | None = None
    attached_at: datetime
    attached_by: str


class ClosureOut(BaseModel):
    reason: str
    by: By
    at: datetime


class CaseOut(Versioned):
    id: UUID
    number: str | None = Field(None, examples=["津滨应急罚〔2026〕12号"])
    status: str
    procedure: str
    agency: str = Field(description="the agency in whose name the case is handled")
    handling_unit: str
    source: SourceOut
    summary: str
    party: PartyOut
    place: PlaceOut
    occurred_at: datetime
    registered_by: By
    registered_at: datetime
    penalty: PenaltyOut | None = None
    approval: ApprovalOut | None = None
    deadlines: list[DeadlineOut]
    evidence: list[EvidenceOut]
    closure: ClosureOut | None = None
    gravity: str = Field(description="`ordinary`, `major` or `accident`: which chains apply")
    forms: list[FormOut] = Field(description="the forms after filing, each with its steps")
    documents: list[DocumentOut] = Field(description="the documents issued, with their service")
    notice: NoticeOut | None = NoticeField
    hearing: HearingOut | None = HearingField
    decision: DecisionOut | None = DecisionField
    extensions: list[ExtensionOut] = Field(
        [], description="the decision's time limit extended, each with its reason"
    )
    payment: PaymentOut | None = Field(
        None, description="the fine paid at the bank, on the spot or through the decision's slip"
    )
    step: str = Field(description="the step the case is at", examples=["legal_review"])
    next: list[str] = Field(description="what the case needs next, and by when")
    measures: list[MeasureOut] = Field([], description="compulsory measures (行政强制措施)")
    rectifications: list[RectificationOut] = Field(
        [], description="rectification orders (责令限期整改) and their re-inspection"
    )

    @field_validator("forms", "measures", "rectifications", mode="before")
    @classmethod
    def _forms_in_order(cls, forms: Any) -> Any:
        return list(forms.values()) if isinstance(forms, dict) else forms


class TimelineEntry(BaseModel):
    version: int
    position: int
    type: str = Field(examples=["Filed"])
    at: datetime | None
    by: By
    data: dict[str, Any]


class CaseDetail(CaseOut):
    timeline: list[TimelineEntry]


class CaseSummary(Versioned):
    id: UUID
    number: str | None
    status: str
    procedure: str
    agency: str
    handling_unit: str
    summary: str
    party: PartyOut
    registered_at: datetime
    next_step: str | None
    step: str = Field(examples=["investigation"])
    next: list[str]
    overdue: bool


class CasePage(BaseModel):
    items: list[CaseSummary]
    next_cursor: str | None = None
