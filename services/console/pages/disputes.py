"""Jurisdiction disputes: the list, and one dispute with its ladder, positions and acts."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from services.console.app import ApiDep, Who
from services.console.labels import RUNGS, status_label, when
from services.console.pages.common import (
    Column,
    Fact,
    Filter,
    Item,
    Listing,
    listing_page,
    resource_page,
)
from services.console.render import agency_name

router = APIRouter(prefix="/console/disputes", include_in_schema=False)


def _parties(request: Request, dispute: Item) -> str:
    return "、".join(agency_name(request, p) for p in dispute["parties"])


def _listing(request: Request) -> Listing:
    return Listing(
        section="disputes",
        title="争议协调",
        api_path="/v1/disputes",
        columns=(
            Column("争议事项", lambda d: d["matter"]),
            Column("争议各方", lambda d: _parties(request, d)),
            Column("当前层级", lambda d: RUNGS.get(d["rung"], d["rung"])),
            Column("状态", lambda d: status_label(d["status"])),
            Column("提起时间", lambda d: when(d["opened_at"])),
        ),
        link=lambda d: f"/console/disputes/{d['id']}",
        filters=(Filter("status", "状态", [(s, status_label(s)) for s in ("open", "decided")]),),
    )


@router.get("", response_class=HTMLResponse)
async def disputes(request: Request, who: Who, api: ApiDep) -> HTMLResponse:
    return await listing_page(request, who, api, _listing(request))


def _facts(request: Request, doc: Item) -> list[Fact]:
    referral = doc.get("referral_id")
    return [
        Fact("状态", status_label(doc["status"])),
        Fact("争议各方", _parties(request, doc)),
        Fact("理由", doc.get("grounds")),
        Fact("争议期间的处置", doc.get("interim")),
        Fact("移送函", "查看移送函" if referral else None, f"/console/referrals/{referral}"),
        Fact("提起", f"{(doc.get('opened_by') or {}).get('name', '')} {when(doc['opened_at'])}"),
    ]


@router.get("/{dispute_id}", response_class=HTMLResponse)
async def one(
    request: Request, dispute_id: UUID, who: Who, api: ApiDep, after: int | None = None
) -> HTMLResponse:
    return await resource_page(
        request,
        who,
        api,
        f"/v1/disputes/{dispute_id}",
        "disputes",
        after,
        facts=lambda doc: _facts(request, doc),
        title=lambda doc: doc.get("matter") or "争议",
        parts=("ladder", "decision"),
    )
