"""Cases: the unit's list, one case with its approvals and acts, registering a new one."""

from __future__ import annotations

from fastapi import APIRouter, Request

from services.console.labels import STEPS, status_label, when
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

router = APIRouter(prefix="/console/cases", include_in_schema=False)
REGISTER = Create("cases", "登记案件", "/v1/cases", "register_case", "/console/cases")
PROCEDURES = (("general", "一般程序"), ("summary", "简易程序"))
STATUSES = ("registered", "awaiting_approval", "filed", "decided", "reported", "closed")


def _listing(request: Request) -> Listing:
    return Listing(
        section="cases",
        title="案件",
        api_path="/v1/cases",
        columns=(
            Column("案号 / 案由", lambda c: c.get("number") or c["summary"]),
            Column("当事人", lambda c: (c.get("party") or {}).get("name")),
            Column("程序", lambda c: dict(PROCEDURES).get(c["procedure"], c["procedure"])),
            Column("承办单位", lambda c: agency_name(request, c["handling_unit"])),
            Column("状态", lambda c: status_label(c["status"])),
            Column("登记时间", lambda c: when(c.get("registered_at"))),
        ),
        link=lambda c: f"/console/cases/{c['id']}",
        filters=(
            Filter("status", "状态", [(s, status_label(s)) for s in STATUSES]),
            Filter("procedure", "程序", PROCEDURES),
            Filter("overdue", "仅超期"),
        ),
        create=REGISTER,
    )


def _facts(request: Request, doc: Item) -> list[Fact]:
    return [
        Fact("案号", doc.get("number")),
        Fact("状态", status_label(doc["status"])),
        Fact("办案环节", STEPS.get(doc["step"], doc["step"])),
        Fact("程序", dict(PROCEDURES).get(doc["procedure"], doc["procedure"])),
        Fact("案由", doc.get("summary")),
        Fact("当事人", (doc.get("party") or {}).get("name")),
        Fact("违法地点", (doc.get("place") or {}).get("address")),
        Fact("发生时间", when(doc.get("occurred_at"))),
        Fact("承办单位", agency_name(request, doc.get("handling_unit"))),
        Fact("登记时间", when(doc.get("registered_at"))),
        Fact("审计记录", "查看与核验", f"/console/supervision/audit/case/{doc['id']}"),
        Fact("移送", _refer(doc), f"/console/referrals/new?case={doc['id']}"),
    ]


def _refer(doc: Item) -> str | None:
    """Another agency's matter found in a case is referred from it, while the case is open."""
    return None if doc["status"] == "closed" else "移送此案（起草移送函）"


SECTION = Section(
    "cases",
    _listing,
    _facts,
    title=lambda doc: doc.get("number") or doc.get("summary") or "案件",
    parts=("approval", "forms", "documents", "evidence"),
    create=REGISTER,
)
add_pages(router, SECTION)
