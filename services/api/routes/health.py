"""Liveness, readiness and the Prometheus metrics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, PlainTextResponse

from services.api.deps import ContainerDep
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
def metrics(container: ContainerDep) -> PlainTextResponse:
    try:
        body = readiness(container)
    except Exception:
        return PlainTextResponse("liandong_up 0\n", status_code=503)
    return PlainTextResponse(prometheus(body), media_type="text/plain; version=0.0.4")


def readiness(container: Container) -> dict[str, Any]:
    head = container.app.head_position()
    body: dict[str, Any] = {"status": "ready", "store": {"head": head}}
    body["views"] = {
        name: {"position": position, "lag": max(head - position, 0)}
        for name, position in container.view_positions().items()
    }
    if container.settings.kafka_mode:
        relayed = container.relay_position().load()
        body["relay"] = {"position": relayed, "lag": max(head - relayed, 0)}
    errors = container.view_errors()
    letters = container.dead_letters()
    if errors:
        body["errors"] = errors
    if any(letters.values()):
        body["dead_letters"] = letters
    if errors or any(letters.values()):
        body["status"] = "degraded"
    return body


def prometheus(body: dict[str, Any]) -> str:
    lines = [
        "# TYPE liandong_up gauge",
        "liandong_up 1",
        "# TYPE liandong_store_head_position gauge",
        f"liandong_store_head_position {body['store']['head']}",
    ]
    if "relay" in body:
        lines += [
            "# TYPE liandong_relay_position gauge",
            f"liandong_relay_position {body['relay']['position']}",
            "# TYPE liandong_relay_lag_events gauge",
            f"liandong_relay_lag_events {body['relay']['lag']}",
        ]
    lines += ["# TYPE liandong_view_position gauge", "# TYPE liandong_view_lag_events gauge"]
    for name, view in body["views"].items():
        lines.append(f'liandong_view_position{{view="{name}"}} {view["position"]}')
        lines.append(f'liandong_view_lag_events{{view="{name}"}} {view["lag"]}')
    lines.append("# TYPE liandong_dead_letters gauge")
    for name in body["views"]:
        lines.append(
            f'liandong_dead_letters{{view="{name}"}} {body.get("dead_letters", {}).get(name, 0)}'
        )
    return "\n".join(lines) + "\n"
