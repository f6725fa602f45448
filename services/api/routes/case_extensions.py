"""Routes extending a case's decision period (案件延期审批)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response

from services.api.case_acts import run_case_act
from services.api.commands import CommandDep
from services.api.deps import handler
from services.api.openapi import ERRORS
from services.api.schemas.case_extensions import CommitteeExtension, RequestExtension
from services.api.schemas.cases import CaseOut
from services.handlers.case_extensions import CaseExtensionHandlers

router = APIRouter(prefix="/v1/cases", tags=["cases"], responses=ERRORS)
Extensions = Annotated[CaseExtensionHandlers, Depends(handler(CaseExtensionHandlers))]


@router.post("/{case_id}/extension", response_model=CaseOut, name="case.request_extension")
def request_extension(
    case_id: UUID, body: RequestExtension, cmd: CommandDep, extensions: Extensions
) -> Response:
    """Asks for 90 days to decide, with its reason, and submits the extension form (法制部门
    同意, 局长批准); its approval sets the new `decision` deadline."""
    return run_case_act(cmd, extensions.request_extension, case_id, **body.model_dump())


@router.post("/{case_id}/extension/committee", response_model=CaseOut)
def extend_by_committee(
    case_id: UUID, body: CommitteeExtension, cmd: CommandDep, extensions: Extensions
) -> Response:
    """The bureau's director records the party committee's decision on 180 days."""
    return run_case_act(cmd, extensions.extend_by_committee, case_id, **body.model_dump())
