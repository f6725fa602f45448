"""Routes of a case's notice (告知), hearing (听证), decision (决定) and what follows it."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response

from services.api.case_acts import run_case_act
from services.api.commands import CommandDep
from services.api.deps import handler
from services.api.openapi import ERRORS
from services.api.schemas import case_decision as schemas
from services.api.schemas.case_payment import RecordPayment
from services.api.schemas.cases import CaseOut
from services.handlers.case_decision import CaseDecisionHandlers

router = APIRouter(prefix="/v1/cases", tags=["cases"], responses=ERRORS)
Decisions = Annotated[CaseDecisionHandlers, Depends(handler(CaseDecisionHandlers))]


@router.post("/{case_id}/issue-notice", response_model=CaseOut, name="case.issue_notice")
def issue_notice(
    case_id: UUID, body: schemas.IssueNotice, cmd: CommandDep, decisions: Decisions
) -> Response:
    """Issues the notice of the proposed penalty (告知书), once the matters form is approved."""
    return run_case_act(cmd, decisions.issue_notice, case_id, penalty=body.penalty.as_data())


@router.post("/{case_id}/state", response_model=CaseOut, name="case.state")
def state(
    case_id: UUID, body: schemas.RecordStatement, cmd: CommandDep, decisions: Decisions
) -> Response:
    """Records the party's statement and defence (陈述申辩), and whether it waives a hearing."""
    return run_case_act(cmd, decisions.record_statement, case_id, **body.model_dump())


@router.post("/{case_id}/request-hearing", response_model=CaseOut)
def request_hearing(case_id: UUID, cmd: CommandDep, decisions: Decisions) -> Response:
    """Records the party's request for a hearing, within 5 working days of the service."""
    return run_case_act(cmd, decisions.request_hearing, case_id)


@router.post("/{case_id}/notify-hearing", response_model=CaseOut)
def notify_hearing(
    case_id: UUID, body: schemas.NotifyHearing, cmd: CommandDep, decisions: Decisions
) -> Response:
    """The legal department notifies the hearing (听证通知书) at least 7 days before it."""
    return run_case_act(cmd, decisions.notify_hearing, case_id, **body.model_dump())


@router.post("/{case_id}/request-recusal", response_model=CaseOut)
def request_recusal(
    case_id: UUID, body: schemas.RequestRecusal, cmd: CommandDep, decisions: Decisions
) -> Response:
    """The legal department records the party's request that a panelist step aside."""
    return run_case_act(cmd, decisions.request_recusal, case_id, **body.model_dump())


@router.post("/{case_id}/decide-recusal", response_model=CaseOut)
def decide_recusal(
    case_id: UUID, body: schemas.DecideRecusal, cmd: CommandDep, decisions: Decisions
) -> Response:
    """The legal department grants a recusal (naming the replacement) or refuses it."""
    return run_case_act(cmd, decisions.decide_recusal, case_id, **body.model_dump())


@router.post("/{case_id}/hold-hearing", response_model=CaseOut, name="case.hear")
def hold_hearing(
    case_id: UUID, body: schemas.HoldHearing, cmd: CommandDep, decisions: Decisions
) -> Response:
    """The legal department records the hearing held, its record and the panel's opinion."""
    return run_case_act(cmd, decisions.hold_hearing, case_id, **body.model_dump())


@router.post("/{case_id}/decide", response_model=CaseOut, name="case.decide")
def decide(case_id: UUID, body: schemas.Decide, cmd: CommandDep, decisions: Decisions) -> Response:
    """Decides the penalty (行政处罚决定书, numbered with the case number)."""
    penalty = body.penalty.as_data()
    return run_case_act(cmd, decisions.decide, case_id, penalty=penalty, meeting_id=body.meeting_id)


@router.post("/{case_id}/stamp", response_model=CaseOut, name="case.stamp")
def stamp(case_id: UUID, cmd: CommandDep, decisions: Decisions) -> Response:
    """The legal department stamps the decision (文书加盖印章)."""
    return run_case_act(cmd, decisions.stamp, case_id)


@router.post("/{case_id}/issue-payment-slip", response_model=CaseOut, name="case.issue_slip")
def issue_payment_slip(
    case_id: UUID, body: schemas.IssuePaymentSlip, cmd: CommandDep, decisions: Decisions
) -> Response:
    """The legal department issues the payment slip (非税收入一般缴款书) of a stamped fine."""
    return run_case_act(cmd, decisions.issue_payment_slip, case_id, slip_number=body.slip_number)


@router.post("/{case_id}/record-payment", response_model=CaseOut, name="case.record_payment")
def record_payment(
    case_id: UUID, body: RecordPayment, cmd: CommandDep, decisions: Decisions
) -> Response:
    """Records the bank's confirmation of the fine paid (罚缴分离: never cash): on the spot,
    submitting the payment form; after a decision, against its payment slip."""
    return run_case_act(cmd, decisions.record_payment, case_id, confirmation=body.confirmation())


@router.post("/{case_id}/file-record", response_model=CaseOut, name="case.file_record")
def file_record(case_id: UUID, cmd: CommandDep, decisions: Decisions) -> Response:
    """Files a major decision for the record with the city bureau's legal department."""
    return run_case_act(cmd, decisions.file_record, case_id)
