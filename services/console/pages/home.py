"""Home: what needs this person now, each item a link to the page where it is done."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from services.console.api import Api
from services.console.app import ApiDep, Who, console_path
from services.console.labels import COLOURS, KINDS, deadline_label, when
from services.console.pages.common import Item
from services.console.render import agency_name, page

router = APIRouter(prefix="/console", include_in_schema=False)
SHOWN = 20  # items per heading; the section's own list has the rest


@dataclass
class Heading:
    title: str
    more: str  # the section's list, where the rest are
    items: list[tuple[str, str, str]] = field(default_factory=list)  # (link, what, when due)


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, who: Who, api: ApiDep, after: int | None = None) -> HTMLResponse:
    headings = [
        await _incoming(request, api, after),
        await _approvals(api, after),
        await _meetings(request, api, after),
        await _crime_transfers(api, after),
        await _warnings(api, after),
    ]
    return page(request, "home.html", "待办事项", who, section="home", headings=headings)


async def _incoming(request: Request, api: Api, after: int | None) -> Heading:
    heading = Heading("待签收、待决定的移送与协助", "/console/referrals?box=inbox")
    for status, what in (("sent", "待签收"), ("acknowledged", "待决定")):
        answer = await api.get("/v1/inbox", status=status, limit=SHOWN, min_position=after)
        for r in answer.body["items"] if answer.ok else []:
            due = _first_due(r)
            text = f"{what}：{r['summary']}（{agency_name(request, r['counterpart'])}）"
            heading.items.append((f"/console/referrals/{r['id']}", text, due))
    return heading


async def _approvals(api: Api, after: int | None) -> Heading:
    """Cases awaiting approval whose next signature is this person's: the case's open acts say."""
    heading = Heading("待我审核审批的案件", "/console/cases?status=awaiting_approval")
    answer = await api.get("/v1/cases", status="awaiting_approval", limit=SHOWN, min_position=after)
    for case in answer.body["items"] if answer.ok else []:
        acts = await api.get(f"/v1/cases/{case['id']}/acts")
        if acts.ok and acts.body["acts"]:
            text = f"{case.get('number') or case['summary']}：{case['party']['name']}"
            heading.items.append((f"/console/cases/{case['id']}", text, ""))
    return heading


async def _meetings(request: Request, api: Api, after: int | None) -> Heading:
    heading = Heading("待回复的会议、待确认的纪要、督办事项", "/console/meetings")
    answer = await api.get("/v1/meetings", limit=100, min_position=after)
    for m in answer.body["items"] if answer.ok else []:
        need = _meeting_need(m)
        if need:
            topics = "；".join(m.get("topics") or [])
            text = f"{need}：{topics}（{agency_name(request, m['convener'])}）"
            heading.items.append((f"/console/meetings/{m['id']}", text, when(m.get("starts_at"))))
    del heading.items[SHOWN:]
    return heading


def _meeting_need(m: Item) -> str | None:
    if m["status"] in ("cancelled", "concluded"):
        return None
    if m.get("role") == "invitee" and m.get("answer") is None and not m.get("minutes_received"):
        return "待回复"
    if m.get("minutes_received") and not m.get("minutes_acknowledged"):
        return "待确认纪要"
    if m.get("follow_ups_open"):
        return "督办事项待办"
    return None


async def _crime_transfers(api: Api, after: int | None) -> Heading:
    heading = Heading("涉嫌犯罪移送的待办步骤", "/console/crime-transfers")
    answer = await api.get("/v1/crime-transfers", limit=100, min_position=after)
    for t in answer.body["items"] if answer.ok else []:
        for step in (s for s in t["steps"] if s["name"] in t["pending"]):
            case = t["case"].get("number") or t["case"].get("summary")
            text = f"{deadline_label(step['name'])}：{case}"
            heading.items.append(
                (f"/console/crime-transfers/{t['id']}", text, when(step.get("due_at")))
            )
    del heading.items[SHOWN:]
    return heading


async def _warnings(api: Api, after: int | None) -> Heading:
    heading = Heading("时限预警", "/console/supervision/warnings")
    answer = await api.get("/v1/warnings", limit=SHOWN, min_position=after)
    for w in answer.body["items"] if answer.ok else []:
        colour, kind = COLOURS.get(w["colour"], w["colour"]), KINDS.get(w["resource"]["kind"], "")
        text = f"{colour}：{deadline_label(w['name'])}（{kind}）"
        heading.items.append((console_path(w["resource"]["link"]), text, when(w["due_at"])))
    return heading


def _first_due(referral: Item) -> str:
    open_ones = [d for d in referral.get("deadlines") or [] if not d.get("met_at")]
    return when(open_ones[0]["due_at"]) if open_ones else ""
