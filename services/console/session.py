"""The console's session: the person's API token in an HttpOnly, SameSite=Strict cookie that
lapses with the token, and a CSRF token bound to it for every form that changes anything."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

import jwt
from fastapi import Request, Response

COOKIE = "liandong_session"
SIGN_IN_COOKIE = "liandong_sign_in"  # the sign-in form's own CSRF token, before a session
PATH = "/console"


@dataclass(frozen=True)
class Session:
    token: str
    officer: str
    agency: str
    roles: tuple[str, ...]
    expires_at: int
    csrf: str = ""


def _console_key(request: Request) -> bytes:
    """The key that binds CSRF tokens to sessions. Several processes behind one address share
    LIANDONG_CONSOLE_SECRET; one process alone makes its own when first asked."""
    state = request.app.state
    if getattr(state, "console_key", None) is None:
        secret = state.container.settings.console_secret
        given = secret.get_secret_value() if secret else ""
        shared = hashlib.sha256(given.encode()).digest()
        state.console_key = shared if given else secrets.token_bytes(32)
    key: bytes = state.console_key
    return key


def _csrf_for(request: Request, token: str) -> str:
    return hmac.new(_console_key(request), token.encode(), hashlib.sha256).hexdigest()


def current(request: Request) -> Session | None:
    """The session the request's cookie holds, unless its token has lapsed. The token's
    signature is the API's to check, on every call the console makes with it."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    expires_at = int(claims.get("exp") or 0)
    if expires_at <= time.time():
        return None
    roles = claims.get("roles") or []
    return Session(
        token,
        str(claims.get("sub", "")),
        str(claims.get("agency", "")),
        tuple(str(r) for r in roles) if isinstance(roles, list) else (),
        expires_at,
        _csrf_for(request, token),
    )


def csrf_matches(session: Session, sent: str | None) -> bool:
    return bool(sent) and hmac.compare_digest(session.csrf, str(sent))


def start(response: Response, request: Request, token: str, expires_at: int) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=max(0, expires_at - int(time.time())),
        path=PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    response.delete_cookie(SIGN_IN_COOKIE, path=PATH)


def end(response: Response) -> None:
    response.delete_cookie(COOKIE, path=PATH)


def sign_in_csrf(request: Request) -> str:
    """The sign-in form's token: kept in a cookie of its own and sent back with the form."""
    return request.cookies.get(SIGN_IN_COOKIE) or secrets.token_urlsafe(24)


def keep_sign_in_csrf(response: Response, request: Request, value: str) -> None:
    response.set_cookie(
        SIGN_IN_COOKIE,
        value,
        max_age=3600,
        path=PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def sign_in_csrf_matches(request: Request, sent: str | None) -> bool:
    kept = request.cookies.get(SIGN_IN_COOKIE)
    return bool(kept) and bool(sent) and hmac.compare_digest(str(kept), str(sent))
