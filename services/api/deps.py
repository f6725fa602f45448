"""Request dependencies: the container, the acting person, If-Match, read-your-writes."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Header, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from domain.values import Actor, Role
from services.api.errors import ApiProblem
from services.api.freshness import wait_for_views
from services.bootstrap import Container
from services.directory import Directory
from services.tokens import Claims, KeysUnavailable, TokenInvalid, TokenVerifier

log = logging.getLogger(__name__)
bearer = HTTPBearer(auto_error=False, description="JWT with sub, agency, roles, exp")
ETAG = re.compile(r'^\s*(?:W/)?"(\d{1,18})"\s*$')


async def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]
T = TypeVar("T")


def handler(cls: type[T]) -> Callable[[Request], T]:
    """A dependency answering the container's handler of one kind."""

    def get(request: Request) -> T:
        container: Container = request.app.state.container
        return container.handler(cls)

    return get


async def get_actor(
    request: Request,
    container: ContainerDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Actor:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized("auth.token_missing", "a bearer token is required")
    kept = getattr(request.state, VERIFIED, None)
    if kept is not None and kept[0] == credentials.credentials:
        claims: Claims = kept[1]  # the body's middleware verified this very token
    else:
        try:
            claims = await verified(container.verifier, credentials.credentials)
        except TokenInvalid as error:
            raise unauthorized(error.code, error.detail) from None
        except KeysUnavailable as unavailable:
            log.warning("the identity provider's keys cannot be fetched: %s", unavailable)
            raise keys_unavailable() from None
    if claims.is_admin:
        return Actor(
            officer_id=claims.officer,
            agency_code=claims.agency,
            roles=frozenset({Role.ADMIN.value}),
        )
    directory = container.app.directory
    if directory.is_current() and claims.officer in directory.officers:
        actor = directory.actor_for(claims.officer, claims.agency, claims.roles)
    else:  # reading the store: off the event loop
        actor = await run_in_threadpool(
            _refreshed_actor, directory, claims.officer, claims.agency, claims.roles
        )
    if actor is None:
        raise unauthorized(
            "auth.officer_unknown", "the token's officer is not registered in the agency it names"
        )
    return actor


def _refreshed_actor(
    directory: Directory, officer: str, agency: str, roles: list[str]
) -> Actor | None:
    directory.refresh()
    return directory.actor_for(officer, agency, roles)


VERIFIED = "verified_token"  # request state: (token, claims) already verified


async def verified(verifier: TokenVerifier, token: str) -> Claims:
    """The token's claims; off the event loop when the identity provider's keys may be fetched."""
    if verifier.fetches_keys:
        return await run_in_threadpool(verifier.verify, token)
    return verifier.verify(token)


def keys_unavailable() -> ApiProblem:
    detail = "the identity provider's keys cannot be fetched now; try again shortly"
    return ApiProblem(503, "auth.keys_unavailable", detail, headers={"Retry-After": "5"})


def unauthorized(code: str, detail: str) -> ApiProblem:
    return ApiProblem(401, code, detail, headers={"WWW-Authenticate": "Bearer"})


ActorDep = Annotated[Actor, Depends(get_actor)]


IF_MATCH = (
    '"<version>" the act expects, or * for any; anything else is 400. On a create (a POST to'
    " a collection) there is no current version: any If-Match is 412, as RFC 9110 says."
)


async def expected_version(
    request: Request, if_match: Annotated[str | None, Header(description=IF_MATCH)] = None
) -> int | None:
    if if_match is None:
        return None
    found = ETAG.match(if_match)
    if found is None and if_match.strip() != "*":
        raise ApiProblem(400, "request.if_match_malformed", 'If-Match must be one "<version>" or *')
    if _creates(request):
        raise ApiProblem(412, "precondition_failed", "a create has no current version to match")
    return int(found.group(1)) if found else None


def _creates(request: Request) -> bool:
    """A POST to a collection (a route without path parameters) creates a resource."""
    route = request.scope.get("route")
    return request.method == "POST" and "{" not in getattr(route, "path", "{")


ExpectedVersion = Annotated[int | None, Depends(expected_version)]


MIN_POSITION = (
    "a position a write answered: wait (up to LIANDONG_MIN_POSITION_WAIT_SECONDS) until the views"
    " have applied it, else 503 views.behind with Retry-After; a position beyond the store's"
    " last one is 422 request.position_ahead at once"
)


async def read_your_writes(
    container: ContainerDep,
    actor: ActorDep,  # authenticated before anything waits
    min_position: Annotated[int | None, Query(ge=0, le=2**62, description=MIN_POSITION)] = None,
) -> None:
    if min_position is not None:
        await wait_for_views(container, min_position)


ReadYourWrites = Depends(read_your_writes)
