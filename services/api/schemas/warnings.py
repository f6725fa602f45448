"""Warning shapes: an open warning on a time limit as `GET /v1/warnings` lists it, and the
counts beside the page."""

from __future__ import annotations

from pydantic import BaseModel, Field

from domain.warning_events import Colour


class ResourceRef(BaseModel):
    kind: str = Field(description="`case`, `referral`, `meeting` or `crime-transfer`")
    id: str
    link: str = Field(description="where the resource is read, e.g. `/v1/referrals/{id}`")


class WarningOut(BaseModel):
    id: str = Field(description="the warning's id: one per occurrence of a time limit")
    colour: Colour
    name: str = Field(description="the limit, as the resource's deadlines name it")
    rule: str = Field(description="how the limit is counted, e.g. `5 working days`")
    due_at: str
    provisional: bool = Field(description="due on a year whose holiday schedule is not known")
    resource: ResourceRef
    agency: str = Field(description="the agency that must meet the limit")
    lead: str | None = Field(description="the lead time a yellow warning came with")
    raised_at: str = Field(description="when it turned its colour")


class WarningCounts(BaseModel):
    colour: dict[str, int] = Field(description="open warnings by colour")
    kind: dict[str, int] = Field(description="open warnings by kind of resource")


class WarningPage(BaseModel):
    agencies: list[str] = Field(description="the agencies whose warnings are shown")
    counts: WarningCounts
    items: list[WarningOut]
    next_cursor: str | None = None
