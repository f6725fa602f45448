"""Referrals and assistance: the inbox and the outbox, one referral with its acts, a new one."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from services.console.app import ApiDep, Who
from services.console.forms import local_minute
from services.console.labels import deadline_label, option_label, status_label, when
from services.console.pages.common import (
    Column,
    Create,
    Fact,
    Filter,
    Item,
    Listing,
    create_page,
    listing_page,
)
from services.console.pages.section import Section, add_pages
from services.console.render import agency_name, problem_page

router = APIRouter(prefix="/console/referrals", include_in_schema=False)
KINDS = (("jurisdiction", "案件移送"), ("assistance", "协助请求"))
STATUSES = ("draft", "approved", "sent", "acknowledged", "accepted", "rejected", "answered")
DRAFT = Create(
    "referrals", "起草移送函", "/v1/referrals", "draft_referral", "/console/referrals?box=outbox"
)
BOXES = {"inbox": ("收件箱", "移送单位"), "outbox": ("发件箱", "接收单位")}


def kind_label(kind: str) -> str:
    return option_label(kind)


def _open_deadlines(item: Item) -> str:
    return "；".join(
        f"{deadline_label(d['name'])} {when(d['due_at'])}"
        for d in item.get("deadlines", [])
        if not d.get("met_at")
    )


def _listing(request: Request, box: str) -> Listing:
    title, counterpart = BOXES[box]
    return Listing(
        section="referrals",
        title=title,
        api_path=f"/v1/{box}",
        columns=(
            Column("事项", lambda r: r["summary"] + ("（紧急）" if r.get("urgent") else "")),
            Column(counterpart, lambda r: agency_name(request, r["counterpart"])),
            Column("类别", lambda r: kind_label(r["kind"])),
            Column("状态", lambda r: status_label(r["status"])),
            Column("时限", _open_deadlines),
        ),
        link=lambda r: f"/console/referrals/{r['id']}",
        filters=(
            Filter("status", "状态", [(s, status_label(s)) for s in STATUSES]),
            Filter("kind", "类别", KINDS),
            Filter("overdue", "仅超期"),
        ),
        create=DRAFT,
    )


@router.get("", response_class=HTMLResponse)
async def boxes(
    request: Request, who: Who, api: ApiDep, box: Literal["inbox", "outbox"] = "inbox"
) -> HTMLResponse:
    tabs = [(f"/console/referrals?box={b}", BOXES[b][0], b == box) for b in BOXES]
    return await listing_page(request, who, api, _listing(request, box), tabs, {"box": box})


@router.get("/new", response_class=HTMLResponse)
async def new(request: Request, who: Who, api: ApiDep, case: UUID | None = None) -> HTMLResponse:
    """A new referral; from a case (`?case=`), with what the case already says filled in."""
    if case is None:
        return create_page(request, who, DRAFT)
    answer = await api.get(f"/v1/cases/{case}")
    if not answer.ok:
        return problem_page(request, who, answer, back="/console/cases")
    from_case = replace(DRAFT, back=f"/console/cases/{case}")
    return create_page(request, who, from_case, _from_case(answer.body))


def _from_case(case: Item) -> dict[str, str]:
    """The referral's answers a case gives: itself, its bureau, its summary and its place."""
    place = case.get("place") or {}
    found = case.get("occurred_at") or case.get("registered_at") or ""
    return {
        "case_id": str(case["id"]),
        "from_agency": case["agency"],
        "summary": case.get("summary") or "",
        "found_at": local_minute(found),
        "place.region": place.get("region") or "",
        "place.address": place.get("address") or "",
    }


def _facts(request: Request, doc: Item) -> list[Fact]:
    def unit(code: str | None) -> str | None:
        return agency_name(request, code) if code else None

    dispute = doc.get("dispute_id")
    case = doc.get("case_id")
    return [
        Fact("类别", kind_label(doc["kind"])),
        Fact("状态", status_label(doc["status"])),
        Fact("移送单位", unit(doc["from_agency"])),
        Fact("接收单位", unit(doc["to_agency"])),
        Fact("承办单位", unit(doc.get("handler"))),
        Fact("发现时间", when(doc.get("found_at"))),
        Fact("地点", (doc.get("place") or {}).get("address")),
        Fact("退回理由", doc.get("rejection")),
        Fact("争议协调", "查看争议" if dispute else None, f"/console/disputes/{dispute}"),
        Fact("案件", "查看案件" if case else None, f"/console/cases/{case}"),
    ]


SECTION = Section(
    "referrals",
    lambda request: _listing(request, "inbox"),
    _facts,
    title=lambda doc: doc.get("summary") or "移送函",
    parts=("materials",),
    create=DRAFT,
)
add_pages(router, SECTION)  # after the boxes and the draft from a case, which stand in
