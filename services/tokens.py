"""Bearer tokens (JWT): minted here for the embedded default, verified on every request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from domain.values import Role


class TokenInvalid(Exception):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Claims:
    officer: str
    agency: str
    roles: list[str]

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles


def mint(
    secret: str,
    *,
    officer: str,
    agency: str,
    roles: list[str],
    hours: float = 12,
    now: datetime | None = None,
) -> str:
    issued = now or datetime.now(UTC)
    claims = {
        "sub": officer,
        "agency": agency,
        "roles": roles,
        "iat": int(issued.timestamp()),
        "exp": int((issued + timedelta(hours=hours)).timestamp()),
    }
    return jwt.encode(claims, secret, algorithm="HS256")


class TokenVerifier:
    def __init__(self, key: str, algorithm: str = "HS256") -> None:
        self.key = key
        self.algorithm = algorithm

    def verify(self, token: str) -> Claims:
        try:
            claims: dict[str, Any] = jwt.decode(
                token, self.key, algorithms=[self.algorithm], options={"require": ["exp", "sub"]}
            )
        except jwt.ExpiredSignatureError:
            raise TokenInvalid("auth.token_expired", "the token has expired") from None
        except jwt.PyJWTError as error:
            raise TokenInvalid("auth.token_invalid", f"the token is not valid: {error}") from None
        return parse_claims(claims)


def parse_claims(claims: dict[str, Any]) -> Claims:
    officer, agency, roles = claims.get("sub"), claims.get("agency", ""), claims.get("roles", [])
    if not isinstance(officer, str) or not officer:
        raise TokenInvalid("auth.token_invalid", "the token names no officer (sub)")
    if not isinstance(agency, str) or not isinstance(roles, list):
        raise TokenInvalid("auth.token_invalid", "agency must be a string and roles a list")
    if not all(isinstance(r, str) for r in roles):
        raise TokenInvalid("auth.token_invalid", "roles must be strings")
    return Claims(officer=officer, agency=agency, roles=list(roles))
