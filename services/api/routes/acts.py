"""GET <resource>/{id}/acts: the acts the caller may take now on one resource, each with the
route that takes it. The resource's guards judge them (`FollowsLifecycle.open_acts`), so a page
offers only what the act itself would not refuse for who asks or when."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any
from uuid import UUID

from fastapi import APIRouter, FastAPI, Request
from starlette.routing import BaseRoute, Route

from domain.errors import Forbidden
from domain.lifecycle import OpenAct
from projections.fold import Resource
from services import catalogue
from services.api.deps import ActorDep, ContainerDep
from services.api.openapi import ERRORS
from services.api.schemas.acts import OpenActOut, OpenActsOut

router = APIRouter(prefix="", tags=["acts"], responses=ERRORS)
ACTS_DESCRIPTION = (
    "The acts the caller may take now, judged on the stored resource by the rules its acts apply"
    " before they read their input: who may take them, in which status, in what state. An act"
    " listed may still be refused for what its request asks. A resource the caller may not see"
    " is 404, as its own route answers."
)


def _routes(routes: Iterable[BaseRoute]) -> Iterator[Route]:
    """Every route, within the routers the app includes too."""
    for route in routes:
        if isinstance(route, Route):
            yield route
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _routes(included.routes)


def _parameters(app: FastAPI) -> dict[str, frozenset[str]]:
    """Each named route's path parameters, read once per app."""
    known: dict[str, frozenset[str]] | None = getattr(app.state, "route_parameters", None)
    if known is None:
        known = {r.name: frozenset(r.param_convertors) for r in _routes(app.routes)}
        app.state.route_parameters = known
    return known


def _href(app: FastAPI, kind: str, resource_id: UUID, act: OpenAct) -> str | None:
    """The act's route, named `<kind>.<act>`; its one parameter beyond the item is the id."""
    name = f"{kind}.{act.name}"
    parameters = _parameters(app).get(name)
    if parameters is None:
        return None
    (id_param,) = parameters - set(act.item)
    return str(app.url_path_for(name, **{id_param: str(resource_id)}, **act.item))


def _endpoint(kind: str, resource: Resource) -> Callable[..., OpenActsOut]:
    def open_acts(
        resource_id: UUID, request: Request, actor: ActorDep, container: ContainerDep
    ) -> OpenActsOut:
        app = container.app
        aggregate: Any = app.load_as(actor, resource_id, resource)
        path = app.directory.path(actor.agency_code)
        if not path.chain:
            raise Forbidden("the officer's agency is not registered", code="agency.unknown")
        acts = []
        for act in aggregate.open_acts(actor, path, app.clock()):
            href = _href(request.app, kind, resource_id, act)
            if href is not None:
                acts.append(OpenActOut(act=act.name, item=dict(act.item), href=href))
        return OpenActsOut(id=resource_id, version=aggregate.version, acts=acts)

    return open_acts


for _kind in catalogue.KINDS:
    for _resource in _kind.resources:
        if _kind.path:
            router.add_api_route(
                f"{_kind.path}/{{resource_id}}/acts",
                _endpoint(_kind.name, _resource),
                methods=["GET"],
                response_model=OpenActsOut,
                name=f"{_kind.name}.open_acts",
                summary=f"The acts open to the caller on one {_resource.noun}",
                description=ACTS_DESCRIPTION,
                tags=[_resource.noun],
            )
