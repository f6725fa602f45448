"""Shapes shared by several resources."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from domain.calendar import SHANGHAI


def _plausible(moment: datetime) -> datetime:
    if not 1949 <= moment.year <= 2200:
        raise ValueError("must lie between the years 1949 and 2200")
    return moment.astimezone(SHANGHAI)


Moment = Annotated[AwareDatetime, AfterValidator(_plausible)]
Text = Annotated[str, Field(max_length=2000)]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class By(BaseModel):
    officer: str | None
    agency: str | None
    name: str | None = None


class DeadlineOut(BaseModel):
    name: str
    rule: str = Field(examples=["5 working days"])
    start: datetime
    due_at: datetime
    provisional: bool = Field(description="computed without a known holiday schedule")
    met_at: datetime | None = None
    late: bool = Field(description="met, but after it was due")
    overdue: bool = Field(description="not met, past due, and the resource is still open")


class Versioned(BaseModel):
    version: int = Field(description="the aggregate's version")
    position: int = Field(description="global position of its last event")
