"""Routes of a case's compulsory measures (行政强制措施) and rectification orders (责令限期整改)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response

from services.api.case_acts import run_case_act
from services.api.commands import CommandDep
from services.api.deps import handler
from services.api.openapi import ERRORS
from services.api.schemas.case_measures import (
    Act,
    LiftMeasure,
    NotifyMeasure,
    OrderRectification,
    ProposeMeasure,
    Reinspect,
    RequestReinspection,
    TakeMeasure,
)
from services.api.schemas.cases import CaseOut
from services.handlers.case_measures import CaseMeasureHandlers

router = APIRouter(prefix="/v1/cases", tags=["cases"], responses=ERRORS)
Measures = Annotated[CaseMeasureHandlers, Depends(handler(CaseMeasureHandlers))]
MEASURE = "/{case_id}/measures/{measure_id}"
ORDER = "/{case_id}/rectifications/{order_id}"


@router.post("/{case_id}/measures", response_model=CaseOut, name="case.measure")
def propose_measure(
    case_id: UUID, body: ProposeMeasure, cmd: CommandDep, measures: Measures
) -> Response:
    """Proposes a compulsory measure and submits its MEASURE form; in an emergency it is taken
    on the spot at once and reported to the head within 24 hours."""
    return run_case_act(cmd, measures.propose_measure, case_id, **body.model_dump())


@router.post(MEASURE + "/report", response_model=CaseOut)
def report_measure(
    case_id: UUID, measure_id: UUID, body: Act, cmd: CommandDep, measures: Measures
) -> Response:
    """Reports an emergency measure to the head: its MEASURE form is submitted after the fact."""
    return run_case_act(cmd, measures.report_measure, case_id, measure_id)


@router.post(MEASURE + "/decision", response_model=CaseOut)
def issue_measure_decision(
    case_id: UUID, measure_id: UUID, body: Act, cmd: CommandDep, measures: Measures
) -> Response:
    """Issues the approved measure's decision (行政强制措施决定书, numbered 强措)."""
    return run_case_act(cmd, measures.issue_measure_decision, case_id, measure_id)


@router.post(MEASURE + "/notice", response_model=CaseOut)
def notify_measure(
    case_id: UUID, measure_id: UUID, body: NotifyMeasure, cmd: CommandDep, measures: Measures
) -> Response:
    """Records when the enterprise was notified: the measure is taken 24 hours after."""
    return run_case_act(cmd, measures.notify_measure, case_id, measure_id, **body.model_dump())


@router.post(MEASURE + "/take", response_model=CaseOut)
def take_measure(
    case_id: UUID, measure_id: UUID, body: TakeMeasure, cmd: CommandDep, measures: Measures
) -> Response:
    """Takes the measure, 24 hours after the notice; a brigade names the detachment's officers."""
    return run_case_act(cmd, measures.take_measure, case_id, measure_id, **body.model_dump())


@router.post(MEASURE + "/file", response_model=CaseOut)
def file_measure(
    case_id: UUID, measure_id: UUID, body: Act, cmd: CommandDep, measures: Measures
) -> Response:
    """Records a brigade's measure filed with the bureau's legal department (备案)."""
    return run_case_act(cmd, measures.file_measure, case_id, measure_id)


@router.post(MEASURE + "/lift", response_model=CaseOut)
def lift_measure(
    case_id: UUID, measure_id: UUID, body: LiftMeasure, cmd: CommandDep, measures: Measures
) -> Response:
    """Lifts a measure in force once the enterprise removed the hazard."""
    return run_case_act(cmd, measures.lift_measure, case_id, measure_id, **body.model_dump())


@router.post("/{case_id}/rectifications", response_model=CaseOut, name="case.rectify")
def order_rectification(
    case_id: UUID, body: OrderRectification, cmd: CommandDep, measures: Measures
) -> Response:
    """Orders rectification by a due date (责令限期整改指令书, numbered 责改)."""
    return run_case_act(cmd, measures.order_rectification, case_id, **body.model_dump())


@router.post(ORDER + "/reinspection-request", response_model=CaseOut)
def request_reinspection(
    case_id: UUID, order_id: UUID, body: RequestReinspection, cmd: CommandDep, measures: Measures
) -> Response:
    """Records the enterprise's request for re-inspection; it is due within 10 days."""
    request = body.model_dump()
    return run_case_act(cmd, measures.request_reinspection, case_id, order_id, **request)


@router.post(ORDER + "/reinspect", response_model=CaseOut)
def reinspect(
    case_id: UUID, order_id: UUID, body: Reinspect, cmd: CommandDep, measures: Measures
) -> Response:
    """Re-inspects (复查): issues the opinion (numbered 复查) and submits the REINSPECTION form."""
    return run_case_act(cmd, measures.reinspect, case_id, order_id, **body.model_dump())
