"""Jurisdiction disputes: the list, and one dispute with its ladder, positions and acts."""

from __future__ import annotations

from fastapi import APIRouter, Request

from services.console.labels import RUNGS, status_label, when
from services.console.pages.common import (
    Column,
    Fact,
    Filter,
    Item,
    Listing,
)
from services.console.pages.section import Section, add_pages
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


SECTION = Section(
    "disputes",
    _listing,
    _facts,
    title=lambda doc: doc.get("matter") or "争议",
    parts=("ladder", "decision"),
)
add_pages(router, SECTION)
