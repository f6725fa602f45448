"""Shapes shared by several resources."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    model_validator,
)

from domain.calendar import SHANGHAI

MoneyText = Annotated[str, Field(pattern=r"^[0-9]{1,10}(\.[0-9]{1,2})?$")]


def _bounded_yuan(value: int | str) -> int | str:
    if isinstance(value, int) and not 0 <= value <= 10**10:
        raise ValueError("must be between 0 and 10^10 yuan")
    return value


# Money in yuan, as an integer or a decimal string with at most two places; never a float.
Yuan = Annotated[StrictInt | MoneyText, AfterValidator(_bounded_yuan)]


def fen_of(yuan: int | str) -> int:
    return int(Decimal(str(yuan)) * 100)


def _plausible(moment: datetime) -> datetime:
    if not 1949 <= moment.year <= 2200:
        raise ValueError("must lie between the years 1949 and 2200")
    return moment.astimezone(SHANGHAI)


def _written(value: Any) -> Any:
    """Times and dates come as RFC 3339 text, never as numbers of seconds or days."""
    if not isinstance(value, str | datetime | date):
        raise ValueError("must be written as RFC 3339 text, e.g. 2026-11-20T09:00:00+08:00")
    return value


def _plausible_day(day: date) -> date:
    if not 1949 <= day.year <= 2200:
        raise ValueError("must lie between the years 1949 and 2200")
    return day


Moment = Annotated[AwareDatetime, BeforeValidator(_written), AfterValidator(_plausible)]
Day = Annotated[date, BeforeValidator(_written), AfterValidator(_plausible_day)]
Flag = StrictBool  # true or false, never "true" or 1
Text = Annotated[str, Field(max_length=2000)]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        """PostgreSQL text cannot hold U+0000, and no person writes it: refused everywhere."""
        if holds_nul(data):
            raise ValueError("text may not contain the NUL character (U+0000)")
        return data


def holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(k) or holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(holds_nul(v) for v in value)
    return False


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
