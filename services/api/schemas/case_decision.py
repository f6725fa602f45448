"""The shapes of a case's notice, hearing and decision: the acts' bodies and their parts of
the case's document."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from services.api.schemas.case_forms import Sha256
from services.api.schemas.common import By, Flag, Input, Moment, Name, Text, Yuan, fen_of

Officer = Annotated[str, Field(min_length=1, max_length=64, examples=["sun-li"])]
YUAN = "yuan as an integer or a decimal string; never a float"
Words = Annotated[Text, Field(min_length=1)]
Reference = Annotated[str, Field(min_length=1, max_length=100)]


def in_fen(penalty: dict[str, Any]) -> dict[str, Any]:
    """A penalty's body as the domain takes it: its amount in fen."""
    amount = penalty.pop("amount_yuan")
    return dict(penalty, amount_fen=None if amount is None else fen_of(amount))


# Bodies --------------------------------------------------------------------------------------


class ProposedPenaltyIn(Input):
    kind: Literal["warning", "fine"]
    amount_yuan: Yuan | None = Field(None, examples=["5000.00"], description=YUAN)
    rectification: Flag = False

    def as_data(self) -> dict[str, Any]:
        return in_fen(self.model_dump())


class IssueNotice(Input):
    penalty: ProposedPenaltyIn


class RecordStatement(Input):
    statement: Words = Field(examples=["对违法事实无异议，不要求听证"])
    record_sha256: Sha256 | None = None
    hearing_waived: Flag = Field(description="the party said it asks for no hearing")


class NotifyHearing(Input):
    hearing_at: Moment
    place: Name = Field(examples=["区局听证室"])
    presider: Officer = Field(description="the legal department's head")
    members: list[Officer] = Field(min_length=1, max_length=10, examples=[["li-na"]])


class RequestRecusal(Input):
    officer: Officer = Field(description="the panelist whose recusal the party asks")
    reason: Words = Field(examples=["与当事人有亲属关系"])


class DecideRecusal(Input):
    granted: Flag
    reason: Words = Field(examples=["理由成立"])
    replacement: Officer | None = Field(None, description="who takes the place, when granted")


class HoldHearing(Input):
    record_sha256: Sha256
    opinion: Words = Field(examples=["事实清楚，维持拟处罚意见"])


class DecidedPenaltyIn(Input):
    kind: Literal["warning", "fine", "other"]
    amount_yuan: Yuan | None = Field(None, examples=["5000.00"], description=YUAN)
    description: Words = Field(examples=["罚款人民币伍仟元"])
    rectification: Flag = False

    def as_data(self) -> dict[str, Any]:
        return in_fen(self.model_dump())


class Decide(Input):
    penalty: DecidedPenaltyIn
    meeting_id: UUID | None = Field(None, description="the case review meeting (major, accident)")


class IssuePaymentSlip(Input):
    slip_number: Reference = Field(examples=["1200000026000123"])


# The case's document --------------------------------------------------------------------------


class ProposedPenaltyOut(BaseModel):
    kind: str
    amount_yuan: str | None = Field(examples=["5000.00"])
    rectification: bool


class StatementOut(BaseModel):
    statement: str
    record_sha256: str | None
    hearing_waived: bool
    late: bool
    by: By
    at: datetime


class NoticeOut(BaseModel):
    number: str = Field(examples=["津滨应急告〔2026〕1号"])
    penalty: ProposedPenaltyOut
    statement: StatementOut | None
    hearing_requested: bool


class PanelistOut(BaseModel):
    officer: str
    agency: str
    name: str
    roles: list[str]


class PanelOut(BaseModel):
    presider: PanelistOut
    members: list[PanelistOut]


class NotifiedOut(BaseModel):
    hearing_at: datetime
    place: str


class RecusalOut(BaseModel):
    officer: str
    reason: str
    granted: bool | None = Field(description="none while it is being decided")


class HeldOut(BaseModel):
    record_sha256: str
    opinion: str
    by: By
    at: datetime


class HearingOut(BaseModel):
    notified: NotifiedOut | None
    panel: PanelOut | None
    recusals: list[RecusalOut]
    held: HeldOut | None


class DecidedPenaltyOut(BaseModel):
    kind: str
    amount_yuan: str | None = Field(examples=["5000.00"])
    description: str
    rectification: bool


class ActOut(BaseModel):
    by: By
    at: datetime


class SlipOut(ActOut):
    number: str
    amount_yuan: str | None


class RecordFilingOut(ActOut):
    filed_with: str = Field(examples=["tj-yjj-fgc"])
    late: bool


class DecisionOut(ActOut):
    penalty: DecidedPenaltyOut
    meeting_id: UUID | None
    late: bool
    stamped: ActOut | None
    slip: SlipOut | None
    record_filing: RecordFilingOut | None


NoticeField = Field(
    None, description="the notice (告知书), its proposed penalty, the party's answer"
)
HearingField = Field(None, description="the hearing (听证): notification, panel, recusals, record")
DecisionField = Field(
    None, description="the penalty decision and its stamp, payment slip, record filing"
)
