"""Referral routes: draft, the acts of sender and receiver, one referral, and the boxes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Response

from domain.referral_events import ReferralKind
from domain.referral_states import ReferralStatus
from domain.values import Actor
from projections.referral_document import REFERRAL
from projections.referrals import BoxQuery, ReferralView
from services.api.commands import Command, CommandDep
from services.api.deps import ActorDep, ContainerDep, ReadYourWrites, handler
from services.api.listing import AgencyParam, Cursor, Limit, before, next_cursor
from services.api.openapi import ERRORS
from services.api.presenters import referral_out, shown
from services.api.schemas.referrals import (
    Answer,
    BoxPage,
    DisputeReferral,
    Extension,
    MaterialIn,
    Outcome,
    Reasoned,
    ReferralCreate,
    ReferralDetail,
    ReferralOut,
)
from services.application import Saved
from services.bootstrap import Container
from services.handlers.referrals import ReferralHandlers
from services.idempotency import PendingClaim

router = APIRouter(prefix="/v1", tags=["referrals"], responses=ERRORS)


Referrals = Annotated[ReferralHandlers, Depends(handler(ReferralHandlers))]


def _answer(cmd: Command) -> Callable[[Saved], ReferralOut]:
    return lambda saved: referral_out(cmd.container.app, saved)


@router.post("/referrals", response_model=ReferralOut, status_code=201)
def draft_referral(body: ReferralCreate, cmd: CommandDep, referrals: Referrals) -> Response:
    request = body.details()
    return cmd.run(
        lambda claim: referrals.draft(cmd.actor, request, claim=claim), _answer(cmd), 201
    )


@router.post(
    "/referrals/{referral_id}/approve", response_model=ReferralOut, name="referral.approve"
)
def approve_referral(referral_id: UUID, cmd: CommandDep, referrals: Referrals) -> Response:
    def act(claim: PendingClaim | None) -> Saved:
        return referrals.approve(cmd.actor, referral_id, expected_version=cmd.version, claim=claim)

    return cmd.run(act, _answer(cmd))


@router.post("/referrals/{referral_id}/send", response_model=ReferralOut, name="referral.send")
def send_referral(referral_id: UUID, cmd: CommandDep, referrals: Referrals) -> Response:
    def act(claim: PendingClaim | None) -> Saved:
        return referrals.send(cmd.actor, referral_id, expected_version=cmd.version, claim=claim)

    return cmd.run(act, _answer(cmd))


@router.post(
    "/referrals/{referral_id}/acknowledge", response_model=ReferralOut, name="referral.acknowledge"
)
def acknowledge_referral(referral_id: UUID, cmd: CommandDep, referrals: Referrals) -> Response:
    def act(claim: PendingClaim | None) -> Saved:
        version = cmd.version
        return referrals.acknowledge(cmd.actor, referral_id, expected_version=version, claim=claim)

    return cmd.run(act, _answer(cmd))


@router.post("/referrals/{referral_id}/accept", response_model=ReferralOut, name="referral.accept")
def accept_referral(referral_id: UUID, cmd: CommandDep, referrals: Referrals) -> Response:
    def act(claim: PendingClaim | None) -> Saved:
        return referrals.accept(cmd.actor, referral_id, expected_version=cmd.version, claim=claim)

    return cmd.run(act, _answer(cmd))


@router.post(
    "/referrals/{referral_id}/materials",
    response_model=ReferralOut,
    status_code=201,
    name="referral.attach_material",
)
def attach_material(
    referral_id: UUID, body: MaterialIn, cmd: CommandDep, referrals: Referrals
) -> Response:
    material = body.material()

    def act(claim: PendingClaim | None) -> Saved:
        return referrals.attach_material(
            cmd.actor, referral_id, material, expected_version=cmd.version, claim=claim
        )

    return cmd.run(act, _answer(cmd), 201)


@router.post("/referrals/{referral_id}/reject", response_model=ReferralOut, name="referral.reject")
def reject(referral_id: UUID, body: Reasoned, cmd: CommandDep, referrals: Referrals) -> Response:
    def act(claim: PendingClaim | None) -> Saved:
        return referrals.reject(
            cmd.actor, referral_id, reason=body.reason, expected_version=cmd.version, claim=claim
        )

    return cmd.run(act, _answer(cmd))


@router.post(
    "/referrals/{referral_id}/dispute", response_model=ReferralOut, name="referral.dispute"
)
def dispute(
    referral_id: UUID, body: DisputeReferral, cmd: CommandDep, referrals: Referrals
) -> Response:
    """The sender disputes a rejection: a dispute resolution opens (see /v1/disputes)."""

    def act(claim: PendingClaim | None) -> Saved:
        return referrals.dispute(
            cmd.actor,
            referral_id,
            grounds=body.grounds,
            interim=body.interim,
            expected_version=cmd.version,
            claim=claim,
        )

    return cmd.run(act, _answer(cmd))


@router.post("/referrals/{referral_id}/answer", response_model=ReferralOut, name="referral.answer")
def answer(referral_id: UUID, body: Answer, cmd: CommandDep, referrals: Referrals) -> Response:
    def act(claim: PendingClaim | None) -> Saved:
        return referrals.answer(
            cmd.actor, referral_id, answer=body.answer, expected_version=cmd.version, claim=claim
        )

    return cmd.run(act, _answer(cmd))


@router.post(
    "/referrals/{referral_id}/extend", response_model=ReferralOut, name="referral.extend_answer"
)
def extend(referral_id: UUID, body: Extension, cmd: CommandDep, referrals: Referrals) -> Response:
    """An assistance request's answer, put off once with a reason and a new date."""

    def act(claim: PendingClaim | None) -> Saved:
        return referrals.extend_answer(
            cmd.actor,
            referral_id,
            reason=body.reason,
            until=body.until,
            expected_version=cmd.version,
            claim=claim,
        )

    return cmd.run(act, _answer(cmd))


@router.post(
    "/referrals/{referral_id}/report-outcome",
    response_model=ReferralOut,
    name="referral.report_outcome",
)
def report_outcome(
    referral_id: UUID, body: Outcome, cmd: CommandDep, referrals: Referrals
) -> Response:
    def act(claim: PendingClaim | None) -> Saved:
        return referrals.report_outcome(
            cmd.actor, referral_id, outcome=body.outcome, expected_version=cmd.version, claim=claim
        )

    return cmd.run(act, _answer(cmd))


@router.get(
    "/referrals/{referral_id}", response_model=ReferralDetail, dependencies=[ReadYourWrites]
)
def get_referral(
    referral_id: UUID, actor: ActorDep, container: ContainerDep, response: Response
) -> ReferralDetail:
    with container.views_db.reading() as db:
        document = container.view(ReferralView).detail(db, str(referral_id), container.app.clock())
    return ReferralDetail.model_validate(shown(container.app, actor, REFERRAL, document, response))


@router.get("/inbox", response_model=BoxPage, dependencies=[ReadYourWrites])
def inbox(
    actor: ActorDep,
    container: ContainerDep,
    agency: AgencyParam = None,
    status: ReferralStatus | None = None,
    kind: ReferralKind | None = None,
    overdue: bool = False,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> BoxPage:
    """The agency's incoming referrals, newest first."""
    return _box(container, actor, "in", agency, status, kind, overdue, limit, cursor)


@router.get("/outbox", response_model=BoxPage, dependencies=[ReadYourWrites])
def outbox(
    actor: ActorDep,
    container: ContainerDep,
    agency: AgencyParam = None,
    status: ReferralStatus | None = None,
    kind: ReferralKind | None = None,
    overdue: bool = False,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> BoxPage:
    """The agency's outgoing referrals, drafts included, newest first."""
    return _box(container, actor, "out", agency, status, kind, overdue, limit, cursor)


def _box(
    container: Container,
    actor: Actor,
    box: Literal["in", "out"],
    agency: str | None,
    status: str | None,
    kind: str | None,
    overdue: bool,
    limit: int,
    cursor: str | None,
) -> BoxPage:
    code = container.app.access.agency_in_view(actor, agency)
    query = BoxQuery(code, box, status, kind, overdue, before(cursor), limit)
    view, now = container.view(ReferralView), container.app.clock()
    with container.views_db.reading() as db:
        items = view.box(db, query, now)
        counts = view.counts(db, code, box)
    page = {"agency": code, "items": items, "counts": counts}
    return BoxPage.model_validate(dict(page, next_cursor=next_cursor(items, limit)))
