"""The dispute's one fold: its events' data into the document GET /v1/disputes/{id} answers
(less the history, version and position) and every command on a dispute answers with."""

from __future__ import annotations

from typing import Any

from domain.dispute import DisputeResolution
from domain.dispute_events import DISPUTE_LIFECYCLE, involved
from projections.fold import Document, Fold, Resource
from projections.records import EventRecord


def opened(record: EventRecord) -> Document:
    data, details = record.data, record.data["details"]
    return {
        "id": record.aggregate_id,
        "parties": data["parties"],
        "rungs": data["rungs"],
        "rung": data["rungs"][0]["name"],
        "ladder": details["ladder"],
        "mechanism": details["mechanism"],
        "matter": details["matter"],
        "grounds": details["grounds"],
        "interim": details["interim"],
        "referral_id": details["referral_id"],
        "positions": {},
        "decision": None,
        "opened_by": data["by"],
        "opened_at": data["at"],
    }


def _position(d: Document, data: dict[str, Any]) -> None:
    d["positions"] = {
        **d["positions"],
        data["party"]: {
            "position": data["position"],
            "proposed_handler": data["proposed_handler"],
            "at": data["at"],
        },
    }


def _escalated(d: Document, data: dict[str, Any]) -> None:
    d["rung"] = d["rungs"][data["to_rung"]]["name"]


def _decided(d: Document, data: dict[str, Any]) -> None:
    d["decision"] = {**data["decision"], "rung": data["rung"], "by": data["by"], "at": data["at"]}


def _decided_at_meeting(d: Document, data: dict[str, Any]) -> None:
    _decided(d, data)
    d["decision"]["meeting_id"] = data["meeting_id"]


def _closed(d: Document, data: dict[str, Any]) -> None:
    d["closed_at"] = data["at"]


DISPUTE_FOLD = Fold(
    start=opened,
    changes={
        "DisputeResolution.PositionRecorded": _position,
        "DisputeResolution.Escalated": _escalated,
        "DisputeResolution.Decided": _decided,
        "DisputeResolution.DecidedAtMeeting": _decided_at_meeting,
        "DisputeResolution.Closed": _closed,
    },
    lifecycle=DISPUTE_LIFECYCLE,
)


def audience(doc: Document) -> list[str]:
    return involved(doc["parties"], doc["rungs"])


DISPUTE = Resource(DisputeResolution, DISPUTE_FOLD, audience, "dispute")
