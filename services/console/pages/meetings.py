"""Consultation and joint meetings: the tracker, one meeting with its answers, minutes and
follow-up items, and convening a new one."""

from __future__ import annotations

from fastapi import APIRouter, Request

from services.console.labels import status_label, when
from services.console.pages.common import (
    Column,
    Create,
    Fact,
    Filter,
    Item,
    Listing,
)
from services.console.pages.section import Section, add_pages
from services.console.render import agency_name

router = APIRouter(prefix="/console/meetings", include_in_schema=False)
CONVENE = Create("meetings", "召集会议", "/v1/meetings", "convene", "/console/meetings")
KINDS = (
    ("consultation", "会商"),
    ("joint_meeting", "联席会议"),
    ("joint_conference", "联席会商"),
    ("special_topic", "专题会议"),
    ("case_review", "案件会审"),
)
ROLES = {"convener": "召集", "invitee": "受邀"}
STATUSES = ("convened", "circulated", "held", "minutes_issued", "concluded", "cancelled")


def _kind(meeting: Item) -> str:
    kind: str = meeting["kind"]
    return dict(KINDS).get(kind, kind)


def _listing(request: Request) -> Listing:
    return Listing(
        section="meetings",
        title="会议",
        api_path="/v1/meetings",
        columns=(
            Column("议题", lambda m: "；".join(m.get("topics") or [])),
            Column("类别", _kind),
            Column("召集单位", lambda m: agency_name(request, m["convener"])),
            Column("时间", lambda m: when(m.get("starts_at"))),
            Column("我方", lambda m: ROLES.get(m.get("role") or "", m.get("role"))),
            Column("状态", lambda m: status_label(m["status"])),
        ),
        link=lambda m: f"/console/meetings/{m['id']}",
        filters=(
            Filter("kind", "类别", KINDS),
            Filter("status", "状态", [(s, status_label(s)) for s in STATUSES]),
            Filter("overdue", "仅超期"),
        ),
        create=CONVENE,
    )


def _facts(request: Request, doc: Item) -> list[Fact]:
    invitees = "、".join(agency_name(request, a) for a in doc.get("invitees") or [])
    return [
        Fact("类别", _kind(doc)),
        Fact("状态", status_label(doc["status"])),
        Fact("召集单位", agency_name(request, doc["convener"])),
        Fact("受邀单位", invitees),
        Fact("时间", when(doc.get("starts_at"))),
        Fact("地点", (doc.get("place") or {}).get("address")),
        Fact("召开时间", when(doc.get("held_at")) if doc.get("held_at") else None),
    ]


SECTION = Section(
    "meetings",
    _listing,
    _facts,
    title=lambda doc: "；".join(doc.get("topics") or []) or "会议",
    parts=("materials", "answers", "attendance", "minutes", "follow_ups"),
    create=CONVENE,
)
add_pages(router, SECTION)
