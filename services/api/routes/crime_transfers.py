"""Crime-transfer routes: report one from a case, recommend one, and every act after by the
agency, public security and the procuratorate. Reading transfers: `crime_transfer_log`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response

from services.api.commands import Command, CommandDep
from services.api.deps import handler
from services.api.openapi import ERRORS
from services.api.presenters import crime_transfer_out
from services.api.schemas.crime_transfers import (
    CrimeTransferOut,
    DecideIn,
    ExplanationIn,
    ExtendIn,
    FilingDecisionIn,
    ForwardIn,
    HandOverIn,
    MaterialsRequestIn,
    NoteIn,
    ReasonsIn,
    RecommendationCreate,
    ReconsiderationAnswerIn,
    ReportIn,
    SendIn,
    SupplyIn,
    TransferBackIn,
    TransferCreate,
)
from services.application import Saved
from services.handlers.crime_transfers import CrimeTransferHandlers

router = APIRouter(prefix="/v1", tags=["crime transfers"], responses=ERRORS)
Transfers = Annotated[CrimeTransferHandlers, Depends(handler(CrimeTransferHandlers))]


def _answer(cmd: Command) -> Callable[[Saved], CrimeTransferOut]:
    return lambda saved: crime_transfer_out(cmd.container.app, saved)


@router.post(
    "/crime-transfers", response_model=CrimeTransferOut, status_code=201, name="crime-transfer.open"
)
def report(body: TransferCreate, cmd: CommandDep, transfers: Transfers) -> Response:
    """A case's officers report a suspected crime (书面报告); the head decides within 3 days."""
    return cmd.run(
        lambda claim: transfers.report(cmd.actor, body.case_id, body.report(), claim=claim),
        _answer(cmd),
        201,
    )


@router.post(
    "/crime-transfers/recommendations",
    response_model=CrimeTransferOut,
    status_code=201,
    name="crime-transfer.recommend",
)
def recommend(body: RecommendationCreate, cmd: CommandDep, transfers: Transfers) -> Response:
    """The procuratorate recommends a transfer (建议移送); the agency must answer."""
    return cmd.run(
        lambda claim: transfers.recommend(cmd.actor, body.case_id, body.reasons, claim=claim),
        _answer(cmd),
        201,
    )


@router.post(
    "/crime-transfers/{transfer_id}/report",
    response_model=CrimeTransferOut,
    name="crime-transfer.report",
)
def report_recommended(
    transfer_id: UUID, body: ReportIn, cmd: CommandDep, transfers: Transfers
) -> Response:
    """The agency answers a recommendation by reporting the case for transfer."""
    return cmd.run(
        lambda claim: transfers.report_recommended(
            cmd.actor,
            transfer_id,
            body.report(),
            expected_version=cmd.version,
            claim=claim,
        ),
        _answer(cmd),
    )


@router.post(
    "/crime-transfers/{transfer_id}/decline",
    response_model=CrimeTransferOut,
    name="crime-transfer.decline",
)
def decline(
    transfer_id: UUID, body: ExplanationIn, cmd: CommandDep, transfers: Transfers
) -> Response:
    """The agency's principal head explains why it does not transfer a recommended case."""
    return cmd.run(
        lambda claim: transfers.decline(
            cmd.actor,
            transfer_id,
            body.explanation,
            body.presiding,
            expected_version=cmd.version,
            claim=claim,
        ),
        _answer(cmd),
    )


@router.post(
    "/crime-transfers/{transfer_id}/decide",
    response_model=CrimeTransferOut,
    name="crime-transfer.decide",
)
def decide(transfer_id: UUID, body: DecideIn, cmd: CommandDep, transfers: Transfers) -> Response:
    """The principal head approves the transfer, or refuses it with reasons, within 3 days."""
    return cmd.run(
        lambda claim: transfers.decide(
            cmd.actor,
            transfer_id,
            body.approve,
            body.presiding,
            body.reasons,
            expected_version=cmd.version,
            claim=claim,
        ),
        _answer(cmd),
    )


@router.post(
    "/crime-transfers/{transfer_id}/send",
    response_model=CrimeTransferOut,
    name="crime-transfer.send",
)
def send(transfer_id: UUID, body: SendIn, cmd: CommandDep, transfers: Transfers) -> Response:
    """To public security at the same level within 24 hours, copied to the procuratorate."""
    return cmd.run(
        lambda claim: transfers.send(
            cmd.actor,
            transfer_id,
            [m.material() for m in body.materials],
            body.public_security,
            expected_version=cmd.version,
            claim=claim,
        ),
        _answer(cmd),
    )


@router.post(
    "/crime-transfers/{transfer_id}/receipt",
    response_model=CrimeTransferOut,
    name="crime-transfer.sign_receipt",
)
def sign_receipt(
    transfer_id: UUID, cmd: CommandDep, transfers: Transfers, body: NoteIn | None = None
) -> Response:
    """Public security signs the receipt (回执); the filing period runs from now."""
    return cmd.run(
        lambda claim: transfers.sign_receipt(
            cmd.actor,
            transfer_id,
            (body or NoteIn()).note,
            expected_version=cmd.version,
            claim=claim,
        ),
        _answer(cmd),
    )


@router.post(
    "/crime-transfers/{transfer_id}/request-materials",
    response_model=CrimeTransferOut,
    name="crime-transfer.request_materials",
)
def request_materials(
    transfer_id: UUID, body: MaterialsRequestIn, cmd: CommandDep, transfers: Transfers
) -> Response:
    """Public security asks, within 24 hours of its receipt, for missing materials."""
    return cmd.run(
        lambda claim: transfers.request_materials(
            cmd.actor,
            transfer_id,
            list(body.materials),
            body.note,
            expected_version=cmd.version,
            claim=claim,
        ),
        _answer(cmd),
    )


@router.post(
    "/crime-transfers/{transfer_id}/supply-materials",
    response_model=CrimeTransferOut,
    name="crime-transfer.supply_materials",
)
def supply_materials(
    transfer_id: UUID, body: SupplyIn, cmd: CommandDep, transfers: Transfers
) -> Response:
    """The agency supplies the missing materials within 3 days."""
    return cmd.run(
        lambda claim: transfers.supply_materials(
            cmd.actor,
            transfer_id,
            [m.material() for m in body.materials],
            expected_version=cmd.version,
            claim=claim,
        ),
        _answer(cmd),
    )


@router.post(
    "/crime-transfers/{transfer_id}/forward",
    response_model=CrimeTransferOut,
    name="crime-transfer.forward",
)
def forward(transfer_id: UUID, body: ForwardIn, cmd: CommandDep, transfers: Transfers) -> Response:
    """Public security forwards a case outside its jurisdiction within 24 hours."""
    return cmd.run(
        lambda claim: transfers.forward(
            cmd.actor,
            transfer_id,
            body.to,
            body.reason,
            expected_version=cmd.version,
            claim=claim,
        ),
        _answer(cmd),
    )


@router.post(
    "/crime-transfers/{transfer_id}/extend-filing",
    response_model=CrimeTransferOut,
    name="crime-transfer.extend_filing",
)
def extend_filing(
    transfer_id: UUID, body: ExtendIn, cmd: CommandDep, transfers: Transfers
) -> Response:
    """7 days to check a clue, or 30 for a major or complex case (its head approving)."""
    return cmd.run(
        lambda claim: transfers.extend_filing(
            cmd.actor,
            transfer_id,
            body.period,
            body.reason,
            expected_version=cmd.version,
            claim=claim,
        ),
        _answer(cmd),
    )


@router.post(
    "/crime-transfers/{transfer_id}/filing-decision",
    response_model=CrimeTransferOut,
    name="crime-transfer.decide_filing",
)
def decide_filing(
    transfer_id: UUID, body: FilingDecisionIn, cmd: CommandDep, transfers: Transfers
) -> Response:
    """The written notice of the filing decision, copied to the procuratorate."""
    return cmd.run(
        lambda claim: transfers.decide_filing(
            cmd.actor,
            transfer_id,
            body.filed,
            body.decided_at,
            body.reasons,
            body.document.notice(),
            expected_version=cmd.version,
            claim=claim,
        ),
        _answer(cmd),
    )


@router.post(
    "/crime-transfers/{transfer_id}/request-reconsideration",
    response_model=CrimeTransferOut,
    name="crime-transfer.request_reconsideration",
)
def request_reconsideration(
    transfer_id: UUID, body: ReasonsIn, cmd: CommandDep, transfers: Transfers
) -> Response:
    """The agency asks public security to reconsider not filing (复议) within 3 days."""
    return cmd.run(
        lambda claim: transfers.request_reconsideration(
            cmd.actor,
            transfer_id,
            body.reasons,
            expected_version=cmd.version,
            claim=claim,
        ),
        _answer(cmd),
    )


@router.post(
    "/crime-transfers/{transfer_id}/answer-reconsideration",
    response_model=CrimeTransferOut,
    name="crime-transfer.answer_reconsideration",
)
def answer_reconsideration(
    transfer_id: UUID, body: ReconsiderationAnswerIn, cmd: CommandDep, transfers: Transfers
) -> Response:
    """Public security answers the reconsideration within 3 days."""
    return cmd.run(
        lambda claim: transfers.answer_reconsideration(
            cmd.actor,
            transfer_id,
            body.upheld,
            body.reasons,
            body.document.notice(),
            expected_version=cmd.version,
            claim=claim,
        ),
        _answer(cmd),
    )


@router.post(
    "/crime-transfers/{transfer_id}/request-supervision",
    response_model=CrimeTransferOut,
    name="crime-transfer.request_supervision",
)
def request_supervision(
    transfer_id: UUID, body: ReasonsIn, cmd: CommandDep, transfers: Transfers
) -> Response:
    """The agency asks the procuratorate for filing supervision (立案监督)."""
    return cmd.run(
        lambda claim: transfers.request_supervision(
            cmd.actor,
            transfer_id,
            body.reasons,
            expected_version=cmd.version,
            claim=claim,
        ),
        _answer(cmd),
    )


@router.post(
    "/crime-transfers/{transfer_id}/request-reasons",
    response_model=CrimeTransferOut,
    name="crime-transfer.request_reasons",
)
def request_reasons(
    transfer_id: UUID, cmd: CommandDep, transfers: Transfers, body: NoteIn | None = None
) -> Response:
    """The procuratorate asks public security to state why it did not file."""
    return cmd.run(
        lambda claim: transfers.request_reasons(
            cmd.actor,
            transfer_id,
            (body or NoteIn()).note,
            expected_version=cmd.version,
            claim=claim,
        ),
        _answer(cmd),
    )


@router.post(
    "/crime-transfers/{transfer_id}/state-reasons",
    response_model=CrimeTransferOut,
    name="crime-transfer.state_reasons",
)
def state_reasons(
    transfer_id: UUID, body: ReasonsIn, cmd: CommandDep, transfers: Transfers
) -> Response:
    """Public security states why it did not file, within 7 days."""
    return cmd.run(
        lambda claim: transfers.state_reasons(
            cmd.actor,
            transfer_id,
            body.reasons,
            expected_version=cmd.version,
            claim=claim,
        ),
        _answer(cmd),
    )


@router.post(
    "/crime-transfers/{transfer_id}/order-filing",
    response_model=CrimeTransferOut,
    name="crime-transfer.order_filing",
)
def order_filing(
    transfer_id: UUID, body: ReasonsIn, cmd: CommandDep, transfers: Transfers
) -> Response:
    """The procuratorate notifies public security to file (通知立案)."""
    return cmd.run(
        lambda claim: transfers.order_filing(
            cmd.actor,
            transfer_id,
            body.reasons,
            expected_version=cmd.version,
            claim=claim,
        ),
        _answer(cmd),
    )


@router.post(
    "/crime-transfers/{transfer_id}/close-supervision",
    response_model=CrimeTransferOut,
    name="crime-transfer.close_supervision",
)
def close_supervision(
    transfer_id: UUID, body: ReasonsIn, cmd: CommandDep, transfers: Transfers
) -> Response:
    """The procuratorate finds the reasons for not filing sound."""
    return cmd.run(
        lambda claim: transfers.close_supervision(
            cmd.actor,
            transfer_id,
            body.reasons,
            expected_version=cmd.version,
            claim=claim,
        ),
        _answer(cmd),
    )


@router.post(
    "/crime-transfers/{transfer_id}/hand-over",
    response_model=CrimeTransferOut,
    name="crime-transfer.hand_over",
)
def hand_over(
    transfer_id: UUID, body: HandOverIn, cmd: CommandDep, transfers: Transfers
) -> Response:
    """The agency hands over items and files within 3 days of the filing notice."""
    return cmd.run(
        lambda claim: transfers.hand_over(
            cmd.actor,
            transfer_id,
            body.items,
            expected_version=cmd.version,
            claim=claim,
        ),
        _answer(cmd),
    )


@router.post(
    "/crime-transfers/{transfer_id}/transfer-back",
    response_model=CrimeTransferOut,
    name="crime-transfer.transfer_back",
)
def transfer_back(
    transfer_id: UUID, body: TransferBackIn, cmd: CommandDep, transfers: Transfers
) -> Response:
    """Reverse transfer: the matter goes back to the agency's inbox as a referral."""
    return cmd.run(
        lambda claim: transfers.transfer_back(
            cmd.actor,
            transfer_id,
            body.ground,
            body.reasons,
            [m.material() for m in body.materials],
            expected_version=cmd.version,
            claim=claim,
        ),
        _answer(cmd),
    )
