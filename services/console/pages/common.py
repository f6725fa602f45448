"""What the sections' pages share: a list drawn from an API list, one resource with the acts
open on it, and the forms of its acts and creates."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse

from services import catalogue
from services.console import forms, labels
from services.console.api import Api
from services.console.render import page, problem_page
from services.console.session import Session

# Query parameters a list page passes on to its API list as they are.
PAGING = ("limit", "cursor")
Item = dict[str, Any]


@dataclass(frozen=True)
class Column:
    header: str
    cell: Callable[[Item], Any]


@dataclass(frozen=True)
class Fact:
    label: str
    value: Any
    href: str | None = None


@dataclass(frozen=True)
class Filter:
    """A filter of a list, passed on to its API list; without options it is a yes/no box."""

    name: str
    label: str
    options: Sequence[tuple[str, str]] = ()


@dataclass(frozen=True)
class Create:
    """A page that creates: its section, its title, the API collection it posts to, the act's
    name and the page it leads back to."""

    section: str
    title: str
    href: str
    act: str
    back: str


@dataclass(frozen=True)
class Listing:
    """One list page: the API list it shows, the filters it passes on, its columns, and the
    console page each row leads to."""

    section: str
    title: str
    api_path: str
    columns: Sequence[Column]
    link: Callable[[Item], str]
    filters: Sequence[Filter] = ()
    create: Create | None = None  # the create its page offers, at /console/<section>/new


Tab = tuple[str, str, bool]  # (its page, its label, whether it is the page shown)


async def listing_page(
    request: Request,
    who: Session,
    api: Api,
    listing: Listing,
    tabs: Sequence[Tab] = (),
    keep: dict[str, str] | None = None,
) -> HTMLResponse:
    """`keep` names what the page itself was asked (a tab) for its filters to send again."""
    asked = passed_on(request, tuple(f.name for f in listing.filters))
    answer = await api.get(listing.api_path, **asked)
    if not answer.ok:
        return problem_page(request, who, answer)
    rows = [_row(listing, item) for item in answer.body["items"]]
    return page(
        request,
        "listing.html",
        listing.title,
        who,
        section=listing.section,
        listing=listing,
        rows=rows,
        asked=asked,
        tabs=tabs,
        fixed=keep or {},
        counts=answer.body.get("counts") or {},
        next_page=next_link(request, answer.body.get("next_cursor")),
    )


def _row(listing: Listing, item: Item) -> dict[str, Any]:
    return {
        "link": listing.link(item),
        "cells": [c.cell(item) for c in listing.columns],
        "overdue": bool(item.get("overdue")),
    }


async def open_acts(
    request: Request, api: Api, link: str, kind: str
) -> tuple[list[Item], int | None]:
    """The acts the API lists as open to this person, each with its form from its route's
    request schema and its name in words for the resource's kind, and the version they were
    judged at."""
    answer = await api.get(f"{link}/acts")
    if not answer.ok:
        return [], None
    acts = [
        {
            **act,
            "label": labels.act_label(act["act"], kind),
            "fields": _fields(request, act["href"]),
        }
        for act in answer.body["acts"]
    ]
    return acts, answer.body["version"]


def kind_of(link: str) -> str:
    """The kind of resource an API address (`/v1/meetings/<id>`) is one of (`meeting`)."""
    collection = link.rpartition("/")[0]
    return next((k.name for k in catalogue.KINDS if k.path and k.path == collection), "")


def _fields(request: Request, href: str) -> list[forms.Field]:
    return forms.fields(forms.request_schema(request.app, href))


def create_page(
    request: Request, who: Session, create: Create, answers: dict[str, str] | None = None
) -> HTMLResponse:
    """The create's form, drawn like an act's, with any `answers` already filled in."""
    fields = forms.filled(_fields(request, create.href), answers or {})
    form = {"act": create.act, "href": create.href, "label": labels.act_label(create.act)}
    return page(
        request,
        "new.html",
        create.title,
        who,
        section=create.section,
        act={**form, "fields": fields},
        back=create.back,
    )


async def resource_page(
    request: Request,
    who: Session,
    api: Api,
    link: str,
    section: str,
    after: int | None,
    facts: Callable[[Item], Iterable[Fact]],
    title: Callable[[Item], str],
    parts: Sequence[str] = (),
) -> HTMLResponse:
    """One resource: its facts, the parts its section draws (templates under parts/), its
    time limits, the acts open to this person and its history."""
    answer = await api.get(link, min_position=after)
    if not answer.ok:
        return problem_page(request, who, answer, back=f"/console/{section}")
    kind = kind_of(link)
    acts, version = await open_acts(request, api, link, kind)
    doc = answer.body
    return page(
        request,
        "resource.html",
        title(doc),
        who,
        section=section,
        doc=doc,
        facts=[f for f in facts(doc) if f.value not in (None, "", [], {})],
        parts=parts,
        kind=kind,
        acts=acts,
        version=version,
        back=request.url.path,
    )


def passed_on(request: Request, names: tuple[str, ...]) -> dict[str, str]:
    """The filters and paging a list page was asked for, for its API list."""
    return {n: request.query_params[n] for n in (*names, *PAGING) if request.query_params.get(n)}


def next_link(request: Request, cursor: str | None) -> str | None:
    if not cursor:
        return None
    return f"{request.url.path}?{urlencode(dict(request.query_params, cursor=cursor))}"
