"""Transfers of suspected crimes to public security: the log, and one transfer with its steps."""

from __future__ import annotations

from fastapi import APIRouter, Request

from services.console.labels import deadline_label, option_label, status_label, when
from services.console.pages.common import (
    Column,
    Fact,
    Filter,
    Item,
    Listing,
)
from services.console.pages.section import Section, add_pages
from services.console.render import agency_name

router = APIRouter(prefix="/console/crime-transfers", include_in_schema=False)
STATUSES = ("reported", "approved", "sent", "received", "filed", "not_filed", "handed_over")


def _pending(transfer: Item) -> str:
    """The steps it waits for now, each with when it falls due."""
    waiting = (s for s in transfer["steps"] if s["name"] in transfer["pending"])
    return "；".join(f"{deadline_label(s['name'])} {when(s['due_at'])}" for s in waiting)


def _listing(request: Request) -> Listing:
    return Listing(
        section="crime-transfers",
        title="涉嫌犯罪案件移送",
        api_path="/v1/crime-transfers",
        columns=(
            Column("案件", lambda t: t["case"].get("number") or t["case"].get("summary")),
            Column("罪名类别", lambda t: option_label(t["category"])),
            Column("公安机关", lambda t: agency_name(request, t["public_security"])),
            Column("状态", lambda t: status_label(t["status"])),
            Column("待办步骤", _pending),
        ),
        link=lambda t: f"/console/crime-transfers/{t['id']}",
        filters=(
            Filter("status", "状态", [(s, status_label(s)) for s in STATUSES]),
            Filter("overdue", "仅超期"),
        ),
    )


def _facts(request: Request, doc: Item) -> list[Fact]:
    case = doc.get("case") or {}
    return [
        Fact("状态", status_label(doc["status"])),
        Fact("案件", case.get("number") or case.get("summary"), f"/console/cases/{case.get('id')}"),
        Fact("罪名类别", option_label(doc.get("category"))),
        Fact("涉嫌犯罪事实", doc.get("facts")),
        Fact("移送单位", agency_name(request, doc.get("agency"))),
        Fact("公安机关", agency_name(request, doc.get("public_security"))),
        Fact("检察机关", agency_name(request, doc.get("procuratorate"))),
    ]


SECTION = Section(
    "crime-transfers",
    _listing,
    _facts,
    title=lambda doc: (doc.get("case") or {}).get("summary") or "涉嫌犯罪案件移送",
    parts=("steps", "materials"),
)
add_pages(router, SECTION)
