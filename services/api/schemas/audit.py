"""How the API shows the audit log (its key and proofs; a checkpoint is shown as on the audit
topic: services.contracts.audit) and the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

Base64 = str
SuiteName = Literal["sha256-ed25519", "sm3-sm2"]


class KeyOut(BaseModel):
    vkey: str = Field(
        description="the verifier key, `<name>+<key id>+<base64 key>`: take it from the"
        " deployment out of band to trust it; this copy is for comparison"
    )
    suite: SuiteName
    origin: str


class InclusionProofOut(BaseModel):
    position: int = Field(description="the event's position in the store")
    leaf_index: int = Field(description="its leaf's index in the tree (positions may have gaps)")
    tree_size: int
    leaf_hash: Base64 = Field(description="HASH(0x00 ‖ leaf), base64")
    proof: list[Base64] = Field(description="the audit path, RFC 9162 §2.1.3, leaf to root")


class ConsistencyProofOut(BaseModel):
    first: int
    second: int
    proof: list[Base64] = Field(description="RFC 9162 §2.1.4: the first tree is a prefix")


class TrailEntry(BaseModel):
    position: int = Field(description="the event's position in the store")
    id: UUID = Field(description="the resource it belongs to")
    kind: str = Field(
        description="the resource's kind: case, referral, dispute, …", examples=["case"]
    )
    type: str = Field(description="the event's type, as on its topic", examples=["Case.Filed"])
    version: int = Field(description="the resource's version this event made")
    recorded_at: datetime = Field(description="when it was stored")
    agency: str | None = Field(description="the unit of the officer who took the act")
    officer: str | None = Field(description="the officer who took the act (none: the register)")
    data: dict[str, Any] = Field(description="the event's data, as its published schema says")
    leaf_hash: Base64 | None = Field(
        description="its leaf's hash in the audit log; none until the log has it"
    )


class TrailPage(BaseModel):
    entries: list[TrailEntry]
    next_cursor: str | None = Field(description="the next page's cursor, none at the end")


class ResourceAsOf(BaseModel):
    kind: str
    id: UUID
    as_of: datetime
    version: int = Field(description="the version it had then")
    document: dict[str, Any] = Field(
        description="the resource as it stood then: the same fold as its view, over its events"
        " up to that time"
    )
    events: list[TrailEntry] = Field(description="the events it rests on, oldest first")
