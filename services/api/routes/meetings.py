"""Meeting routes: convene one, consult by letter, the acts after the call, one meeting, the
tracker and the compliance figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Response

from domain.calendar import SHANGHAI
from domain.meeting_events import CONVENERS, MeetingKind
from domain.meeting_states import MeetingStatus
from projections.deadlines import utc_key
from projections.meeting_compliance import compliance
from projections.meeting_document import MEETING
from projections.meeting_tracker import MeetingTracker, TrackerQuery
from services.api.commands import Command, CommandDep
from services.api.deps import ActorDep, ContainerDep, ReadYourWrites, handler
from services.api.listing import AgencyParam, Cursor, Limit, before, day_bounds, next_cursor
from services.api.openapi import ERRORS
from services.api.presenters import meeting_out, shown
from services.api.schemas.common import Day
from services.api.schemas.meetings import (
    AnswerIn,
    CirculateIn,
    Compliance,
    ConclusionIn,
    ConsultationCreate,
    FollowUpReportIn,
    HoldIn,
    LetterAnswerIn,
    MeetingCreate,
    MeetingDetail,
    MeetingOut,
    MinutesIn,
    PostponeIn,
    ReasonIn,
    TrackerPage,
)
from services.application import Saved
from services.handlers.meetings import MeetingHandlers
from services.idempotency import PendingClaim

router = APIRouter(prefix="/v1", tags=["meetings"], responses=ERRORS)
Meetings = Annotated[MeetingHandlers, Depends(handler(MeetingHandlers))]
From = Annotated[Day | None, Query(alias="from", description="meetings on or after this day")]
To = Annotated[Day | None, Query(description="meetings on or before this day")]
Act = Callable[[PendingClaim | None], Saved]


def _answer(cmd: Command) -> Callable[[Saved], MeetingOut]:
    return lambda saved: meeting_out(cmd.container.app, saved)


def _run(cmd: Command, act: Act) -> Response:
    return cmd.run(act, _answer(cmd))


@router.post("/meetings", response_model=MeetingOut, status_code=201, name="meeting.convene")
def convene(body: MeetingCreate, cmd: CommandDep, meetings: Meetings) -> Response:
    """An agency calls a meeting in its own name; the materials and minutes deadlines start."""
    call = body.model_dump(mode="python")
    return cmd.run(lambda claim: meetings.convene(cmd.actor, call, claim=claim), _answer(cmd), 201)


@router.post("/consultations", response_model=MeetingOut, status_code=201, name="meeting.consult")
def consult_by_letter(body: ConsultationCreate, cmd: CommandDep, meetings: Meetings) -> Response:
    """A consultation by letter (函告): each agency consulted answers in writing."""
    letter = body.model_dump(mode="python")
    return cmd.run(
        lambda claim: meetings.send_letter(cmd.actor, letter, claim=claim), _answer(cmd), 201
    )


@router.post(
    "/meetings/{meeting_id}/circulate", response_model=MeetingOut, name="meeting.circulate"
)
def circulate(meeting_id: UUID, body: CirculateIn, cmd: CommandDep, meetings: Meetings) -> Response:
    materials = [m.material() for m in body.materials]
    return _run(
        cmd,
        lambda claim: meetings.circulate(
            cmd.actor, meeting_id, materials, expected_version=cmd.version, claim=claim
        ),
    )


@router.post("/meetings/{meeting_id}/answer", response_model=MeetingOut, name="meeting.answer")
def answer(meeting_id: UUID, body: AnswerIn, cmd: CommandDep, meetings: Meetings) -> Response:
    """An invitee attends, naming its representatives, or declines with a reason."""
    return _run(
        cmd,
        lambda claim: meetings.answer(
            cmd.actor,
            meeting_id,
            body.answer,
            body.officers,
            body.reason,
            expected_version=cmd.version,
            claim=claim,
        ),
    )


@router.post("/meetings/{meeting_id}/postpone", response_model=MeetingOut, name="meeting.postpone")
def postpone(meeting_id: UUID, body: PostponeIn, cmd: CommandDep, meetings: Meetings) -> Response:
    return _run(
        cmd,
        lambda claim: meetings.postpone(
            cmd.actor,
            meeting_id,
            body.starts_at,
            body.reason,
            expected_version=cmd.version,
            claim=claim,
        ),
    )


@router.post("/meetings/{meeting_id}/cancel", response_model=MeetingOut, name="meeting.cancel")
def cancel(meeting_id: UUID, body: ReasonIn, cmd: CommandDep, meetings: Meetings) -> Response:
    return _run(
        cmd,
        lambda claim: meetings.cancel(
            cmd.actor, meeting_id, body.reason, expected_version=cmd.version, claim=claim
        ),
    )


@router.post("/meetings/{meeting_id}/hold", response_model=MeetingOut, name="meeting.hold")
def hold(meeting_id: UUID, body: HoldIn, cmd: CommandDep, meetings: Meetings) -> Response:
    """Who was present; invitees neither present nor excused are absent without reason."""
    attended = [a.model_dump(mode="python") for a in body.attended]
    return _run(
        cmd,
        lambda claim: meetings.hold(
            cmd.actor, meeting_id, attended, expected_version=cmd.version, claim=claim
        ),
    )


@router.post(
    "/meetings/{meeting_id}/draft-minutes", response_model=MeetingOut, name="meeting.draft_minutes"
)
def draft_minutes(
    meeting_id: UUID, body: MinutesIn, cmd: CommandDep, meetings: Meetings
) -> Response:
    minutes = body.model_dump(mode="python")
    return _run(
        cmd,
        lambda claim: meetings.draft_minutes(
            cmd.actor, meeting_id, minutes, expected_version=cmd.version, claim=claim
        ),
    )


@router.post(
    "/meetings/{meeting_id}/sign-minutes", response_model=MeetingOut, name="meeting.sign_minutes"
)
def sign_minutes(meeting_id: UUID, cmd: CommandDep, meetings: Meetings) -> Response:
    """A participant of a case review signs its minutes (参会人员签字确认)."""
    return _run(
        cmd,
        lambda claim: meetings.sign_minutes(
            cmd.actor, meeting_id, expected_version=cmd.version, claim=claim
        ),
    )


@router.post(
    "/meetings/{meeting_id}/approve-minutes",
    response_model=MeetingOut,
    name="meeting.approve_minutes",
)
def approve_minutes(meeting_id: UUID, cmd: CommandDep, meetings: Meetings) -> Response:
    return _run(
        cmd,
        lambda claim: meetings.approve_minutes(
            cmd.actor, meeting_id, expected_version=cmd.version, claim=claim
        ),
    )


@router.post(
    "/meetings/{meeting_id}/issue-minutes", response_model=MeetingOut, name="meeting.issue_minutes"
)
def issue_minutes(meeting_id: UUID, cmd: CommandDep, meetings: Meetings) -> Response:
    """To every invitee; a joint meeting's decision settles the dispute on its agenda."""
    return _run(
        cmd,
        lambda claim: meetings.issue_minutes(
            cmd.actor, meeting_id, expected_version=cmd.version, claim=claim
        ),
    )


@router.post(
    "/meetings/{meeting_id}/acknowledge", response_model=MeetingOut, name="meeting.acknowledge"
)
def acknowledge(meeting_id: UUID, cmd: CommandDep, meetings: Meetings) -> Response:
    return _run(
        cmd,
        lambda claim: meetings.acknowledge(
            cmd.actor, meeting_id, expected_version=cmd.version, claim=claim
        ),
    )


@router.post(
    "/meetings/{meeting_id}/follow-ups/{item}/done",
    response_model=MeetingOut,
    name="meeting.report_follow_up",
)
def report_follow_up(
    meeting_id: UUID,
    item: Annotated[str, Path(max_length=20, description="the decision's number")],
    body: FollowUpReportIn,
    cmd: CommandDep,
    meetings: Meetings,
) -> Response:
    """The agency responsible for a follow-up item reports it done."""
    return _run(
        cmd,
        lambda claim: meetings.report_follow_up(
            cmd.actor, meeting_id, item, body.report, expected_version=cmd.version, claim=claim
        ),
    )


@router.post(
    "/meetings/{meeting_id}/answer-letter", response_model=MeetingOut, name="meeting.answer_letter"
)
def answer_letter(
    meeting_id: UUID, body: LetterAnswerIn, cmd: CommandDep, meetings: Meetings
) -> Response:
    """An agency consulted by letter answers in writing."""
    return _run(
        cmd,
        lambda claim: meetings.answer_letter(
            cmd.actor, meeting_id, body.answer, expected_version=cmd.version, claim=claim
        ),
    )


@router.post("/meetings/{meeting_id}/conclude", response_model=MeetingOut, name="meeting.conclude")
def conclude(meeting_id: UUID, body: ConclusionIn, cmd: CommandDep, meetings: Meetings) -> Response:
    return _run(
        cmd,
        lambda claim: meetings.conclude(
            cmd.actor, meeting_id, body.conclusion, expected_version=cmd.version, claim=claim
        ),
    )


# Reading -------------------------------------------------------------------------------------


@router.get("/meetings/compliance", response_model=Compliance, dependencies=[ReadYourWrites])
def meeting_compliance(
    actor: ActorDep,
    container: ContainerDep,
    agency: AgencyParam = None,
    from_: From = None,
    to: To = None,
) -> Compliance:
    """How a convening agency kept the rules over a period (this year so far by default)."""
    code = container.app.access.agency_in_view(actor, agency)
    now = container.app.clock()
    today = now.astimezone(SHANGHAI).date()
    first, last = from_ or date(today.year, 1, 1), to or today
    start, end = day_bounds(first, last)
    assert start is not None and end is not None
    kind = container.app.directory.path(code).agency.kind
    expected = kind in CONVENERS[MeetingKind.JOINT_CONFERENCE]
    with container.views_db.reading() as db:
        documents = container.view(MeetingTracker).convened_in(db, code, (start, end), now)
    figures = compliance(documents, first, last, expected)
    return Compliance.model_validate(dict(figures, agency=code))


@router.get("/meetings/{meeting_id}", response_model=MeetingDetail, dependencies=[ReadYourWrites])
def get_meeting(
    meeting_id: UUID, actor: ActorDep, container: ContainerDep, response: Response
) -> MeetingDetail:
    with container.views_db.reading() as db:
        document = container.view(MeetingTracker).detail(db, str(meeting_id), container.app.clock())
    return MeetingDetail.model_validate(shown(container.app, actor, MEETING, document, response))


@router.get("/meetings", response_model=TrackerPage, dependencies=[ReadYourWrites])
def tracker(
    actor: ActorDep,
    container: ContainerDep,
    agency: AgencyParam = None,
    kind: MeetingKind | None = None,
    status: MeetingStatus | None = None,
    overdue: bool = False,
    from_: From = None,
    to: To = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> TrackerPage:
    """The meetings an agency convenes, is invited to or was sent matters by, newest first."""
    code = container.app.access.agency_in_view(actor, agency)
    start, end = day_bounds(from_, to)
    query = TrackerQuery(
        code,
        kind,
        status,
        overdue,
        utc_key(start) if start else None,
        utc_key(end) if end else None,
        before(cursor),
        limit,
    )
    with container.views_db.reading() as db:
        items = container.view(MeetingTracker).page(db, query, container.app.clock())
    page = {"agency": code, "items": items, "next_cursor": next_cursor(items, limit)}
    return TrackerPage.model_validate(page)
