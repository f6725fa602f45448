"""Routes of a case's forms (审批表), gravity and the service of its documents."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response

from domain.approval_chains import Form
from services.api.case_acts import run_case_act
from services.api.commands import CommandDep
from services.api.deps import handler
from services.api.openapi import ERRORS
from services.api.schemas.case_forms import (
    Classify,
    ServeDocument,
    SignForm,
    SubmitForm,
    SubmittedForm,
)
from services.api.schemas.cases import CaseOut
from services.handlers.case_forms import CaseFormHandlers

router = APIRouter(prefix="/v1/cases", tags=["cases"], responses=ERRORS)
Forms = Annotated[CaseFormHandlers, Depends(handler(CaseFormHandlers))]


@router.post("/{case_id}/classify", response_model=CaseOut, name="case.classify")
def classify(case_id: UUID, body: Classify, cmd: CommandDep, forms: Forms) -> Response:
    """The handling unit judges the case major (重大行政处罚案件) or ordinary; the chains of
    its later forms follow."""
    return run_case_act(cmd, forms.classify, case_id, **body.model_dump())


@router.post("/{case_id}/forms/{form}/submit", response_model=CaseOut, name="case.submit_form")
def submit_form(
    case_id: UUID, form: SubmittedForm, body: SubmitForm, cmd: CommandDep, forms: Forms
) -> Response:
    """The handling unit submits a form; its signers are its unit's chain (seed 004)."""
    return run_case_act(cmd, forms.submit_form, case_id, Form(form))


@router.post("/{case_id}/forms/{form}/sign", response_model=CaseOut, name="case.sign_form")
def sign_form(case_id: UUID, form: Form, body: SignForm, cmd: CommandDep, forms: Forms) -> Response:
    """The signer of the form's pending step agrees or returns it with an opinion."""
    return run_case_act(cmd, forms.sign_form, case_id, form, **body.model_dump())


@router.post("/{case_id}/serve", response_model=CaseOut, name="case.serve")
def serve(case_id: UUID, body: ServeDocument, cmd: CommandDep, forms: Forms) -> Response:
    """Records the service (送达) of one of the case's documents by its signed receipt."""
    return run_case_act(cmd, forms.serve, case_id, **body.model_dump())
