"""The acts open to the caller on one resource."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field


class OpenActOut(BaseModel):
    act: str = Field(description="the act's name, as the resource's lifecycle names it")
    item: dict[str, str] = Field(
        description="the part of the resource it is taken on (a form, a follow-up item), if any"
    )
    method: Literal["POST"] = "POST"
    href: str = Field(description="the route that takes it; its body is that route's request")


class OpenActsOut(BaseModel):
    id: UUID
    version: int = Field(description="the version these acts were judged at; send it as If-Match")
    acts: list[OpenActOut]
