"""The shapes of a case's extensions (案件延期审批) and of an on-the-spot fine's payment."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, StrictInt

from services.api.schemas.case_forms import IsoDate
from services.api.schemas.common import By, Input, Moment, Text

Reference = Annotated[str, Field(min_length=1, max_length=100)]


class RequestExtension(Input):
    reason: Annotated[Text, Field(min_length=1, examples=["需委托技术鉴定，三十日内无法查清"])]


class CommitteeExtension(Input):
    met_on: IsoDate = Field(description="the date the party committee met (局党委会)")
    record: Reference = Field(examples=["党委会纪要〔2026〕9号"])
    reason: Annotated[Text, Field(min_length=1, examples=["案情重大复杂"])]


class RecordPayment(Input):
    bank_reference: Reference = Field(
        description="the bank's confirmation reference (no cash is taken)",
        examples=["BOC20261123001"],
    )
    paid_at: Moment
    amount_fen: Annotated[StrictInt, Field(ge=1, le=10**12, description="the fine, in fen")]


class ExtensionOut(BaseModel):
    days: int = Field(examples=[90])
    reason: str
    by: By
    at: datetime
    committee: dict[str, Any] | None = None


class PaymentOut(BaseModel):
    bank_reference: str
    paid_at: datetime
    amount_fen: int
    recorded_by: By
