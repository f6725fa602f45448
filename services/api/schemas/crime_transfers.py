"""Crime-transfer shapes: what reporting, recommending and each act take, and how the API shows a
transfer."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, Field

from domain.case_events import PartyKind
from domain.crime_transfer_events import (
    BackGround,
    CrimeCategory,
    FilingPeriod,
    NoticeData,
    SuspectData,
    TransferMaterialData,
    TransferMaterialKind,
)
from domain.mechanism import MATERIAL_KINDS
from services.api.schemas.cases import PlaceOut
from services.api.schemas.common import By, DeadlineOut, Flag, Input, Moment, Name, Versioned
from services.api.schemas.referrals import Code, Reason, Summary
from services.handlers.crime_transfers import Report

Long = Annotated[str, Field(min_length=1, max_length=20000)]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Size = Annotated[int, Field(gt=0, le=1 << 40)]
Uri = Annotated[str, Field(min_length=1, max_length=2000)]
Officer = Annotated[str, Field(min_length=1, max_length=64)]


class SuspectIn(Input):
    kind: PartyKind
    name: Name
    id_number: Annotated[str, Field(max_length=64)] | None = Field(
        None, description="identity number or unified social credit code; shown only to parties"
    )
    role: Summary = Field(description="what they are suspected of doing")

    def suspect(self) -> SuspectData:
        data: Any = self.model_dump(mode="json")
        return data


class ReportIn(Input):
    category: CrimeCategory
    facts: Long = Field(description="the facts of the suspected crime (书面报告)")
    suspects: Annotated[list[SuspectIn], Field(min_length=1, max_length=50)]
    team: Annotated[list[Officer], Field(min_length=2, max_length=20)] = Field(
        description="the officers of the handling unit who report it, the caller among them"
    )

    def report(self) -> Report:
        return {
            "category": self.category,
            "facts": self.facts,
            "suspects": [s.suspect() for s in self.suspects],
            "team": self.team,
        }


class TransferCreate(ReportIn):
    case_id: UUID = Field(description="the case suspected to be a crime")


class RecommendationCreate(Input):
    case_id: UUID = Field(description="the case the procuratorate finds should be transferred")
    reasons: Long


class MaterialIn(Input):
    kind: TransferMaterialKind
    title: Name
    sha256: Sha256
    size: Size
    uri: Uri

    def material(self) -> TransferMaterialData:
        data: Any = self.model_dump(mode="json")
        return data


Materials = Annotated[list[MaterialIn], Field(min_length=1, max_length=100)]


class NoticeIn(Input):
    title: Name = Field(examples=["不予立案通知书"])
    sha256: Sha256
    size: Size
    uri: Uri

    def notice(self) -> NoticeData:
        data: Any = self.model_dump(mode="json")
        return data


class ExplanationIn(Input):
    explanation: Long
    presiding: Flag = Field(
        False, description="the caller presides in the principal head's place (主持工作)"
    )


class DecideIn(Input):
    approve: Flag
    presiding: Flag = Field(
        False, description="the caller presides in the principal head's place (主持工作)"
    )
    reasons: Reason = Field("", description="the opinion; required when refusing")


class SendIn(Input):
    materials: Materials
    public_security: Code | None = Field(
        None, description="where the region has several: the public security it goes to"
    )


class NoteIn(Input):
    note: Reason = ""


class MaterialsRequestIn(Input):
    materials: Annotated[list[TransferMaterialKind], Field(min_length=1, max_length=10)]
    note: Summary = Field(description="what is missing, in words")


class SupplyIn(Input):
    materials: Materials


class ForwardIn(Input):
    to: Code = Field(description="the competent public security")
    reason: Summary


class ExtendIn(Input):
    period: FilingPeriod
    reason: Summary


class FilingDecisionIn(Input):
    filed: Flag
    decided_at: Moment = Field(description="when the decision was made (its document's date)")
    reasons: Reason = Field("", description="required when not filing")
    document: NoticeIn


class ReconsiderationAnswerIn(Input):
    upheld: Flag = Field(description="the refusal to file stands; false: reversed, and filed")
    reasons: Summary
    document: NoticeIn


class ReasonsIn(Input):
    reasons: Summary


class HandOverIn(Input):
    items: Summary = Field(description="the items and files handed over")


class BackMaterialIn(Input):
    kind: Annotated[str, Field(description=f"one of {', '.join(sorted(MATERIAL_KINDS))}")]
    title: Name
    uri: Uri | None = None
    sha256: Sha256 | None = None

    def material(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


class TransferBackIn(Input):
    ground: BackGround
    reasons: Summary
    materials: Annotated[list[BackMaterialIn], Field(min_length=1, max_length=100)] = Field(
        description="the referral's materials: its letter, the source material and evidence"
    )


class WindowOut(BaseModel):
    name: str
    rule: str
    start: datetime
    due_at: datetime
    provisional: bool
    used_at: datetime | None = Field(description="when the party acted in it, if it did")


class CaseOut(BaseModel):
    id: str
    number: str | None
    summary: str
    party: dict[str, Any]
    place: PlaceOut
    occurred_at: datetime
    penalties: list[dict[str, Any]]


class CrimeTransferOut(Versioned):
    id: UUID
    status: str
    case: CaseOut
    agency: str = Field(description="the transferring agency")
    handling_unit: str
    category: CrimeCategory | None
    facts: str | None
    suspects: list[dict[str, Any]]
    team: list[dict[str, Any]]
    recommendation: dict[str, Any] | None
    decision: dict[str, Any] | None
    public_security: str | None = Field(description="the public security it is with now")
    public_securities: list[str] = Field(description="every public security it went to")
    procuratorate: str | None
    materials: list[dict[str, Any]]
    sent: dict[str, Any] | None
    receipts: list[dict[str, Any]]
    materials_requests: list[dict[str, Any]]
    forwards: list[dict[str, Any]]
    filing_period: FilingPeriod
    filing: dict[str, Any] | None
    reconsideration: dict[str, Any] | None
    supervision: dict[str, Any] | None
    handover: dict[str, Any] | None
    transferred_back: dict[str, Any] | None
    deadlines: list[DeadlineOut]
    windows: list[WindowOut]
    overdue: bool
    opened_by: By
    opened_at: datetime
