"""The methods a path allows: OPTIONS answers them (204), and a 405 names them all in Allow.

The router answers 405 with the methods of the first route whose path matched, though several
routes may share a path (GET and POST /v1/agencies are two routes)."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

METHODS = ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")


class AllowedMethods:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS" and (methods := allowed_methods(scope)):
            await Response(status_code=204, headers={"Allow": allow(methods)})(scope, receive, send)
            return

        async def send_with_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                headers = [(k, v) for k, v in message["headers"] if k.lower() != b"allow"]
                header = (b"allow", allow(allowed_methods(scope)).encode())
                message = {**message, "headers": [*headers, header]}
            await send(message)

        await self.app(scope, receive, send_with_allow)


def allowed_methods(scope: Scope) -> set[str]:
    """Every method some route of the app serves at the request's path."""
    routes = scope["app"].router.routes
    return {
        method
        for method in METHODS
        if any(route.matches({**scope, "method": method})[0] is Match.FULL for route in routes)
    }


def allow(methods: set[str]) -> str:
    return ", ".join(sorted(methods | {"OPTIONS"}))
