"""The DisputeResolution (执法争议协调): who must handle a matter, settled up a ladder.

Opened by a referral's sender after a rejection, or directly between two agencies. While it is
open both handle the violation jointly (先予协同处置). It climbs the rungs its mechanism sets
(negotiation first); only the current rung's body decides, and the decision names the agency
that must handle the matter, or a lead with assisting and joint handlers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from eventsourcing.domain import event

from domain.dispute_events import (
    DISPUTE_LIFECYCLE,
    DecisionData,
    DisputeDetails,
    RungData,
    involved,
)
from domain.errors import Conflict, Forbidden, Invalid
from domain.lifecycle import FollowsLifecycle
from domain.mechanism import Body
from domain.payloads import ActorData, At, By, Reason, actor_data
from domain.values import Actor, AgencyPath, Role

# Who may speak for a body that decides: its heads, legal heads and liaisons.
DECIDING_ROLES = (
    Role.DIRECTOR,
    Role.DEPUTY_DIRECTOR,
    Role.UNIT_HEAD,
    Role.LEGAL_HEAD,
    Role.LIAISON,
)
INTERIM = "争议解决前，各方先予协同处置违法行为"


class DisputeResolution(FollowsLifecycle):
    lifecycle = DISPUTE_LIFECYCLE

    @classmethod
    def open(
        cls,
        *,
        dispute_id: UUID,
        actor: Actor,
        actor_path: AgencyPath,
        parties: Sequence[str],
        rungs: Sequence[RungData],
        details: DisputeDetails,
        at: datetime,
    ) -> DisputeResolution:
        """`rungs`: the ladder, each {name, body, agency} with the deciding agency resolved
        (none for the parties' own negotiation). `details`: matter, grounds, ladder, mechanism,
        referral_id, interim."""
        check_parties(parties)
        if not any(actor_path.speaks_for(p) for p in parties):
            raise Forbidden("only a party opens a dispute", code="dispute.not_a_party")
        actor.require_role(*DECIDING_ROLES, Role.OFFICER)
        for text, code in (
            (details["matter"], "dispute.matter_required"),
            (details["grounds"], "dispute.grounds_required"),
        ):
            if not text or not str(text).strip():
                raise Invalid(f"{code.split('.')[1].replace('_', ' ')}", code=code)
        return cls(
            id=dispute_id,
            parties=list(dict.fromkeys(parties)),
            rungs=list(rungs),
            details={**details, "interim": details.get("interim") or INTERIM},
            by=actor_data(actor),
            at=at,
        )

    @event("Opened")
    def __init__(
        self,
        id: UUID,
        parties: Annotated[list[str], "the agencies in dispute"],
        rungs: Annotated[list[RungData], "the ladder it climbs, from its first rung"],
        details: Annotated[DisputeDetails, "what is disputed, and under which mechanism"],
        by: By,
        at: At,
    ) -> None:
        self.parties = list(parties)
        self.rungs: list[dict[str, Any]] = [dict(r) for r in rungs]
        self.details: dict[str, Any] = dict(details)
        self.referral_id: str | None = details.get("referral_id")
        self.rung = 0
        self.positions: dict[str, dict[str, Any]] = {}
        self.decision: dict[str, Any] | None = None

    # Acts ---------------------------------------------------------------------------------

    def may_record_position(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        self._party_of(path)
        self._check_act("record_position")

    def record_position(
        self,
        *,
        actor: Actor,
        path: AgencyPath,
        position: str,
        proposed_handler: str | None,
        at: datetime,
    ) -> None:
        self.may_record_position(actor, path, at)
        party = self._party_of(path)
        if not position.strip():
            raise Invalid("the position is required", code="dispute.position_required")
        self._position_recorded(
            party=party,
            position=position,
            proposed_handler=proposed_handler,
            by=actor_data(actor),
            at=at,
        )

    @event("PositionRecorded")
    def _position_recorded(
        self,
        party: Annotated[str, "the party whose position it is"],
        position: Annotated[str, "the party's position in words"],
        proposed_handler: Annotated[str | None, "the agency the party proposes should handle it"],
        by: By,
        at: At,
    ) -> None:
        self.positions[party] = {
            "position": position,
            "proposed_handler": proposed_handler,
            "rung": self.rung,
        }

    def may_escalate(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        self._check_act("escalate")
        self._check_speaks_for_rung(actor, path, "escalate")
        if self.rung + 1 >= len(self.rungs):
            raise Conflict(
                "this is the ladder's last rung: it must decide", code="dispute.ladder_exhausted"
            )

    def escalate(self, *, actor: Actor, path: AgencyPath, reason: str, at: datetime) -> None:
        """Up one rung: by the current rung's body, or by a party when negotiation failed."""
        self.may_escalate(actor, path, at)
        if not reason.strip():
            raise Invalid("a reason for escalating is required", code="dispute.reason_required")
        self._escalated(to_rung=self.rung + 1, reason=reason, by=actor_data(actor), at=at)

    @event("Escalated")
    def _escalated(
        self,
        to_rung: Annotated[int, "the rung it climbs to, counted from 0"],
        reason: Reason,
        by: By,
        at: At,
    ) -> None:
        self.rung = to_rung

    def may_decide(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        """Open to the current rung's body, but for the joint meeting's, whose minutes decide;
        at negotiation, once both parties have proposed one handler."""
        self._check_act("decide")
        self._check_speaks_for_rung(actor, path, "decide")
        if self.current["body"] == Body.JOINT_MEETING:
            raise Conflict(
                "on this rung the joint meeting decides, by the minutes of a meeting that has"
                " the dispute on its agenda",
                code="dispute.decided_at_meeting",
            )
        if self.current["body"] == Body.PARTIES:
            self._agreed_handler()

    def decide(
        self, *, actor: Actor, path: AgencyPath, decision: DecisionData, at: datetime
    ) -> None:
        """Only the current rung's body decides; at negotiation, both parties must have
        proposed the handler the decision names."""
        self.may_decide(actor, path, at)
        if self.current["body"] == Body.PARTIES and decision["lead"] != self._agreed_handler():
            raise Conflict(
                "a negotiated decision names the handler both parties proposed",
                code="dispute.no_agreement",
            )
        self._decided(rung=self.current["name"], decision=decision, by=actor_data(actor), at=at)

    @event("Decided")
    def _decided(
        self,
        rung: Annotated[str, "the rung whose body decided"],
        decision: Annotated[DecisionData, "who must handle the matter"],
        by: By,
        at: At,
    ) -> None:
        self.decision = dict(decision)

    def decide_at_meeting(
        self,
        *,
        meeting_id: UUID,
        convener: str,
        body_path: AgencyPath,
        decision: DecisionData,
        by: ActorData,
        at: datetime,
    ) -> None:
        """The joint meeting's minutes decide it (seed 000 §三(二)(2)): `convener` called the
        meeting; `body_path` is the tree above the rung's body (the joint conference office),
        whose agency it must be."""
        self.check_decidable_at_meeting(convener, body_path)
        self._decided_at_meeting(
            meeting_id=str(meeting_id), rung=self.current["name"], decision=decision, by=by, at=at
        )

    def check_decidable_at_meeting(self, convener: str, body_path: AgencyPath) -> None:
        """Open, on the joint meeting rung, and the meeting is its body's agency's."""
        self._check_act("decide")
        if self.current["body"] != Body.JOINT_MEETING:
            raise Conflict(
                "a joint meeting decides a dispute only on the joint meeting rung",
                code="dispute.not_at_joint_meeting",
            )
        if body_path.acting_agency().code != convener:
            raise Forbidden(
                "only the joint meeting of the rung's body decides", code="dispute.not_your_rung"
            )

    @event("DecidedAtMeeting")
    def _decided_at_meeting(
        self,
        meeting_id: Annotated[str, "the joint meeting whose minutes decided it (a UUID)"],
        rung: Annotated[str, "the rung whose body decided"],
        decision: Annotated[DecisionData, "who must handle the matter"],
        by: By,
        at: At,
    ) -> None:
        self.decision = dict(decision)

    def may_close(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        self._check_act("close")
        if not (self._is_party(path) or self._is_body(path, self.current)):
            raise Forbidden(
                "only a party or the deciding body closes it", code="dispute.not_involved"
            )

    def close(self, *, actor: Actor, path: AgencyPath, at: datetime) -> None:
        self.may_close(actor, path, at)
        self._closed(by=actor_data(actor), at=at)

    @event("Closed")
    def _closed(self, by: By, at: At) -> None:
        pass

    # Reading ----------------------------------------------------------------------------

    @property
    def current(self) -> dict[str, Any]:
        return self.rungs[self.rung]

    @property
    def bodies(self) -> list[str]:
        return [r["agency"] for r in self.rungs if r.get("agency")]

    @property
    def involved(self) -> list[str]:
        return involved(self.parties, self.rungs)  # type: ignore[arg-type]

    def _check_speaks_for_rung(self, actor: Actor, path: AgencyPath, act: str) -> None:
        rung = self.current
        if self._is_body(path, rung):
            actor.require_role(*DECIDING_ROLES)
            return
        raise Forbidden(
            f"only the {rung['name'].replace('_', ' ')} rung's body may {act} now",
            code="dispute.not_your_rung",
        )

    def _is_body(self, path: AgencyPath, rung: dict[str, Any]) -> bool:
        if rung["body"] == Body.PARTIES:
            return self._is_party(path)
        return path.agency.code == rung["agency"]

    def _is_party(self, path: AgencyPath) -> bool:
        return any(path.speaks_for(p) for p in self.parties)

    def _party_of(self, path: AgencyPath) -> str:
        party = next((p for p in self.parties if path.speaks_for(p)), None)
        if party is None:
            raise Forbidden("only a party records a position", code="dispute.not_a_party")
        return party

    def _agreed_handler(self) -> str:
        proposed = {self.positions.get(p, {}).get("proposed_handler") for p in self.parties}
        if len(proposed) != 1 or None in proposed:
            raise Conflict(
                "a negotiated decision needs both parties to have proposed the same handler",
                code="dispute.no_agreement",
            )
        (handler,) = proposed
        return str(handler)


def check_parties(parties: Sequence[str]) -> None:
    if len(set(parties)) < 2:
        raise Invalid("a dispute is between two agencies", code="dispute.parties_required")


def decision_data(decision: dict[str, Any]) -> DecisionData:
    """{handler} or {lead, assisting, joint} → the recorded form, with `lead` always set."""
    lead = decision.get("lead") or decision.get("handler")
    if not lead:
        raise Invalid(
            "a decision names the agency that must handle the matter",
            code="dispute.handler_required",
        )
    return {
        "lead": lead,
        "assisting": list(decision.get("assisting") or []),
        "joint": list(decision.get("joint") or []),
        "reasons": decision.get("reasons") or "",
    }
