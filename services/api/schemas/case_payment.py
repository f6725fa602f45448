"""The shapes of the fine paid at the bank (罚缴分离): the bank's confirmation as the act takes
it, and the case's `payment` as its document shows it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from domain.case_payment import BankConfirmationData
from services.api.schemas.common import By, Input, Moment, Name, Yuan, fen_of

Reference = Annotated[str, Field(min_length=1, max_length=100)]


class RecordPayment(Input):
    bank: Name = Field(examples=["中国银行"])
    branch: Name = Field(examples=["滨海新区支行"])
    reference: Reference = Field(
        description="the bank's confirmation reference (no cash is taken)",
        examples=["BOC20261201001"],
    )
    amount_yuan: Yuan = Field(
        description="the amount paid: yuan as an integer or a decimal string; never a float",
        examples=["5000.00"],
    )
    paid_at: Moment

    def confirmation(self) -> BankConfirmationData:
        return {
            "bank": self.bank,
            "branch": self.branch,
            "reference": self.reference,
            "amount_fen": fen_of(self.amount_yuan),
            "paid_at": self.paid_at,
        }


class PaymentOut(BaseModel):
    bank: str
    branch: str
    reference: str
    amount_yuan: str = Field(examples=["5000.00"])
    paid_at: datetime
    slip: str | None = Field(description="the payment slip's number; none for an on-the-spot fine")
    recorded_by: By
    recorded_at: datetime
