"""The contract of the audit topic: the audit log's signed checkpoints (services/audit/), as a
JSON Schema and as a channel of the AsyncAPI document. Not events: a subscriber keeps every
checkpoint it receives, so that a server showing another history would be caught."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from services import wire
from services.contracts.events import DIALECT, NoFieldTitles

SCHEMAS = "#/components/schemas/"
CHANNEL = wire.topic_name(wire.AUDIT_KIND)
NAME = "AuditCheckpoint"


class CheckpointMessage(BaseModel):
    """A signed checkpoint of the audit log (c2sp.org/tlog-checkpoint in a signed note)."""

    model_config = ConfigDict(title="liandong audit checkpoint", extra="forbid")

    origin: str = Field(
        description="the log's name, also its signing key's name", examples=["liandong/tj-bh"]
    )
    tree_size: int = Field(ge=0, description="how many stored events the tree holds")
    root_hash: str = Field(description="the tree's root (RFC 9162 §2.1), base64")
    suite: Literal["sha256-ed25519", "sm3-sm2"] = Field(
        description="the tree's hash and the signature's algorithm: SHA-256 with Ed25519, or"
        " SM3 with SM2"
    )
    signed_at: datetime = Field(description="when it was signed (UTC)")
    note: str = Field(
        description="the signed note (c2sp.org/signed-note) whose text says the same origin,"
        " size and root, one per line; only what it says counts: verify it with the"
        " deployment's key (docs/audit.md)"
    )


def checkpoint_schema() -> dict[str, Any]:
    schema = CheckpointMessage.model_json_schema(schema_generator=NoFieldTitles)
    return {"$schema": DIALECT, **schema}


def audit_files() -> dict[str, dict[str, Any]]:
    return {"audit/checkpoint.schema.json": checkpoint_schema()}


def audit_channel() -> dict[str, Any]:
    return {
        "address": CHANNEL,
        "title": "audit log checkpoints",
        "description": (
            "The audit log's signed checkpoints, keyed by the log's origin (one partition: in"
            " order), at least every N events or T seconds. Keep them all: each later one must"
            " be consistent with them (GET /v1/audit/proofs/consistency). A deployment may"
            f" prefix the name: `<prefix>{CHANNEL}`."
        ),
        "messages": {NAME: {"$ref": f"#/components/messages/{NAME}"}},
    }


def audit_operation() -> dict[str, Any]:
    return {
        "action": "receive",
        "channel": {"$ref": f"#/channels/{CHANNEL}"},
        "summary": "A supervisor receives and keeps the audit log's checkpoints.",
        "messages": [{"$ref": f"#/channels/{CHANNEL}/messages/{NAME}"}],
    }


def audit_components() -> dict[str, Any]:
    schema = {k: v for k, v in checkpoint_schema().items() if k != "$schema"}
    message = {
        "name": NAME,
        "title": "audit checkpoint",
        "contentType": "application/json",
        "payload": {"$ref": SCHEMAS + NAME},
    }
    return {"schemas": {NAME: schema}, "messages": {NAME: message}}
