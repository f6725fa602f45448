"""Case routes: register, the acts on a case, the agency's list and one case's timeline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response

from domain.case_events import Procedure
from domain.case_states import CaseStatus
from projections.case_document import CASE
from projections.case_steps import with_step
from projections.cases import CaseQuery, CaseView
from services.api.commands import Command, CommandDep
from services.api.deps import ActorDep, ContainerDep, ReadYourWrites, handler
from services.api.openapi import ERRORS
from services.api.presenters import case_out, shown
from services.api.schemas.cases import (
    ApprovalDecision,
    CaseCreate,
    CaseDetail,
    CaseOut,
    CasePage,
    CaseSummary,
    CloseCase,
    DecideOnTheSpot,
    EvidenceIn,
)
from services.application import Saved
from services.handlers.cases import CaseHandlers
from services.idempotency import PendingClaim

router = APIRouter(prefix="/v1/cases", tags=["cases"], responses=ERRORS)
Cases = Annotated[CaseHandlers, Depends(handler(CaseHandlers))]


def _answer(cmd: Command) -> Callable[[Saved], CaseOut]:
    return lambda saved: case_out(cmd.container.app, saved)


@router.post("", response_model=CaseOut, status_code=201)
def register_case(body: CaseCreate, cmd: CommandDep, cases: Cases) -> Response:
    details = body.details()
    return cmd.run(lambda claim: cases.register(cmd.actor, details, claim=claim), _answer(cmd), 201)


@router.post(
    "/{case_id}/decide-on-the-spot", response_model=CaseOut, name="case.decide_on_the_spot"
)
def decide_on_the_spot(
    case_id: UUID, body: DecideOnTheSpot, cmd: CommandDep, cases: Cases
) -> Response:
    def act(claim: PendingClaim | None) -> Saved:
        return cases.decide_on_the_spot(
            cmd.actor,
            case_id,
            penalty_kind=body.penalty.kind,
            amount_fen=body.penalty.amount_fen(),
            expected_version=cmd.version,
            claim=claim,
        )

    return cmd.run(act, _answer(cmd))


@router.post("/{case_id}/report-decision", response_model=CaseOut, name="case.report_decision")
def report_decision(case_id: UUID, cmd: CommandDep, cases: Cases) -> Response:
    def act(claim: PendingClaim | None) -> Saved:
        return cases.report_decision(cmd.actor, case_id, expected_version=cmd.version, claim=claim)

    return cmd.run(act, _answer(cmd))


@router.post("/{case_id}/request-filing", response_model=CaseOut, name="case.request_filing")
def request_filing(case_id: UUID, cmd: CommandDep, cases: Cases) -> Response:
    def act(claim: PendingClaim | None) -> Saved:
        return cases.request_filing(cmd.actor, case_id, expected_version=cmd.version, claim=claim)

    return cmd.run(act, _answer(cmd))


@router.post("/{case_id}/review-filing", response_model=CaseOut, name="case.review_filing")
def review_filing(case_id: UUID, body: ApprovalDecision, cmd: CommandDep, cases: Cases) -> Response:
    def act(claim: PendingClaim | None) -> Saved:
        return cases.review_filing(
            cmd.actor,
            case_id,
            approve=body.approve,
            opinion=body.opinion,
            expected_version=cmd.version,
            claim=claim,
        )

    return cmd.run(act, _answer(cmd))


@router.post("/{case_id}/approve-filing", response_model=CaseOut, name="case.approve_filing")
def approve_filing(
    case_id: UUID, body: ApprovalDecision, cmd: CommandDep, cases: Cases
) -> Response:
    def act(claim: PendingClaim | None) -> Saved:
        return cases.approve_filing(
            cmd.actor,
            case_id,
            approve=body.approve,
            opinion=body.opinion,
            expected_version=cmd.version,
            claim=claim,
        )

    return cmd.run(act, _answer(cmd))


@router.post("/{case_id}/close", response_model=CaseOut, name="case.close")
def close_case(case_id: UUID, body: CloseCase, cmd: CommandDep, cases: Cases) -> Response:
    def act(claim: PendingClaim | None) -> Saved:
        return cases.close(
            cmd.actor, case_id, reason=body.reason, expected_version=cmd.version, claim=claim
        )

    return cmd.run(act, _answer(cmd))


@router.post(
    "/{case_id}/evidence", response_model=CaseOut, status_code=201, name="case.attach_evidence"
)
def attach_evidence(case_id: UUID, body: EvidenceIn, cmd: CommandDep, cases: Cases) -> Response:
    record = body.model_dump(mode="python")

    def act(claim: PendingClaim | None) -> Saved:
        return cases.attach_evidence(
            cmd.actor, case_id, record, expected_version=cmd.version, claim=claim
        )

    return cmd.run(act, _answer(cmd), 201)


@router.get("", response_model=CasePage, dependencies=[ReadYourWrites])
def list_cases(
    actor: ActorDep,
    container: ContainerDep,
    agency: Annotated[str | None, Query(max_length=64, description="a unit below yours")] = None,
    status: CaseStatus | None = None,
    procedure: Procedure | None = None,
    overdue: bool = False,
    step: Annotated[str | None, Query(pattern=r"^[a-z_]{1,40}$", examples=["legal_review"])] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(pattern=r"^[0-9]{1,18}$")] = None,
) -> CasePage:
    """The cases of your unit and, for heads and supervisors, of the units below it;
    `agency` narrows to one of them."""
    units = container.app.access.units_in_view(actor, agency)
    query = CaseQuery(
        units=tuple(units),
        status=status,
        procedure=procedure,
        step=step,
        overdue=overdue,
        before=int(cursor) if cursor else 2**62,
        limit=limit,
    )
    with container.views_db.reading() as db:
        rows = container.view(CaseView).list_cases(db, query, container.app.clock())
    items = [CaseSummary.model_validate(r) for r in rows]
    next_cursor = str(rows[-1]["cursor"]) if len(rows) == limit else None
    return CasePage(items=items, next_cursor=next_cursor)


@router.get("/{case_id}", response_model=CaseDetail, dependencies=[ReadYourWrites])
def get_case(
    case_id: UUID, actor: ActorDep, container: ContainerDep, response: Response
) -> CaseDetail:
    with container.views_db.reading() as db:
        document = container.view(CaseView).get_case(db, str(case_id), container.app.clock())
    return CaseDetail.model_validate(
        with_step(shown(container.app, actor, CASE, document, response))
    )
