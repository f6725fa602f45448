"""The shapes of a case's extensions (案件延期审批)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field

from services.api.schemas.case_forms import IsoDate
from services.api.schemas.common import By, Input, Text

Reference = Annotated[str, Field(min_length=1, max_length=100)]


class RequestExtension(Input):
    reason: Annotated[Text, Field(min_length=1, examples=["需委托技术鉴定，三十日内无法查清"])]


class CommitteeExtension(Input):
    met_on: IsoDate = Field(description="the date the party committee met (局党委会)")
    record: Reference = Field(examples=["党委会纪要〔2026〕9号"])
    reason: Annotated[Text, Field(min_length=1, examples=["案情重大复杂"])]


class ExtensionOut(BaseModel):
    days: int = Field(examples=[90])
    reason: str
    by: By
    at: datetime
    committee: dict[str, Any] | None = None
