"""The JSON Schemas of what `services.wire` puts on a topic besides the data: the CloudEvents
envelope (`wire.envelope`) and the Kafka headers (`wire.headers`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from domain.agency import CODE_PATTERN
from services.contracts.events import DIALECT, NoFieldTitles

CODE = CODE_PATTERN.pattern.removeprefix("^").removesuffix("$")
AGENCIES = rf"^({CODE}( {CODE})*)?$"


class Envelope(BaseModel):
    """One stored event as a CloudEvents 1.0 structured-mode message."""

    model_config = ConfigDict(title="liandong event envelope (CloudEvents 1.0)", extra="forbid")

    specversion: Literal["1.0"] = Field(description="the CloudEvents version")
    id: str = Field(
        description="`<subject>/<aggregateversion>`: a repeat of the same event has the same id",
        examples=["0b6f6c1e-3f5a-4a57-9d8e-1a2b3c4d5e6f/4"],
    )
    source: str = Field(
        description="the deployment that published the event", examples=["urn:liandong:tj-bh"]
    )
    type: str = Field(
        pattern=r"^liandong\.[A-Za-z]+\.[A-Za-z]+$",
        description="`liandong.<Aggregate>.<Event>`; its data follows that event's schema",
        examples=["liandong.Case.Filed"],
    )
    subject: UUID = Field(description="the aggregate id, also the Kafka key")
    time: datetime = Field(description="when the event was recorded")
    datacontenttype: Literal["application/json"] = Field(description="`data` is JSON")
    dataversion: int = Field(ge=1, description="the version of the event type's data schema")
    position: int = Field(ge=1, description="the event's position in the store: increasing")
    aggregateversion: int = Field(ge=1, description="the event's number within its aggregate")
    agencies: str = Field(
        pattern=AGENCIES,
        description="codes of the agencies the event concerns, sorted, separated by spaces",
        examples=["tj-bh-yjj tj-bh-yjj-zfs"],
    )
    data: dict[str, Any] = Field(
        description="the event's data, free-form here because its shape is the schema of the"
        " event's `type` and `dataversion` (deploy/contracts/events/<type>.v<dataversion>)"
    )


class Headers(BaseModel):
    """Kafka headers repeating envelope fields, so a consumer may filter without parsing it."""

    model_config = ConfigDict(title="liandong event headers", extra="forbid")

    ce_type: str = Field(description="the envelope's type", examples=["liandong.Case.Filed"])
    position: str = Field(pattern=r"^[0-9]+$", description="the envelope's position, in decimal")


def envelope_schema() -> dict[str, Any]:
    schema = Envelope.model_json_schema(mode="serialization", schema_generator=NoFieldTitles)
    return {"$schema": DIALECT, **schema}


def headers_schema() -> dict[str, Any]:
    return Headers.model_json_schema(mode="serialization", schema_generator=NoFieldTitles)
