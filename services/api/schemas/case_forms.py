"""The shapes of a case's forms, gravity, documents and their service."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from domain.approval_chains import Form
from services.api.schemas.common import By, Flag, Input, Name, Text

Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Uri = Annotated[str, Field(min_length=1, max_length=2000)]
Subject = Annotated[str, Field(min_length=1, max_length=64)]
IsoDate = Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", examples=["2026-12-03"])]
# Forms submitted through the forms routes; the filing form has its own acts, and the forms of a
# measure, a re-inspection, an extension and a payment are submitted by their steps' acts.
SubmittedForm = Literal["matters", "legal_review", "decision", "legality_review"]


class Classify(Input):
    gravity: Literal["ordinary", "major"]
    reason: Text


class SubmitForm(Input):
    pass


class SignForm(Input):
    approve: Flag
    opinion: Text = ""
    subject: Subject | None = Field(None, description="the measure's or order's id, if any")


class ReceiptIn(Input):
    recipient: Name
    signed_on: IsoDate = Field(description="the date the recipient signed: the date of service")
    sha256: Sha256 = Field(description="SHA-256 of the photographed receipt")
    size: Annotated[int, Field(ge=0, le=10**13)]
    uri: Uri


class ServeDocument(Input):
    number: Annotated[str, Field(min_length=1, max_length=100, examples=["津滨应急告〔2026〕3号"])]
    receipt: ReceiptIn


class ApprovalStepOut(BaseModel):
    name: str = Field(examples=["review"])
    role: str
    agencies: list[str]
    title: str
    decision: bool | None = None
    opinion: str | None = None
    by: By | None = None
    at: datetime | None = None


class FormOut(BaseModel):
    form: Form
    subject: str | None = None
    gravity: str
    steps: list[ApprovalStepOut]
    requested_by: By
    requested_at: datetime
    outcome: Literal["pending", "approved", "returned"]


class ReceiptOut(BaseModel):
    recipient: str
    signed_on: str
    sha256: str
    size: int
    uri: str
    recorded_by: str
    recorded_at: datetime


class DocumentOut(BaseModel):
    kind: str
    number: str
    step: str
    issued_at: datetime
    served: ReceiptOut | None = None
