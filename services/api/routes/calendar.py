"""The working-day calendar: a year's effective schedule, and publishing one (role admin)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from domain.calendar import WorkingCalendar
from services.api.commands import CommandDep
from services.api.deps import ActorDep, ContainerDep, handler
from services.api.openapi import ERRORS
from services.api.schemas.agencies import CalendarYearOut, ScheduleIn
from services.application import Saved
from services.handlers.admin import AdminHandlers
from services.idempotency import PendingClaim

Admin = Annotated[AdminHandlers, Depends(handler(AdminHandlers))]
router = APIRouter(prefix="/v1/calendar", tags=["calendar"], responses=ERRORS)
Year = Annotated[int, Path(ge=2000, le=2100)]


@router.get("/{year}", response_model=CalendarYearOut)
def get_year(year: Year, actor: ActorDep, container: ContainerDep) -> CalendarYearOut:
    return year_out(container.app.calendar(), year, container.app.directory.published_years())


@router.put("/{year}", response_model=CalendarYearOut)
def publish_year(year: Year, body: ScheduleIn, cmd: CommandDep, admin: Admin) -> Response:
    def act(claim: PendingClaim | None) -> Saved:
        return admin.publish_schedule(
            cmd.actor,
            year=year,
            holidays=body.holidays,
            working_days=body.working_days,
            source=body.source,
            claim=claim,
        )

    def render(saved: Saved) -> CalendarYearOut:
        out = year_out(cmd.container.app.calendar(), year, {year})
        return out.model_copy(
            update={"version": saved.aggregate.version, "position": saved.position}
        )

    return cmd.run(act, render)


def year_out(calendar: WorkingCalendar, year: int, published: set[int]) -> CalendarYearOut:
    days = [date(year, 1, 1) + timedelta(days=i) for i in range(366)]
    days = [d for d in days if d.year == year]
    weekend = {5, 6}
    if year in published:
        basis = "published"
    elif calendar.knows_year(year):
        basis = "package"
    else:
        basis = "weekends_only"
    return CalendarYearOut(
        year=year,
        basis=basis,
        provisional=basis == "weekends_only",
        holidays=[d for d in days if d.weekday() not in weekend and not calendar.is_working_day(d)],
        working_days=[d for d in days if d.weekday() in weekend and calendar.is_working_day(d)],
    )
