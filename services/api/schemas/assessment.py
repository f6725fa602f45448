"""How the API shows the yearly assessment: an agency's duties, warnings and score, the agencies
below a supervisor ranked, and the items behind one figure."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from projections.assessment_weights import DUTY_NAMES

DutyName = Literal[DUTY_NAMES]  # type: ignore[valid-type]


class AgencyRef(BaseModel):
    code: str = Field(examples=["TJBH-QYJJ"])
    name: str = Field(examples=["滨海新区应急管理局"])


class PeriodOut(BaseModel):
    label: str = Field(examples=["2026", "2026H1", "2026Q3"])
    from_: date = Field(alias="from", description="its first day (Asia/Shanghai)")
    to: date = Field(description="its last day, included")


class DutyFigure(BaseModel):
    duty: DutyName
    title: str = Field(examples=["按时移送案件"])
    due: int = Field(description="how many fell due in the period (met, or past due unmet)")
    on_time: int = Field(description="how many of those were met on time")
    share: float | None = Field(description="on_time / due; null when none fell due")
    weight: float = Field(description="what the duty weighs in the score")


class MonthWarnings(BaseModel):
    month: str = Field(examples=["2026-03"])
    yellow: int
    red: int


class WarningsOut(BaseModel):
    """The yellow and red warnings the agency was raised in the period (withdrawn ones too)."""

    yellow: int
    red: int
    by_month: list[MonthWarnings]


class AssessmentSummary(BaseModel):
    agency: AgencyRef
    duties: list[DutyFigure]
    warnings: WarningsOut
    score: float | None = Field(
        description="0–100: Σ weight × share over the duties with something due, over their"
        " weights, less the red warnings' penalty; null when nothing weighed fell due"
    )
    weights: Literal["default", "configured"]


class RankedSummary(AssessmentSummary):
    rank: int = Field(description="by score, highest first; ties share a rank")


class Assessment(AssessmentSummary):
    period: PeriodOut
    below: list[RankedSummary] | None = Field(
        default=None, description="with `below=true`: every agency below it, ranked"
    )


class AssessmentItem(BaseModel):
    kind: Literal["referral", "meeting", "crime_transfer", "case"]
    id: str = Field(description="the resource's id")
    limit: str = Field(examples=["send", "minutes", "reinspection:…"])
    rule: str | None = Field(description="the limit's rule, e.g. working_days:3")
    due_at: datetime
    met_at: datetime | None
    on_time: bool
    cursor: int


class ItemsPage(BaseModel):
    agency: str
    duty: DutyName
    period: PeriodOut
    items: list[AssessmentItem]
    next_cursor: str | None
