"""Request bodies: a /v1 body is not read without a valid bearer token, and none is read past
LIANDONG_MAX_BODY_BYTES (413), whether or not it declares its length."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.api.deps import VERIFIED, keys_unavailable, unauthorized, verified
from services.api.errors import ApiProblem, problem
from services.tokens import KeysUnavailable, TokenInvalid, TokenVerifier


class BodyTooLarge(Exception):
    """Raised into the app once its body passes the limit; the middleware answers 413."""


class BodyLimit:
    """Pure ASGI middleware: it answers refusals itself, before the app sees the request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = headers_of(scope) if scope["type"] == "http" else {}
        if not has_body(headers):
            await self.app(scope, receive, send)
            return
        container = scope["app"].state.container
        limit = container.settings.max_body_bytes
        refusal = await refuse(scope, headers, container.verifier, limit)
        if refusal is not None:
            await answer(refusal, scope, receive, send)
            return
        await run_counted(self.app, scope, CountedReceive(receive, limit), send)


def headers_of(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def has_body(headers: dict[str, str]) -> bool:
    return "transfer-encoding" in headers or headers.get("content-length", "0").strip() != "0"


async def refuse(
    scope: Scope, headers: dict[str, str], verifier: TokenVerifier, limit: int
) -> ApiProblem | None:
    """The answer to give without reading the body, if any: no valid token, or too long. A
    token found valid is kept in the request's state, so it is not verified twice."""
    if scope["path"].startswith("/v1"):
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return unauthorized("auth.token_missing", "a bearer token is required")
        try:
            claims = await verified(verifier, token.strip())
        except TokenInvalid as error:
            return unauthorized(error.code, error.detail)
        except KeysUnavailable:
            return keys_unavailable()
        scope.setdefault("state", {})[VERIFIED] = (token.strip(), claims)
    declared = headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > limit:
        return too_large(limit)
    return None


def too_large(limit: int) -> ApiProblem:
    return ApiProblem(413, "request.too_large", f"request bodies may have at most {limit} bytes")


async def answer(refusal: ApiProblem, scope: Scope, receive: Receive, send: Send) -> None:
    response = problem(refusal.status, refusal.code, refusal.detail, refusal.headers)
    await response(scope, receive, send)


class CountedReceive:
    """Passes the body on while it stays within the limit; past it, stops reading."""

    def __init__(self, receive: Receive, limit: int) -> None:
        self.receive = receive
        self.limit = limit
        self.received = 0
        self.exceeded = False

    async def __call__(self) -> Message:
        if self.exceeded:
            return {"type": "http.disconnect"}
        message = await self.receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limit:
                self.exceeded = True
                raise BodyTooLarge
        return message


async def run_counted(app: ASGIApp, scope: Scope, receive: CountedReceive, send: Send) -> None:
    """Runs the app; once the body proved too long, the app's own answer gives way to a 413."""
    started = False

    async def guarded_send(message: Message) -> None:
        nonlocal started
        if receive.exceeded:
            return
        started = started or message["type"] == "http.response.start"
        await send(message)

    try:
        await app(scope, receive, guarded_send)
    except Exception:
        if not receive.exceeded:
            raise
    if receive.exceeded and not started:
        await answer(too_large(receive.limit), scope, receive, send)
