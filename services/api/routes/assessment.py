"""The yearly assessment of coordination duties: an agency's figures and score (JSON, or a CSV
table for `Accept: text/csv`), the agencies below a supervisor ranked, and the items behind a
figure. Seen by the agency itself, its heads and the supervisors above it (the one rule)."""

from __future__ import annotations

import csv
import io
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from domain.values import OVERSIGHT_ROLES, Actor
from projections.assessment import Weights, figures, items, ranked, summary
from projections.assessment_duties import DUTY
from projections.assessment_period import Period, parse_period
from projections.assessment_warnings import warnings_of
from projections.assessment_weights import DEFAULT_WEIGHTS
from projections.warnings import WarningView
from services.api.deps import ActorDep, ContainerDep, ReadYourWrites
from services.api.errors import ApiProblem
from services.api.listing import AgencyParam, Cursor, Limit, next_cursor
from services.api.openapi import ERRORS
from services.api.schemas.assessment import Assessment, DutyName, ItemsPage
from services.bootstrap import Container
from services.reports.assessment_pdf import render
from services.settings import Settings

router = APIRouter(prefix="/v1", tags=["assessment"], responses=ERRORS)
PeriodParam = Annotated[
    str,
    Query(max_length=16, description="a year (2026), a half (2026H1) or a quarter (2026Q3)"),
]
Below = Annotated[bool, Query(description="also every agency below it, ranked (supervisors)")]
CSV = "text/csv"
# Threads kept for the life of the process: each keeps its own connection (SQLite) or borrows
# one from the views' pool (PostgreSQL, LIANDONG_POSTGRES_POOL_SIZE, 8 by default).
FIGURES = ThreadPoolExecutor(max_workers=4, thread_name_prefix="assessment")
PDF = "application/pdf"
CSV_COLUMNS = ("agency", "name", "period", "duty", "title", "due", "on_time", "share", "weight")


def period_of(text: str) -> Period:
    try:
        return parse_period(text)
    except ValueError as error:
        raise ApiProblem(422, "assessment.period_invalid", str(error)) from None


def weights_of(settings: Settings) -> Weights:
    configured = bool(settings.assessment_weights)
    chosen = settings.assessment_weights if configured else DEFAULT_WEIGHTS
    return Weights(chosen, settings.assessment_red_penalty, configured)


@router.get(
    "/assessment",
    response_model=Assessment,
    dependencies=[ReadYourWrites],
    responses={200: {"content": {CSV: {"schema": {"type": "string"}}}}},
)
def assessment(
    request: Request,
    actor: ActorDep,
    container: ContainerDep,
    period: PeriodParam,
    agency: AgencyParam = None,
    below: Below = False,
) -> Any:
    """An agency's duties in the period: due, on time, the share, the weight; its warnings;
    its score. `below=true`: the same for every agency below it, ranked by score."""
    chosen = period_of(period)
    answer = _answer(container, actor, chosen, agency, below)
    if CSV in request.headers.get("accept", ""):
        rows = answer["below"] if below else [answer]
        return _csv(rows, chosen, f"assessment-{chosen.label}-{answer['agency']['code']}.csv")
    return Assessment.model_validate(answer)


@router.get(
    "/assessment/report.pdf",
    response_class=Response,
    dependencies=[ReadYourWrites],
    responses={200: {"content": {PDF: {"schema": {"type": "string", "format": "binary"}}}}},
)
def assessment_report(
    actor: ActorDep,
    container: ContainerDep,
    period: PeriodParam,
    agency: AgencyParam = None,
    below: Below = False,
) -> Response:
    """The assessment as a report in Chinese (PDF): its tables, the on-time shares and the
    warnings per month as charts, and with `below=true` the agencies below it ranked."""
    chosen = period_of(period)
    answer = _answer(container, actor, chosen, agency, below)
    name = f"assessment-{chosen.label}-{answer['agency']['code']}.pdf"
    return Response(
        render(Assessment.model_validate(answer).model_dump(mode="json", by_alias=True)),
        media_type=PDF,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _answer(
    container: Container, actor: Actor, period: Period, agency: str | None, below: bool
) -> dict[str, Any]:
    code = container.app.access.agency_in_view(actor, agency)
    shown = [code]
    if below:
        if not actor.has_role(*OVERSIGHT_ROLES):
            raise ApiProblem(
                403,
                "assessment.not_a_supervisor",
                "the agencies below are for their heads and supervisors",
            )
        shown += [c for c in container.app.directory.below(code) if c != code]
    summaries = _summaries(container, shown, period)
    answer = dict(summaries[0], period=_period(period))
    if below:
        answer["below"] = ranked(summaries[1:])
    return answer


@router.get("/assessment/items", response_model=ItemsPage, dependencies=[ReadYourWrites])
def assessment_items(
    actor: ActorDep,
    container: ContainerDep,
    period: PeriodParam,
    duty: Annotated[DutyName, Query(description="the duty whose figure to open")],
    agency: AgencyParam = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> ItemsPage:
    """The items behind one figure: each resource and limit, when due, when met, on time or
    not, soonest due first."""
    chosen = period_of(period)
    code = container.app.access.agency_in_view(actor, agency)
    page = (int(cursor) if cursor else 0, limit)
    with container.views_db.reading() as db:
        found = items(db, container.view, DUTY[duty], code, chosen, container.app.clock(), page)
    answer = {"agency": code, "duty": duty, "period": _period(chosen), "items": found}
    return ItemsPage.model_validate(dict(answer, next_cursor=next_cursor(found, limit)))


def _summaries(container: Container, codes: list[str], period: Period) -> list[dict[str, Any]]:
    weights = weights_of(container.settings)
    # The duties' statements side by side, each an aggregate over a view's rows.
    now = container.app.clock()
    counted = figures(container.views_db.reading, container.view, codes, period, now, FIGURES.map)
    with container.views_db.reading() as db:
        warned = warnings_of(container.view(WarningView), db, codes, period)
    return [
        dict(summary(counted[c], weights, warned[c]), agency=_agency(container, c)) for c in codes
    ]


def _agency(container: Container, code: str) -> dict[str, str]:
    entry = container.app.directory.agency(code)
    assert entry is not None
    return {"code": code, "name": entry.name}


def _period(period: Period) -> dict[str, str]:
    return {"label": period.label, "from": period.first.isoformat(), "to": period.last.isoformat()}


def _csv(summaries: list[dict[str, Any]], period: Period, filename: str) -> Response:
    """One row per agency and duty, UTF-8 with a BOM so that Excel reads the Chinese."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in summaries:
        agency = entry["agency"]
        for figure in entry["duties"]:
            share = "" if figure["share"] is None else figure["share"]
            row = [agency["code"], agency["name"], period.label, figure["duty"], figure["title"]]
            writer.writerow([*row, figure["due"], figure["on_time"], share, figure["weight"]])
    return Response(
        "\ufeff" + out.getvalue(),
        media_type=f"{CSV}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
