"""What a dispute's events carry, field by field (the contract of
`liandong.DisputeResolution.*`), and its statuses."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, TypedDict

from domain.lifecycle import Lifecycle, act
from domain.mechanism import Body, LadderKind


class DisputeStatus(StrEnum):
    OPEN = "open"
    DECIDED = "decided"
    CLOSED = "closed"


DISPUTE_LIFECYCLE = Lifecycle(
    noun="dispute",
    after={
        "Opened": DisputeStatus.OPEN,
        "Decided": DisputeStatus.DECIDED,
        "DecidedAtMeeting": DisputeStatus.DECIDED,
        "Closed": DisputeStatus.CLOSED,
    },
    acts={
        "record_position": act("record a position in", DisputeStatus.OPEN, code="dispute.not_open"),
        "escalate": act("escalate", DisputeStatus.OPEN, code="dispute.not_open"),
        "decide": act("decide", DisputeStatus.OPEN, code="dispute.not_open"),
        "close": act("close", DisputeStatus.DECIDED, code="dispute.not_decided"),
    },
    open=frozenset({DisputeStatus.OPEN}),
)


class RungData(TypedDict):
    name: Annotated[str, "the rung, e.g. `negotiation`, `legal_department`, `joint_meeting`"]
    body: Annotated[Body, "who resolves on this rung"]
    agency: Annotated[str | None, "the agency that decides on it; none for the parties' own"]


class DisputeDetails(TypedDict):
    matter: Annotated[str, "the matter in dispute, in words"]
    grounds: Annotated[str, "why it is disputed"]
    ladder: Annotated[LadderKind, "which of the mechanism's ladders it climbs"]
    mechanism: Annotated[str, "the coordination mechanism whose ladder it climbs"]
    referral_id: Annotated[str | None, "the rejected referral disputed (a UUID), if any"]
    interim: Annotated[str, "how the parties handle the violation meanwhile (先予协同处置)"]


class DecisionData(TypedDict):
    lead: Annotated[str, "the agency that must handle the matter (主办)"]
    assisting: Annotated[list[str], "agencies that assist (协办)"]
    joint: Annotated[list[str], "agencies that handle it jointly (合办)"]
    reasons: Annotated[str, "the decision's reasons"]


def involved(parties: Iterable[str], rungs: Iterable[RungData]) -> list[str]:
    """Who a dispute concerns and who sees it: the parties and every body on its ladder."""
    bodies = [r["agency"] for r in rungs if r.get("agency")]
    return list(dict.fromkeys([*parties, *(b for b in bodies if b)]))
