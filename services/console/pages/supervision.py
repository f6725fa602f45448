"""Supervision: time-limit warnings by agency, the yearly assessment with its chart and its
report, and the audit trail of one resource with each event's proof checked."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.console import proofs
from services.console.app import ApiDep, Who, console_path
from services.console.labels import COLOURS, KINDS, deadline_label, when
from services.console.pages.common import Column, Filter, Item, Listing, listing_page
from services.console.render import agency_name, page, problem_page

router = APIRouter(prefix="/console/supervision", include_in_schema=False)


def _tabs(current: str) -> list[tuple[str, str, bool]]:
    shown = (("warnings", "时限预警"), ("assessment", "考核评估"))
    return [(f"/console/supervision/{t}", label, t == current) for t, label in shown]


def _listing(request: Request) -> Listing:
    names: dict[str, str] = getattr(request.state, "agency_names", {})
    return Listing(
        section="supervision",
        title="时限预警",
        api_path="/v1/warnings",
        columns=(
            Column("时限", lambda w: f"{deadline_label(w['name'])}（{w['rule']}）"),
            Column("预警", lambda w: COLOURS.get(w["colour"], w["colour"])),
            Column("责任单位", lambda w: agency_name(request, w["agency"])),
            Column("到期", lambda w: when(w["due_at"])),
            Column("预警时间", lambda w: when(w["raised_at"])),
        ),
        link=lambda w: console_path(w["resource"]["link"]),
        filters=(
            Filter("colour", "预警", list(COLOURS.items())),
            Filter("agency", "单位", sorted(names.items())),
        ),
    )


@router.get("", response_class=HTMLResponse)
@router.get("/warnings", response_class=HTMLResponse)
async def warnings(request: Request, who: Who, api: ApiDep) -> HTMLResponse:
    return await listing_page(request, who, api, _listing(request), _tabs("warnings"))


def _period(request: Request, clock_year: int) -> str:
    return request.query_params.get("period") or str(clock_year)


@router.get("/assessment", response_class=HTMLResponse)
async def assessment(request: Request, who: Who, api: ApiDep) -> HTMLResponse:
    period = _period(request, request.app.state.container.app.clock().year)
    asked = {"period": period, "agency": request.query_params.get("agency"), "below": "true"}
    answer = await api.get("/v1/assessment", **asked)
    if answer.status == 403:  # not a supervisor: one's own agency alone
        answer = await api.get("/v1/assessment", period=period, agency=asked["agency"])
    if not answer.ok:
        return problem_page(request, who, answer, back="/console/supervision")
    report = "/console/supervision/assessment/report.pdf?" + str(
        request.query_params or f"period={period}"
    )
    return page(
        request,
        "assessment.html",
        "考核评估",
        who,
        section="supervision",
        tabs=_tabs("assessment"),
        result=answer.body,
        period=period,
        chart=_chart(answer.body),
        report=report,
    )


def _chart(result: Item) -> dict[str, Any]:
    """The figures the page's chart draws: each duty's on-time share, and agencies' scores."""
    ranked = result.get("below") or []
    return {
        "duties": [d["title"] for d in result["duties"]],
        "shares": [
            None if d["share"] is None else round(d["share"] * 100, 1) for d in result["duties"]
        ],
        "agencies": [r["agency"]["name"] for r in ranked],
        "scores": [r["score"] for r in ranked],
    }


@router.get("/assessment/report.pdf")
async def report(request: Request, who: Who, api: ApiDep) -> Response:
    """The API's report, passed on as it is, or the page of its refusal."""
    answer = await api.raw("/v1/assessment/report.pdf", **dict(request.query_params))
    if answer.status_code != 200:
        return problem_page(
            request, who, proofs.answer_of(answer), back="/console/supervision/assessment"
        )
    headers = {"Content-Disposition": answer.headers.get("content-disposition", "attachment")}
    return Response(answer.content, media_type="application/pdf", headers=headers)


@router.get("/audit/{kind}/{resource_id}", response_class=HTMLResponse)
async def audit(
    request: Request, kind: str, resource_id: UUID, who: Who, api: ApiDep
) -> HTMLResponse:
    if kind not in KINDS:
        return problem_page(request, who, proofs.not_found(), back="/console/supervision")
    now = datetime.now(UTC).isoformat()  # the trail as it stands, read as the API records it
    answer = await api.get(f"/v1/audit/{kind}/{resource_id}", as_of=now)
    if not answer.ok:
        return problem_page(request, who, answer, back="/console/supervision")
    checked = await proofs.check(api, answer.body["events"])
    return page(
        request,
        "audit.html",
        "审计记录",
        who,
        section="supervision",
        trail=answer.body,
        checked=checked,
        kind=kind,
        kind_label=KINDS[kind],
    )
