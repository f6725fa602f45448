"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from services.api.deps import ContainerDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(container: ContainerDep) -> JSONResponse:
    body: dict[str, Any] = {"status": "ready"}
    try:
        head = container.app.head_position()
        positions = container.view_positions()
    except Exception as error:  # the store or the views' database is unreachable
        return JSONResponse({"status": "unavailable", "detail": str(error)}, status_code=503)
    body["store"] = {"head": head}
    body["views"] = {
        name: {"position": position, "lag": max(head - position, 0)}
        for name, position in positions.items()
    }
    errors = container.runner.errors if container.runner else {}
    if errors:
        body["status"] = "degraded"
        body["errors"] = errors
    return JSONResponse(body, status_code=200)
