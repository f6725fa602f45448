"""How the API shows the crime transfers' log: an agency's page, the procuratorate's supervision
list, the yearly figures, and one transfer with its history."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from domain.crime_transfer_events import CrimeCategory, FilingOn
from domain.values import AgencyKind
from services.api.schemas.cases import TimelineEntry
from services.api.schemas.common import By, Versioned
from services.api.schemas.crime_transfers import CrimeTransferOut

Role = Literal["agency", "public_security", "procuratorate"]
State = Literal["pending", "on_time", "late", "overdue", "lapsed"]


class StepOut(BaseModel):
    name: str = Field(examples=["filing"])
    kind: Literal["deadline", "window"] = Field(
        description="a deadline a party must meet, or a window within which it may act"
    )
    party: Role = Field(description="whose step it is")
    due_at: datetime = Field(description="when a deadline falls due, or a window ends")
    provisional: bool = Field(description="computed without a known holiday schedule")
    met_at: datetime | None = Field(description="when a deadline was met")
    used_at: datetime | None = Field(description="when a window was used")
    state: State = Field(
        description="a deadline: pending, on_time, late, or overdue (unmet past due while the"
        " transfer is open), judged when asked; a window, never overdue: pending while its act"
        " may still be taken in it, on_time or late once used, lapsed once it ended unused"
    )


class CaseRef(BaseModel):
    id: UUID = Field(description="the administrative case it comes from")
    number: str | None = Field(description="its case number (案号), once it has one")
    summary: str


class FilingSummary(BaseModel):
    filed: bool = Field(description="立案, or 不予立案")
    on: FilingOn = Field(description="what the filing answered")
    at: datetime = Field(description="when public security notified it")


class LogEntry(Versioned):
    id: UUID
    status: str
    role: Role = Field(description="the agency's part in it")
    agency: str = Field(description="the transferring agency")
    handling_unit: str
    public_security: str | None = Field(description="the public security it is with now")
    public_securities: list[str] = Field(description="every public security it went to")
    procuratorate: str | None = Field(description="copied to it, or recommending it")
    category: CrimeCategory | None = Field(description="the suspected crime, once reported")
    case: CaseRef
    opened_at: datetime = Field(description="reported, or recommended by the procuratorate")
    reported_at: datetime | None = Field(description="the written report (书面报告)")
    sent_at: datetime | None = Field(description="sent to public security")
    filing: FilingSummary | None = Field(description="public security's last filing decision")
    steps: list[StepOut] = Field(description="every deadline and window, soonest first")
    pending: list[str] = Field(description="the steps it waits for now, by name")
    overdue: bool = Field(description="a deadline unmet past due while the transfer is open")


class LogPage(BaseModel):
    agency: str
    items: list[LogEntry]
    next_cursor: str | None = Field(None, description="the `cursor` of the next page, if any")


class RecommendationOut(BaseModel):
    reasons: str
    by: By
    at: datetime
    answer: Literal["reported", "declined"] | None = Field(
        description="the agency reported the case for transfer, or explained why not"
    )
    answered_at: datetime | None
    explanation: str | None = Field(description="why the agency declined")


class FilingOut(FilingSummary):
    decided_at: datetime
    reasons: str = Field(description="its reasons; why not, when not filed")
    decision_late: bool = Field(description="decided after the filing period had ended")
    notice_late: bool = Field(description="notified more than 3 days after the decision")


class ReconsiderationOut(BaseModel):
    requested_at: datetime
    reasons: str
    late: bool = Field(description="asked more than 3 days after the refusal's notice")
    answered_at: datetime | None
    upheld: bool | None = Field(description="the refusal stands; false: reversed and filed")
    answer_reasons: str | None


class SupervisionEntry(LogEntry):
    recommendation: RecommendationOut | None = Field(description="if the procuratorate made one")
    filing: FilingOut | None = Field(description="public security's last filing decision")
    reconsideration: ReconsiderationOut | None
    supervision: dict[str, Any] | None = Field(
        description="the supervision's acts by step: requested, reasons_requested,"
        " reasons_stated, filing_ordered, closed"
    )
    overdue_steps: list[str] = Field(description="the steps overdue now")
    late_steps: list[str] = Field(description="the steps kept after their time")


class SupervisionPage(BaseModel):
    agency: str = Field(description="the procuratorate")
    items: list[SupervisionEntry]
    next_cursor: str | None = None


class AgencyFigures(BaseModel):
    agency: str
    name: str
    kind: AgencyKind
    transferred: int = Field(description="移送: its transfers sent to public security that year")
    filed: int = Field(description="立案: notified filed that year")
    not_filed: int = Field(description="不予立案: notified not filed that year (even if reversed)")
    reconsiderations: int = Field(description="复议: reconsiderations asked for that year")
    supervision_requests: int = Field(description="立案监督: supervision asked for that year")
    recommended: int = Field(description="建议移送: recommended by the procuratorate that year")


class Statistics(BaseModel):
    year: int
    agencies: list[AgencyFigures] = Field(
        description="each agency you may see, counting the transfers it is party to"
    )


class CrimeTransferDetail(CrimeTransferOut):
    history: list[TimelineEntry] = Field(description="every event, oldest first")
    steps: list[StepOut]
    pending: list[str]
