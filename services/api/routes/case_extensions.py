"""Routes extending a case's decision period (案件延期审批)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response

from services.api.commands import Command, CommandDep
from services.api.deps import handler
from services.api.openapi import ERRORS
from services.api.presenters import case_out
from services.api.schemas.case_extensions import CommitteeExtension, RequestExtension
from services.api.schemas.cases import CaseOut
from services.application import Saved
from services.handlers.case_extensions import CaseExtensionHandlers
from services.idempotency import PendingClaim

router = APIRouter(prefix="/v1/cases", tags=["cases"], responses=ERRORS)
Extensions = Annotated[CaseExtensionHandlers, Depends(handler(CaseExtensionHandlers))]


def _answer(cmd: Command) -> Callable[[Saved], CaseOut]:
    return lambda saved: case_out(cmd.container.app, saved)


@router.post("/{case_id}/extension", response_model=CaseOut)
def request_extension(
    case_id: UUID, body: RequestExtension, cmd: CommandDep, extensions: Extensions
) -> Response:
    """Asks for 90 days to decide, with its reason, and submits the extension form (法制部门
    同意, 局长批准); its approval sets the new `decision` deadline."""

    def act(claim: PendingClaim | None) -> Saved:
        return extensions.request_extension(
            cmd.actor, case_id, reason=body.reason, expected_version=cmd.version, claim=claim
        )

    return cmd.run(act, _answer(cmd))


@router.post("/{case_id}/extension/committee", response_model=CaseOut)
def extend_by_committee(
    case_id: UUID, body: CommitteeExtension, cmd: CommandDep, extensions: Extensions
) -> Response:
    """The bureau's director records the party committee's decision on 180 days."""

    def act(claim: PendingClaim | None) -> Saved:
        return extensions.extend_by_committee(
            cmd.actor,
            case_id,
            met_on=body.met_on,
            record=body.record,
            reason=body.reason,
            expected_version=cmd.version,
            claim=claim,
        )

    return cmd.run(act, _answer(cmd))
