"""Routes of a case's forms (审批表), gravity and the service of its documents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response

from domain.approval_chains import Form
from services.api.commands import Command, CommandDep
from services.api.deps import handler
from services.api.openapi import ERRORS
from services.api.presenters import case_out
from services.api.schemas.case_forms import (
    Classify,
    ServeDocument,
    SignForm,
    SubmitForm,
    SubmittedForm,
)
from services.api.schemas.cases import CaseOut
from services.application import Saved
from services.handlers.case_forms import CaseFormHandlers
from services.idempotency import PendingClaim

router = APIRouter(prefix="/v1/cases", tags=["cases"], responses=ERRORS)
Forms = Annotated[CaseFormHandlers, Depends(handler(CaseFormHandlers))]


def _answer(cmd: Command) -> Callable[[Saved], CaseOut]:
    return lambda saved: case_out(cmd.container.app, saved)


@router.post("/{case_id}/classify", response_model=CaseOut)
def classify(case_id: UUID, body: Classify, cmd: CommandDep, forms: Forms) -> Response:
    """The handling unit judges the case major (重大行政处罚案件) or ordinary; the chains of
    its later forms follow."""

    def act(claim: PendingClaim | None) -> Saved:
        return forms.classify(
            cmd.actor,
            case_id,
            gravity=body.gravity,
            reason=body.reason,
            expected_version=cmd.version,
            claim=claim,
        )

    return cmd.run(act, _answer(cmd))


@router.post("/{case_id}/forms/{form}/submit", response_model=CaseOut)
def submit_form(
    case_id: UUID, form: SubmittedForm, body: SubmitForm, cmd: CommandDep, forms: Forms
) -> Response:
    """The handling unit submits a form; its signers are its unit's chain (seed 004)."""

    def act(claim: PendingClaim | None) -> Saved:
        return forms.submit_form(
            cmd.actor, case_id, Form(form), expected_version=cmd.version, claim=claim
        )

    return cmd.run(act, _answer(cmd))


@router.post("/{case_id}/forms/{form}/sign", response_model=CaseOut)
def sign_form(case_id: UUID, form: Form, body: SignForm, cmd: CommandDep, forms: Forms) -> Response:
    """The signer of the form's pending step agrees or returns it with an opinion."""

    def act(claim: PendingClaim | None) -> Saved:
        return forms.sign_form(
            cmd.actor,
            case_id,
            form,
            approve=body.approve,
            opinion=body.opinion,
            subject=body.subject,
            expected_version=cmd.version,
            claim=claim,
        )

    return cmd.run(act, _answer(cmd))


@router.post("/{case_id}/serve", response_model=CaseOut)
def serve(case_id: UUID, body: ServeDocument, cmd: CommandDep, forms: Forms) -> Response:
    """Records the service (送达) of one of the case's documents by its signed receipt."""
    receipt = body.receipt.model_dump(mode="python")

    def act(claim: PendingClaim | None) -> Saved:
        return forms.serve(
            cmd.actor,
            case_id,
            number=body.number,
            receipt=receipt,
            expected_version=cmd.version,
            claim=claim,
        )

    return cmd.run(act, _answer(cmd))
