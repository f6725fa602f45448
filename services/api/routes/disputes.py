"""Dispute routes: open one directly, the acts up its ladder, one dispute, an agency's list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response

from domain.dispute_events import DisputeStatus
from projections.dispute_document import DISPUTE
from projections.disputes import DisputeQuery, DisputeView
from services.api.commands import Command, CommandDep
from services.api.deps import ActorDep, ContainerDep, ReadYourWrites, handler
from services.api.openapi import ERRORS
from services.api.presenters import dispute_out, shown
from services.api.schemas.referrals import (
    DecisionIn,
    DisputeCreate,
    DisputeDetail,
    DisputeOut,
    DisputePage,
    PositionIn,
    Reasoned,
)
from services.application import Saved
from services.handlers.disputes import DisputeHandlers
from services.idempotency import PendingClaim

router = APIRouter(prefix="/v1/disputes", tags=["disputes"], responses=ERRORS)


Disputes = Annotated[DisputeHandlers, Depends(handler(DisputeHandlers))]


def _answer(cmd: Command) -> Callable[[Saved], DisputeOut]:
    return lambda saved: dispute_out(cmd.container.app, saved)


@router.post("", response_model=DisputeOut, status_code=201, name="dispute.open")
def open_dispute(body: DisputeCreate, cmd: CommandDep, disputes: Disputes) -> Response:
    """Two agencies disagree about who must handle a matter (no referral behind it)."""
    details = body.model_dump(mode="python")
    return cmd.run(lambda claim: disputes.open(cmd.actor, details, claim=claim), _answer(cmd), 201)


@router.post("/{dispute_id}/positions", response_model=DisputeOut, name="dispute.record_position")
def record_position(
    dispute_id: UUID, body: PositionIn, cmd: CommandDep, disputes: Disputes
) -> Response:
    def act(claim: PendingClaim | None) -> Saved:
        return disputes.record_position(
            cmd.actor,
            dispute_id,
            position=body.position,
            proposed_handler=body.proposed_handler,
            expected_version=cmd.version,
            claim=claim,
        )

    return cmd.run(act, _answer(cmd))


@router.post("/{dispute_id}/escalate", response_model=DisputeOut, name="dispute.escalate")
def escalate(dispute_id: UUID, body: Reasoned, cmd: CommandDep, disputes: Disputes) -> Response:
    def act(claim: PendingClaim | None) -> Saved:
        return disputes.escalate(
            cmd.actor, dispute_id, reason=body.reason, expected_version=cmd.version, claim=claim
        )

    return cmd.run(act, _answer(cmd))


@router.post("/{dispute_id}/decide", response_model=DisputeOut, name="dispute.decide")
def decide(dispute_id: UUID, body: DecisionIn, cmd: CommandDep, disputes: Disputes) -> Response:
    """Only the current rung's body decides; a disputed referral is settled with it."""
    decision = body.model_dump(mode="python")

    def act(claim: PendingClaim | None) -> Saved:
        return disputes.decide(
            cmd.actor, dispute_id, decision, expected_version=cmd.version, claim=claim
        )

    return cmd.run(act, _answer(cmd))


@router.post("/{dispute_id}/close", response_model=DisputeOut, name="dispute.close")
def close(dispute_id: UUID, cmd: CommandDep, disputes: Disputes) -> Response:
    def act(claim: PendingClaim | None) -> Saved:
        return disputes.close(cmd.actor, dispute_id, expected_version=cmd.version, claim=claim)

    return cmd.run(act, _answer(cmd))


@router.get("/{dispute_id}", response_model=DisputeDetail, dependencies=[ReadYourWrites])
def get_dispute(
    dispute_id: UUID, actor: ActorDep, container: ContainerDep, response: Response
) -> DisputeDetail:
    with container.views_db.reading() as db:
        document = container.view(DisputeView).detail(db, str(dispute_id), container.app.clock())
    return DisputeDetail.model_validate(shown(container.app, actor, DISPUTE, document, response))


@router.get("", response_model=DisputePage, dependencies=[ReadYourWrites])
def list_disputes(
    actor: ActorDep,
    container: ContainerDep,
    agency: Annotated[str | None, Query(max_length=64)] = None,
    status: DisputeStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(pattern=r"^[0-9]{1,18}$")] = None,
) -> DisputePage:
    """The disputes an agency is party to or decides on a rung of, newest first."""
    code = container.app.access.agency_in_view(actor, agency)
    query = DisputeQuery(code, status, int(cursor) if cursor else 2**62, limit)
    with container.views_db.reading() as db:
        items = container.view(DisputeView).disputes(db, query)
    next_cursor = str(items[-1]["cursor"]) if len(items) == limit else None
    return DisputePage.model_validate({"items": items, "next_cursor": next_cursor})
