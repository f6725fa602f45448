"""A section of the console over one API collection: its list, one resource with the acts open
on it, and the create it offers, as pages at /console/<name>/."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from services.console.app import ApiDep, Who
from services.console.pages.common import (
    Create,
    Fact,
    Item,
    Listing,
    create_page,
    listing_page,
    resource_page,
)

Endpoint = Callable[..., object]


@dataclass(frozen=True)
class Section:
    name: str  # its address under /console/ and the API's /v1/: "cases", "crime-transfers"
    listing: Callable[[Request], Listing]
    facts: Callable[[Request, Item], Iterable[Fact]]
    title: Callable[[Item], str]
    parts: Sequence[str] = ()  # the templates under parts/ one resource's page draws
    create: Create | None = None


def add_pages(router: APIRouter, section: Section) -> None:
    """The section's plain pages, at each address its module has not taken with a page of its
    own (the referrals' boxes, a draft from a case); one resource's page last, so that `/new`
    is not read as an id."""
    taken = {getattr(route, "path", None) for route in router.routes}
    if router.prefix not in taken:
        _add(router, "", _listing(section))
    if section.create is not None and f"{router.prefix}/new" not in taken:
        _add(router, "/new", _create(section.create))
    _add(router, "/{resource_id}", _one(section))


def _add(router: APIRouter, path: str, endpoint: Endpoint) -> None:
    router.add_api_route(path, endpoint, methods=["GET"], response_class=HTMLResponse)


def _listing(section: Section) -> Endpoint:
    async def listing(request: Request, who: Who, api: ApiDep) -> HTMLResponse:
        return await listing_page(request, who, api, section.listing(request))

    return listing


def _create(create: Create) -> Endpoint:
    async def new(request: Request, who: Who) -> HTMLResponse:
        return create_page(request, who, create)

    return new


def _one(section: Section) -> Endpoint:
    async def one(
        request: Request, resource_id: UUID, who: Who, api: ApiDep, after: int | None = None
    ) -> HTMLResponse:
        return await resource_page(
            request,
            who,
            api,
            f"/v1/{section.name}/{resource_id}",
            section.name,
            after,
            facts=lambda doc: section.facts(request, doc),
            title=section.title,
            parts=section.parts,
        )

    return one
