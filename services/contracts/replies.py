"""The contract of what police systems publish to us: the replies topic, the CloudEvents envelope
of a reply, each reply type's `data` and the signature header (services.reply_signing), as JSON
Schemas and as the replies channel of the AsyncAPI document."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from services import wire
from services.contracts.events import DIALECT, NoFieldTitles
from services.gateway_replies import REPLIES
from services.reply_signing import JWS_TYPE, SOURCE_PREFIX, TYPE_PREFIX

SCHEMAS = "#/components/schemas/"
CHANNEL = wire.topic_name(wire.REPLIES_KIND)


class ReplyEnvelope(BaseModel):
    """One reply of a police system as a CloudEvents 1.0 structured-mode message."""

    model_config = ConfigDict(title="liandong crime-transfer reply (CloudEvents 1.0)")

    specversion: Literal["1.0"] = Field(description="the CloudEvents version")
    id: str = Field(
        min_length=1,
        max_length=200,
        description="unique per reply, chosen by the police system: a reply published again"
        " under the same id changes nothing and is answered `reply.replayed`",
    )
    source: str = Field(
        pattern=rf"^{SOURCE_PREFIX}[a-z0-9][a-z0-9-]{{1,62}}$",
        description="`urn:liandong:police:<agency code>`: the police agency replying, the one"
        " its signing key is registered for",
        examples=[f"{SOURCE_PREFIX}tj-bh-gaj"],
    )
    type: str = Field(
        pattern=rf"^{TYPE_PREFIX.replace('.', '[.]')}[A-Za-z]+$",
        description="`liandong.CrimeTransferReply.<Name>`; its data follows that reply's schema",
    )
    subject: UUID = Field(description="the crime transfer's id, also the Kafka key")
    time: datetime = Field(description="when the police system made the reply")
    datacontenttype: Literal["application/json"] = Field(description="`data` is JSON")
    data: dict[str, Any] = Field(description="the reply's data: the schema of its `type`")


class ReplyHeaders(BaseModel):
    model_config = ConfigDict(title="liandong crime-transfer reply headers")

    jws: str = Field(
        alias="liandong-jws",  # services.reply_signing.HEADER
        pattern=r"^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+$",
        description="a compact JWS with detached payload (RFC 7515 Appendix F) over the exact"
        f" message value: protected header `alg` ES256 or EdDSA, `kid`, `typ` {JWS_TYPE}",
    )


def reply_envelope_schema() -> dict[str, Any]:
    schema = ReplyEnvelope.model_json_schema(schema_generator=NoFieldTitles)
    return {"$schema": DIALECT, **schema}


def reply_data_schema(name: str) -> dict[str, Any]:
    reply = REPLIES[name]
    schema = reply.data.model_json_schema(schema_generator=NoFieldTitles)
    schema.update(title=TYPE_PREFIX + name, description=reply.summary)
    return {"$schema": DIALECT, **schema}


def reply_files() -> dict[str, dict[str, Any]]:
    files = {"replies/envelope.schema.json": reply_envelope_schema()}
    for name in REPLIES:
        files[f"replies/{TYPE_PREFIX.removeprefix('liandong.')}{name}.v1.schema.json"] = (
            reply_data_schema(name)
        )
    return files


def replies_channel() -> dict[str, Any]:
    return {
        "address": CHANNEL,
        "title": "police replies to crime transfers",
        "description": (
            "Published by public-security systems, read by the liandong gateway: each reply is"
            " signed (header `liandong-jws`) and becomes the same command as its HTTP route."
            " A refused reply is answered with `liandong.CrimeTransferReply.Refused` on the"
            f" crime-transfer topic. A deployment may prefix the name: `<prefix>{CHANNEL}`."
        ),
        "messages": {
            _message_name(n): {"$ref": f"#/components/messages/{_message_name(n)}"} for n in REPLIES
        },
    }


def replies_operation() -> dict[str, Any]:
    return {
        "action": "send",
        "channel": {"$ref": f"#/channels/{CHANNEL}"},
        "summary": "A police system sends its replies to the crime transfers it received.",
        "messages": [
            {"$ref": f"#/channels/{CHANNEL}/messages/{_message_name(n)}"} for n in REPLIES
        ],
    }


def replies_components() -> dict[str, Any]:
    """Schemas and messages of the replies, for the AsyncAPI document's components."""
    schemas: dict[str, Any] = {
        "ReplyEnvelope": _embedded(reply_envelope_schema()),
        "ReplyHeaders": ReplyHeaders.model_json_schema(
            by_alias=True, schema_generator=NoFieldTitles
        ),
    }
    messages = {}
    for name in REPLIES:
        key = _message_name(name)
        schema = _embedded(reply_data_schema(name))
        for definition, body in schema.pop("$defs", {}).items():
            schemas.setdefault(f"Reply{definition}", _rereferenced(body))
        schemas[key] = _rereferenced(schema)
        messages[key] = {
            "name": TYPE_PREFIX + name,
            "title": name,
            "summary": REPLIES[name].summary,
            "contentType": "application/json",
            "headers": {"$ref": SCHEMAS + "ReplyHeaders"},
            "payload": {
                "allOf": [
                    {"$ref": SCHEMAS + "ReplyEnvelope"},
                    {
                        "type": "object",
                        "properties": {
                            "type": {"const": TYPE_PREFIX + name},
                            "data": {"$ref": SCHEMAS + key},
                        },
                    },
                ]
            },
        }
    return {"schemas": schemas, "messages": messages}


def _message_name(name: str) -> str:
    return f"CrimeTransferReply.{name}"


def _embedded(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k != "$schema"}


def _rereferenced(schema: Any) -> Any:
    """References into the schema's own `$defs`, pointed at the document's components."""
    if isinstance(schema, dict):
        return {
            k: (SCHEMAS + "Reply" + v.removeprefix("#/$defs/"))
            if k == "$ref" and isinstance(v, str)
            else _rereferenced(v)
            for k, v in schema.items()
        }
    if isinstance(schema, list):
        return [_rereferenced(v) for v in schema]
    return schema
