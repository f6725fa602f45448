"""The console's routes that every page shares: signing in and out, taking an act, the static
files, and the redirect to sign-in when a session lapses."""

from __future__ import annotations

from typing import Annotated, Any

import httpx
import jwt
from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from services import demo
from services.console import forms, session
from services.console.api import Answer, Api, SignedOut
from services.console.render import HERE, TITLES, page, problem_page
from services.console.session import Session
from services.tokens import mint

PATH = "/console"
STATIC = f"{PATH}/static"
router = APIRouter(prefix=PATH, include_in_schema=False)
SIGN_IN = f"{PATH}/signin"


class NotSignedIn(Exception):
    pass


async def signed_in(request: Request) -> Session:
    found = session.current(request)
    if found is None:
        raise NotSignedIn()
    return found


async def api_for(request: Request, who: Annotated[Session, Depends(signed_in)]) -> Api:
    api = Api(request.app, who)
    await _know_the_register(request, api)
    return api


def _know_agency_names(request: Request) -> None:
    directory = request.app.state.container.app.directory
    request.state.agency_names = {a.code: a.name for a in directory.agencies.values()}


async def _know_the_register(request: Request, api: Api) -> None:
    """Agency names and the person's own name, for every page's words."""
    _know_agency_names(request)
    me = await api.get(f"/v1/officers/{api.session.officer}")
    if me.ok:
        request.state.me_name = me.body.get("name")


Who = Annotated[Session, Depends(signed_in)]
ApiDep = Annotated[Api, Depends(api_for)]


def install(app: FastAPI) -> None:
    from services.console import pages  # the pages' routers, each on its own section

    app.mount(STATIC, StaticFiles(directory=HERE / "static"), name="console-static")
    app.include_router(router)
    for section in pages.ROUTERS:
        app.include_router(section)
    app.add_exception_handler(NotSignedIn, _to_sign_in)
    app.add_exception_handler(SignedOut, _expired)
    for error in (RequestValidationError, StarletteHTTPException):
        app.add_exception_handler(error, _as_a_page(app.exception_handlers[error]))


def _as_a_page(api_handler: Any) -> Any:
    """A console address that is not a page (an unknown path, an id that is none) is the
    console's own "not found" page; the API's addresses keep their problem+json."""

    async def handle(request: Request, error: Exception) -> Response:
        if not request.url.path.startswith(f"{PATH}/") or request.url.path.startswith(STATIC):
            return await api_handler(request, error)
        _know_agency_names(request)
        answer = Answer(404, {"detail": "没有这个页面，或链接有误"}, httpx.Headers())
        return problem_page(request, session.current(request), answer)

    return handle


async def _to_sign_in(request: Request, error: Exception) -> Response:
    return RedirectResponse(SIGN_IN, status_code=303)


async def _expired(request: Request, error: Exception) -> Response:
    response = RedirectResponse(f"{SIGN_IN}?expired=1", status_code=303)
    session.end(response)
    return response


# Signing in ----------------------------------------------------------------------------


def _demo_officers(request: Request) -> list[dict[str, Any]]:
    """The demo district's officers, offered only where the service mints the demo's tokens."""
    container = request.app.state.container
    if not (container.settings.embedded and demo.is_seeded(container.app)):
        return []
    return [
        {"id": o, "name": name, "agency": agency, "roles": [str(r) for r in roles]}
        for o, name, agency, roles, _ in demo.OFFICERS
    ]


@router.get("/signin", response_class=HTMLResponse)
async def sign_in_page(request: Request, expired: bool = False) -> Response:
    csrf = session.sign_in_csrf(request)
    _know_agency_names(request)
    officers = _demo_officers(request)
    shown = page(request, "signin.html", "登录", None, demo=officers, csrf=csrf, expired=expired)
    session.keep_sign_in_csrf(shown, request, csrf)
    return shown


@router.post("/signin/demo")
async def sign_in_as_demo(
    request: Request, officer: Annotated[str, Form()], csrf: Annotated[str, Form()] = ""
) -> Response:
    chosen = {o["id"]: o for o in _demo_officers(request)}.get(officer)
    if chosen is None or not session.sign_in_csrf_matches(request, csrf):
        return RedirectResponse(SIGN_IN, status_code=303)
    secret = request.app.state.container.settings.signing_secret()
    token = mint(secret, officer=officer, agency=chosen["agency"], roles=chosen["roles"])
    return _started(request, token)


@router.post("/signin")
async def sign_in_with_token(
    request: Request, token: Annotated[str, Form()], csrf: Annotated[str, Form()] = ""
) -> Response:
    token = token.strip()
    if not session.sign_in_csrf_matches(request, csrf):
        return RedirectResponse(SIGN_IN, status_code=303)
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
        officer = str(claims["sub"])
    except (jwt.PyJWTError, KeyError):
        return _refused_token(request, "令牌格式不正确")
    who = Session(token, officer, str(claims.get("agency", "")), (), int(claims.get("exp", 0)))
    try:
        answer = await Api(request.app, who).get(f"/v1/officers/{officer}")
    except SignedOut:
        return _refused_token(request, "令牌无效或已过期")
    if not answer.ok:
        return problem_page(request, None, answer, back=SIGN_IN)
    return _started(request, token)


def _refused_token(request: Request, detail: str) -> Response:
    answer = Answer(401, {"detail": detail}, httpx.Headers())
    return problem_page(request, None, answer, back=SIGN_IN)


def _started(request: Request, token: str) -> Response:
    expires_at = int(jwt.decode(token, options={"verify_signature": False})["exp"])
    response = RedirectResponse("/console/", status_code=303)
    session.start(response, request, token, expires_at)
    return response


@router.post("/signout")
async def sign_out(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    response = RedirectResponse(SIGN_IN, status_code=303)
    found = session.current(request)
    if found is None or session.csrf_matches(found, csrf):
        session.end(response)
    return response


# Taking an act -------------------------------------------------------------------------


def console_path(api_path: str) -> str:
    """The page of an API resource: the console's routes mirror the API's."""
    return "/console/" + api_path.removeprefix("/v1/")


def _is_act(href: str) -> bool:
    return href.startswith("/v1/") and ".." not in href and "?" not in href


@router.post("/act")
async def take_act(request: Request, who: Who, api: ApiDep) -> Response:
    """Any act or create: the form's answers become the route's request, as its schema says;
    the API takes it or says why not."""
    form = {k: str(v) for k, v in (await request.form()).items()}
    back = form.get("_back") or "/console/"
    href = form.get("_href", "")
    if not session.csrf_matches(who, form.get("csrf")) or not _is_act(href):
        refusal = Answer(403, {"detail": "表单已失效，请刷新页面后重试"}, httpx.Headers())
        return _act_refused(request, who, refusal, back)
    schema = forms.request_schema(request.app, href)
    body = forms.body(form, forms.fields(schema)) if schema else None
    version = int(form["_version"]) if form.get("_version", "").isdigit() else None
    answer = await api.post(href, body, version)
    if not answer.ok:
        return _act_refused(request, who, answer, back)
    target = _after(answer, href, back)
    if request.headers.get("HX-Request"):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def _after(answer: Answer, href: str, back: str) -> str:
    """Where an act leads: back to its page, or to what a create made; read after its write."""
    made = answer.body if isinstance(answer.body, dict) else {}
    position = made.get("position")
    target = back
    if forms.is_create(href) and made.get("id"):
        target = console_path(f"{href}/{made['id']}")
    if position is None:
        return target
    glue = "&" if "?" in target else "?"
    return f"{target}{glue}after={position}"


def _act_refused(request: Request, who: Session, answer: Answer, back: str) -> Response:
    if request.headers.get("HX-Request"):  # shown in the form, beside the answers given
        problem = dict(answer.problem, title=TITLES.get(answer.status, "未能办理"))
        return page(request, "problem.html", "", who, problem=problem)
    return problem_page(request, who, answer, back)
