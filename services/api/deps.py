"""Request dependencies: the container, the acting person, If-Match, read-your-writes."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Header, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from domain.values import Actor, Role
from services.api.errors import ApiProblem
from services.bootstrap import Container
from services.directory import Directory
from services.tokens import TokenInvalid

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
    container: ContainerDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Actor:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized("auth.token_missing", "a bearer token is required")
    try:
        claims = container.verifier.verify(credentials.credentials)
    except TokenInvalid as error:
        raise unauthorized(error.code, error.detail) from None
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


def unauthorized(code: str, detail: str) -> ApiProblem:
    return ApiProblem(401, code, detail, headers={"WWW-Authenticate": "Bearer"})


ActorDep = Annotated[Actor, Depends(get_actor)]


async def expected_version(
    if_match: Annotated[str | None, Header(description='"<version>" the act expects')] = None,
) -> int | None:
    if if_match is None:
        return None
    found = ETAG.match(if_match)
    if found is None:
        raise ApiProblem(412, "precondition_failed", 'If-Match must be "<version>"')
    return int(found.group(1))


ExpectedVersion = Annotated[int | None, Depends(expected_version)]


def read_your_writes(
    container: ContainerDep,
    min_position: Annotated[
        int | None, Query(ge=0, le=2**62, description="wait until views have applied this")
    ] = None,
) -> None:
    if min_position is None:
        return
    wait = container.settings.min_position_wait_seconds
    if not container.wait_for(min_position, wait):
        raise ApiProblem(
            503,
            "views.behind",
            f"the views have not yet applied position {min_position}",
            headers={"Retry-After": "1"},
        )


ReadYourWrites = Depends(read_your_writes)
