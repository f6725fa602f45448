"""The views that hold running time limits, as the catalogue lists them: the kind of resource
each holds them for, where a resource is read, and which agency must meet each limit (the
view's own `running_limits`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from projections.view import Cursor, View
from services import catalogue


@dataclass(frozen=True)
class Source:
    view: type[View]
    kind: str  # the resource's kind, as the warnings name it
    path: str  # the resource's route, before its id
    running: Callable[[Any, Cursor], list[dict[str, Any]]]


SOURCES: tuple[Source, ...] = tuple(
    Source(kind.views[0], kind.name, kind.path, kind.limits)
    for kind in catalogue.KINDS
    if kind.limits is not None
)
BY_KIND = {source.kind: source for source in SOURCES}


def link(kind: str, resource_id: str) -> str:
    return f"{BY_KIND[kind].path}/{resource_id}"
