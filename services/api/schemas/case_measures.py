"""The shapes of a case's compulsory measures and rectification orders."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from domain.case_measures import MeasureKind
from services.api.schemas.common import By, Flag, Input, Moment, Text

Grounds = Annotated[str, Field(min_length=1, max_length=2000)]
OfficerId = Annotated[str, Field(min_length=1, max_length=64)]
Item = Annotated[str, Field(min_length=1, max_length=500)]


class ProposeMeasure(Input):
    kind: MeasureKind = Field(
        description="seal 查封, seize 扣押, power_cut 停止供电, "
        "explosives_stop 停止供应民用爆炸物品"
    )
    grounds: Grounds
    emergency: Flag = Field(
        False, description="taken on the spot at once, reported within 24 hours"
    )
    together_with: list[OfficerId] = Field(
        [], max_length=20, description="a brigade's: the detachment officers it is taken with"
    )


class NotifyMeasure(Input):
    notified_at: Moment = Field(description="when the enterprise was notified")


class TakeMeasure(Input):
    together_with: list[OfficerId] = Field(
        [], max_length=20, description="a brigade's: the detachment officers it is taken with"
    )


class Act(Input):
    pass


class LiftMeasure(Input):
    reason: Literal["hazard_removed"]


class OrderRectification(Input):
    items: list[Item] = Field(min_length=1, max_length=100)
    due: Moment = Field(description="the day by which to put things right (its end counts)")


class RequestReinspection(Input):
    asked_at: Moment = Field(description="when the enterprise asked for the re-inspection")


class Reinspect(Input):
    complied: Flag
    findings: Text


class LiftedOut(BaseModel):
    reason: str
    by: By
    at: datetime


class MeasureOut(BaseModel):
    id: str
    kind: str
    grounds: str
    emergency: bool
    brigade: bool
    status: Literal["proposed", "in_force", "lifted"]
    proposed_by: By
    proposed_at: datetime
    decision: str | None = Field(None, description="the number of its decision (强措)")
    notified_at: datetime | None = None
    taken_at: datetime | None = None
    together_with: list[By]
    reported_at: datetime | None = None
    filed_at: datetime | None = Field(
        None, description="a brigade's: filed with the legal department"
    )
    lifted: LiftedOut | None = None


class ReinspectionOut(BaseModel):
    complied: bool
    findings: str
    number: str
    late: bool
    by: By
    at: datetime


class RectificationOut(BaseModel):
    id: str
    number: str
    items: list[str]
    due_at: datetime
    ordered_by: By
    ordered_at: datetime
    requested_at: datetime | None = None
    reinspection: ReinspectionOut | None = None
