"""Drawing a page: the templates, what every page is given, and the pages for a problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from services.console import labels
from services.console.api import Answer
from services.console.session import Session

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
TITLES = {
    400: "请求有误",
    403: "无权办理",
    404: "未找到",
    409: "当前不能办理",
    412: "已被他人更新，请刷新后再办理",
    413: "内容过大",
    422: "填写有误",
    503: "服务暂时繁忙，请稍后再试",
}


def static(name: str) -> str:
    return f"/console/static/{name}"


def agency_name(request: Request, code: str | None) -> str:
    """An agency's name as the register holds it, its code where the register has no name."""
    names: dict[str, str] = getattr(request.state, "agency_names", {})
    return names.get(code or "", code or "")


def page(
    request: Request,
    template: str,
    title: str,
    session: Session | None,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    given = {
        "title": title,
        "session": session,
        "static": static,
        "when": labels.when,
        "status_label": labels.status_label,
        "act_label": labels.act_label,
        "rung_label": lambda name: labels.RUNGS.get(name, name),
        "option_label": labels.option_label,
        "deadline_label": labels.deadline_label,
        "event_label": labels.event_label,
        "rule_label": labels.rule_label,
        "form_label": lambda name: labels.FORMS.get(name, name),
        "document_label": lambda name: labels.DOCUMENTS.get(name, name),
        "agency_name": lambda code: agency_name(request, code),
        "agencies": getattr(request.state, "agency_names", {}),
        "me_name": getattr(request.state, "me_name", None),
        **context,
    }
    return templates.TemplateResponse(request, template, given, status_code=status)


def problem_page(
    request: Request, session: Session | None, answer: Answer, back: str = "/console/"
) -> HTMLResponse:
    """The API's refusal in words: its title for the status, and its own detail."""
    problem = dict(answer.problem)
    problem["title"] = TITLES.get(answer.status, "未能办理")
    status = answer.status if answer.status < 500 else 502
    return page(
        request, "error.html", problem["title"], session, status, problem=problem, back=back
    )
