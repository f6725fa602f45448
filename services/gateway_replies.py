"""The replies a police system may publish on `liandong.crime-transfer-replies.v1`, and the
command each becomes: the same handler call, with the same body, as its HTTP route; `officer`
names who acts, an officer of the replying police agency in the register.

A reply is a CloudEvent whose `type` is `liandong.CrimeTransferReply.<name>`, whose `subject` is
the transfer's id and whose `data` is the body below (published under deploy/contracts/replies).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field

from domain.values import Actor
from services.api.schemas.common import Input
from services.api.schemas.crime_transfers import (
    ExtendIn,
    FilingDecisionIn,
    ForwardIn,
    MaterialsRequestIn,
    NoteIn,
    ReasonsIn,
    ReconsiderationAnswerIn,
    TransferBackIn,
)
from services.application import Saved
from services.handlers.crime_transfers import CrimeTransferHandlers

Officer = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        description="the acting officer's id in the register, an officer of the replying agency",
    ),
]


class ReceiptReply(NoteIn):
    officer: Officer


class MaterialsRequestedReply(MaterialsRequestIn):
    officer: Officer


class ForwardedReply(ForwardIn):
    officer: Officer


class FilingPeriodExtendedReply(ExtendIn):
    officer: Officer


class FilingDecidedReply(FilingDecisionIn):
    officer: Officer


class ReconsiderationAnsweredReply(ReconsiderationAnswerIn):
    officer: Officer


class ReasonsStatedReply(ReasonsIn):
    officer: Officer


class TransferredBackReply(TransferBackIn):
    officer: Officer


Command = Callable[[CrimeTransferHandlers, Actor, UUID, Any, Any], Saved]


@dataclass(frozen=True)
class Reply:
    data: type[Input]
    command: Command  # (handlers, actor, transfer id, data, claim) → what was saved
    summary: str


REPLIES: dict[str, Reply] = {
    "Receipt": Reply(
        ReceiptReply,
        lambda h, actor, t, d, claim: h.sign_receipt(actor, t, d.note, claim=claim),
        "the receipt (回执) signed",
    ),
    "MaterialsRequested": Reply(
        MaterialsRequestedReply,
        lambda h, actor, t, d, claim: h.request_materials(
            actor, t, list(d.materials), d.note, claim=claim
        ),
        "missing materials asked for, within 24 hours of the receipt",
    ),
    "Forwarded": Reply(
        ForwardedReply,
        lambda h, actor, t, d, claim: h.forward(actor, t, d.to, d.reason, claim=claim),
        "forwarded to the competent public security, within 24 hours of the receipt",
    ),
    "FilingPeriodExtended": Reply(
        FilingPeriodExtendedReply,
        lambda h, actor, t, d, claim: h.extend_filing(actor, t, d.period, d.reason, claim=claim),
        "the filing period extended to 7 or 30 days",
    ),
    "FilingDecided": Reply(
        FilingDecidedReply,
        lambda h, actor, t, d, claim: h.decide_filing(
            actor, t, d.filed, d.decided_at, d.reasons, d.document.notice(), claim=claim
        ),
        "the written notice of the filing decision (立案 / 不予立案)",
    ),
    "ReconsiderationAnswered": Reply(
        ReconsiderationAnsweredReply,
        lambda h, actor, t, d, claim: h.answer_reconsideration(
            actor, t, d.upheld, d.reasons, d.document.notice(), claim=claim
        ),
        "the answer to a reconsideration (复议)",
    ),
    "ReasonsStated": Reply(
        ReasonsStatedReply,
        lambda h, actor, t, d, claim: h.state_reasons(actor, t, d.reasons, claim=claim),
        "the reasons for not filing, as the procuratorate asked",
    ),
    "TransferredBack": Reply(
        TransferredBackReply,
        lambda h, actor, t, d, claim: h.transfer_back(
            actor, t, d.ground, d.reasons, [m.material() for m in d.materials], claim=claim
        ),
        "the matter handed back for administrative handling (reverse transfer)",
    ),
}
