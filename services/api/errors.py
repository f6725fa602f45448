"""Every error leaves as application/problem+json (RFC 9457) with a stable `code`."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.errors import DomainError, ErrorKind

log = logging.getLogger(__name__)

PROBLEM = "application/problem+json"
STATUS_BY_KIND = {
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.CONFLICT: 409,
    ErrorKind.INVALID: 422,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.PRECONDITION: 412,
}
TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    500: "Internal error",
    503: "Service unavailable",
}


class ApiProblem(Exception):
    """A problem raised by the HTTP layer itself (authentication, headers, waiting)."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra or {}


def problem(
    status: int, code: str, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body = {
        "type": f"urn:liandong:problem:{code}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain)  # type: ignore[arg-type]
    app.add_exception_handler(ApiProblem, _api)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)


async def _domain(request: Request, error: DomainError) -> JSONResponse:
    return problem(STATUS_BY_KIND[error.kind], error.code, error.detail)


async def _api(request: Request, error: ApiProblem) -> JSONResponse:
    return problem(error.status, error.code, error.detail, error.headers, **error.extra)


async def _validation(request: Request, error: RequestValidationError) -> JSONResponse:
    fields = [
        {"location": list(e["loc"]), "message": e["msg"], "type": e["type"]} for e in error.errors()
    ]
    return problem(422, "request.invalid", "the request does not fit its schema", errors=fields)


async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
    if error.status_code == 400:  # a body that is not JSON at all: bad input like any other
        return problem(422, "request.invalid", f"the body could not be read: {error.detail}")
    code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http.error")
    return problem(error.status_code, code, str(error.detail), getattr(error, "headers", None))


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return problem(500, "internal", "an unexpected error occurred; it has been logged")
