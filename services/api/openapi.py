"""Documents the problem+json answers every route may give, so clients and checks know them."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field


class FieldError(BaseModel):
    location: list[str | int]
    message: str
    type: str


class Problem(BaseModel):
    """RFC 9457 problem details with a stable machine-readable code."""

    type: str = Field(examples=["urn:liandong:problem:case.simple_procedure_limit"])
    title: str
    status: int
    detail: str
    code: str = Field(examples=["case.simple_procedure_limit"])
    errors: list[FieldError] | None = None


DESCRIPTIONS = {
    400: "a malformed header (If-Match)",
    401: "no valid bearer token",
    403: "a role or certificate needed for the act is missing",
    404: "no such resource, or not one the caller's agency may see",
    409: "the act does not fit the resource's state, or lost a race",
    412: "If-Match names a version the resource is no longer at, or is sent with a create",
    413: "the request body is longer than LIANDONG_MAX_BODY_BYTES",
    422: "the request breaks its schema or a rule of the domain",
    503: "the views have not reached min_position in time, or the token keys are unreachable",
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    schema = {"$ref": "#/components/schemas/Problem"}
    return {
        status: {
            "description": DESCRIPTIONS[status],
            "content": {"application/problem+json": {"schema": schema}},
        }
        for status in statuses
    }


ERRORS = problems(*DESCRIPTIONS)


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(
                Problem.model_json_schema(ref_template="#/components/schemas/{model}").pop(
                    "$defs", {}
                )
            )
            components["Problem"] = Problem.model_json_schema(
                ref_template="#/components/schemas/{model}"
            )
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
