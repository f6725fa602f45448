"""Liveness, readiness and the Prometheus metrics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST

from services.api.deps import ContainerDep
from services.api.metrics import exposition
from services.bootstrap import Container

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(container: ContainerDep) -> JSONResponse:
    """Ready when the store and the views answer; `degraded` names what needs a person."""
    try:
        body = readiness(container)
    except Exception as error:  # the store or the views' database is unreachable
        return JSONResponse({"status": "unavailable", "detail": str(error)}, status_code=503)
    return JSONResponse(body, status_code=200)


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request, container: ContainerDep) -> Response:
    """The same readiness as /readyz, as gauges, beside the requests' and the process's metrics."""
    try:
        body: dict[str, Any] | None = readiness(container)
    except Exception:  # the store or the views' database is unreachable: liandong_up 0
        body = None
    return Response(
        exposition(request.app, body),
        status_code=503 if body is None else 200,
        media_type=CONTENT_TYPE_LATEST,
    )


def readiness(container: Container) -> dict[str, Any]:
    positions = container.view_positions()  # before the head: a view is never past it
    head = container.app.head_position()
    body: dict[str, Any] = {"status": "ready", "store": {"head": head}}
    body["views"] = {
        name: {"position": position, "lag": head - position} for name, position in positions.items()
    }
    if container.settings.kafka_mode:
        relayed = container.relay_position().load()
        body["relay"] = {"position": relayed, "lag": max(head - relayed, 0)}
        body["gateway"] = container.gateway_state()
    body["audit"] = container.audit_state(head)
    body["watch"] = container.watch_state()
    errors = container.view_errors()
    errors.update(
        {
            name: f"further on ({position}) than its store ({head}): the store was replaced or"
            " restored; restart the service to build the view afresh"
            for name, position in positions.items()
            if position > head
        }
    )
    letters = container.dead_letters()
    if errors:
        body["errors"] = errors
    if any(letters.values()):
        body["dead_letters"] = letters
    if errors or any(letters.values()):
        body["status"] = "degraded"
    return body
