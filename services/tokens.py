"""Bearer tokens (JWT): minted here for the embedded default, verified on every request."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from jwt.exceptions import PyJWKClientConnectionError

from domain.values import Role
from services.token_keys import JwksClient


class TokenInvalid(Exception):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


class KeysUnavailable(Exception):
    """The identity provider's keys cannot be fetched now: not the token's fault (503)."""

    code = "auth.keys_unavailable"
    status = 503


@dataclass(frozen=True)
class Claims:
    officer: str
    agency: str
    roles: list[str]

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles


@dataclass(frozen=True)
class TokenRules:
    """What a valid token must also satisfy beyond its signature and `exp`."""

    max_lifetime: timedelta = timedelta(hours=24)
    issuer: str | None = None
    audience: str | None = None

    def required(self) -> list[str]:
        wanted = {"iss": self.issuer, "aud": self.audience}
        return ["exp", "sub", *(claim for claim, value in wanted.items() if value)]


def mint(
    secret: str,
    *,
    officer: str,
    agency: str,
    roles: list[str],
    hours: float = 12,
    now: datetime | None = None,
    issuer: str | None = None,
    audience: str | None = None,
) -> str:
    issued = now or datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": officer,
        "agency": agency,
        "roles": roles,
        "iat": int(issued.timestamp()),
        "exp": int((issued + timedelta(hours=hours)).timestamp()),
    }
    if issuer:
        claims["iss"] = issuer
    if audience:
        claims["aud"] = audience
    return jwt.encode(claims, secret, algorithm="HS256")


class TokenVerifier:
    """Checks a token with a fixed key (a secret or a public key) or with the key its `kid`
    names in an identity provider's key set."""

    def __init__(self, key: Any, algorithm: str = "HS256", rules: TokenRules | None = None) -> None:
        self.key = key
        self.algorithm = algorithm
        self.rules = rules or TokenRules()

    @property
    def fetches_keys(self) -> bool:
        """Whether verifying may wait for the network (the key set is fetched when due)."""
        return isinstance(self.key, JwksClient)

    def verify(self, token: str) -> Claims:
        claims = self._decode(token)
        check_lifetime(claims, self.rules.max_lifetime)
        return parse_claims(claims)

    def _decode(self, token: str) -> dict[str, Any]:
        rules = self.rules
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._key_for(token),
                algorithms=[self.algorithm],
                issuer=rules.issuer,
                audience=rules.audience,
                options={"require": rules.required()},
            )
        except jwt.ExpiredSignatureError:
            raise TokenInvalid("auth.token_expired", "the token has expired") from None
        except PyJWKClientConnectionError as error:
            raise KeysUnavailable(str(error)) from None
        except jwt.PyJWTError as error:
            raise TokenInvalid("auth.token_invalid", f"the token is not valid: {error}") from None
        return claims

    def _key_for(self, token: str) -> Any:
        if isinstance(self.key, JwksClient):
            return self.key.get_signing_key_from_jwt(token).key
        return self.key


def check_lifetime(claims: dict[str, Any], cap: timedelta) -> None:
    """A token may not be valid for longer than the cap: from its `iat`, or from now without one.
    (The decoder has checked that `exp` and any `iat` are integers.)"""
    start = int(claims["iat"]) if "iat" in claims else time.time()
    if int(claims["exp"]) - start > cap.total_seconds():
        hours = f"{cap.total_seconds() / 3600:g}"
        raise TokenInvalid(
            "auth.token_lifetime_exceeded", f"tokens may be valid for at most {hours} hours"
        )


def parse_claims(claims: dict[str, Any]) -> Claims:
    officer, agency, roles = claims.get("sub"), claims.get("agency", ""), claims.get("roles", [])
    if not isinstance(officer, str) or not officer:
        raise TokenInvalid("auth.token_invalid", "the token names no officer (sub)")
    if not isinstance(agency, str) or not isinstance(roles, list):
        raise TokenInvalid("auth.token_invalid", "agency must be a string and roles a list")
    if not all(isinstance(r, str) for r in roles):
        raise TokenInvalid("auth.token_invalid", "roles must be strings")
    return Claims(officer=officer, agency=agency, roles=list(roles))
