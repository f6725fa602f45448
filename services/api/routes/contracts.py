"""The AsyncAPI document of our topics: a public contract, like /openapi.json, so no token."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from services.contracts.asyncapi import document
from services.contracts.events import published_events

router = APIRouter(tags=["contracts"])


@router.get(
    "/v1/asyncapi.json",
    response_class=JSONResponse,
    responses={200: {"content": {"application/json": {"schema": {"type": "object"}}}}},
    summary="The AsyncAPI 3.0 document of the event topics",
)
def asyncapi() -> JSONResponse:
    return JSONResponse(_document())


@cache
def _document() -> dict[str, Any]:
    return document(published_events())
