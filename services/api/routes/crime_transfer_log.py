"""Reading crime transfers: an agency's log, the procuratorate's supervision list, the yearly
figures, one transfer with its history. The acts on a transfer: `crime_transfers`."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from domain.crime_transfer_events import CrimeCategory
from domain.crime_transfer_states import CrimeTransferStatus
from domain.values import AgencyKind
from projections.crime_transfer_document import CRIME_TRANSFER
from projections.crime_transfer_log import CrimeTransferLog, LogQuery
from projections.crime_transfer_statistics import yearly_figures
from projections.crime_transfer_supervision import Concern, SupervisionQuery
from projections.deadlines import utc_key
from services.api.deps import ActorDep, ContainerDep, ReadYourWrites
from services.api.errors import ApiProblem
from services.api.listing import AgencyParam, Cursor, Limit, before, day_bounds, next_cursor
from services.api.openapi import ERRORS
from services.api.presenters import shown
from services.api.schemas.common import Day
from services.api.schemas.crime_transfer_log import (
    CrimeTransferDetail,
    LogPage,
    Statistics,
    SupervisionPage,
)
from services.bootstrap import Container

router = APIRouter(prefix="/v1", tags=["crime transfers"], responses=ERRORS)
From = Annotated[
    Day | None,
    Query(alias="from", description="transfers reported (or recommended) on or after this day"),
]
To = Annotated[Day | None, Query(description="transfers reported (or recommended) by this day")]
Year = Annotated[int, Query(ge=2001, le=2200, description="the calendar year (Asia/Shanghai)")]
Overdue = Annotated[bool, Query(description="only transfers with a step overdue now")]


def _query(
    code: str,
    status: str | None,
    category: str | None,
    overdue: bool,
    days: tuple[Day | None, Day | None],
    cursor: str | None,
    limit: int,
) -> LogQuery:
    start, end = day_bounds(*days)
    from_key, to_key = (utc_key(t) if t else None for t in (start, end))
    return LogQuery(code, status, category, overdue, from_key, to_key, before(cursor), limit)


@router.get("/crime-transfers", response_model=LogPage, dependencies=[ReadYourWrites])
def crime_transfer_log(
    actor: ActorDep,
    container: ContainerDep,
    agency: AgencyParam = None,
    status: CrimeTransferStatus | None = None,
    category: CrimeCategory | None = None,
    overdue: Overdue = False,
    from_: From = None,
    to: To = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> LogPage:
    """The transfers an agency is party to, newest first, each with its steps."""
    code = container.app.access.agency_in_view(actor, agency)
    query = _query(code, status, category, overdue, (from_, to), cursor, limit)
    with container.views_db.reading() as db:
        items = container.view(CrimeTransferLog).page(db, query, container.app.clock())
    page = {"agency": code, "items": items, "next_cursor": next_cursor(items, limit)}
    return LogPage.model_validate(page)


@router.get(
    "/crime-transfers/supervision", response_model=SupervisionPage, dependencies=[ReadYourWrites]
)
def supervision(
    actor: ActorDep,
    container: ContainerDep,
    agency: AgencyParam = None,
    concern: Annotated[Concern | None, Query(description="only the transfers of one")] = None,
    status: CrimeTransferStatus | None = None,
    category: CrimeCategory | None = None,
    from_: From = None,
    to: To = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> SupervisionPage:
    """A procuratorate's filing supervision: the transfers copied to it or that it
    recommended, newest first."""
    code = container.app.access.agency_in_view(actor, agency)
    _require_procuratorate(container, code)
    log = _query(code, status, category, False, (from_, to), cursor, limit)
    with container.views_db.reading() as db:
        view = container.view(CrimeTransferLog)
        items = view.supervision(db, SupervisionQuery(log, concern), container.app.clock())
    page = {"agency": code, "items": items, "next_cursor": next_cursor(items, limit)}
    return SupervisionPage.model_validate(page)


@router.get("/crime-transfers/statistics", response_model=Statistics, dependencies=[ReadYourWrites])
def statistics(
    actor: ActorDep, container: ContainerDep, year: Year, agency: AgencyParam = None
) -> Statistics:
    """The year's figures (54号) of every agency you may see: yours and, for heads and
    supervisors, those below it; or the one named."""
    codes = container.app.access.units_in_view(actor, agency)
    with container.views_db.reading() as db:
        counted = container.view(CrimeTransferLog).milestones(db, codes, year)
    figures = yearly_figures(year, codes, counted)
    for row in figures["agencies"]:
        entry = container.app.directory.agency(row["agency"])
        assert entry is not None
        row.update(name=entry.name, kind=entry.kind)
    return Statistics.model_validate(figures)


@router.get(
    "/crime-transfers/{transfer_id}",
    response_model=CrimeTransferDetail,
    dependencies=[ReadYourWrites],
)
def get_crime_transfer(
    transfer_id: UUID, actor: ActorDep, container: ContainerDep, response: Response
) -> CrimeTransferDetail:
    """One transfer with its history, to those party to it; anyone else is answered 404."""
    with container.views_db.reading() as db:
        view = container.view(CrimeTransferLog)
        document = view.detail(db, str(transfer_id), container.app.clock())
    found = shown(container.app, actor, CRIME_TRANSFER, document, response)
    return CrimeTransferDetail.model_validate(found)


def _require_procuratorate(container: Container, code: str) -> None:
    entry = container.app.directory.agency(code)
    if entry is None or entry.kind != AgencyKind.PROCURATORATE:
        raise ApiProblem(
            403,
            "crime_transfer.not_a_procuratorate",
            f"{code} is not a procuratorate: filing supervision is a procuratorate's list",
        )
