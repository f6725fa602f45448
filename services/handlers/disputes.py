"""Acts on disputes: open one directly, record positions, escalate, decide, close."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

from domain.dispute import DisputeResolution, check_parties, decision_data
from domain.errors import Invalid
from domain.mechanism import LadderKind
from domain.payloads import actor_data
from domain.referral import Referral
from domain.values import Actor, AgencyPath
from projections.dispute_document import DISPUTE
from services.application import Liandong, Saved
from services.handlers.ladders import resolve_ladder
from services.idempotency import PendingClaim

Act = Callable[[DisputeResolution, AgencyPath], None]


class DisputeHandlers:
    def __init__(self, app: Liandong) -> None:
        self.app = app

    def open(
        self, actor: Actor, details: dict[str, Any], *, claim: PendingClaim | None = None
    ) -> Saved:
        """Two agencies disagree about who must handle a matter (no referral behind it)."""
        app = self.app
        parties = list(details.get("parties") or [])
        check_parties(parties)  # before the ladder is looked up from the first party's region
        for party in parties:
            self._check_registered(party, "dispute.party_unknown")
        region = app.directory.path(parties[0]).agency.region
        mechanism = app.mechanism_for(region)
        major = details.get("major_cross_region")
        kind = LadderKind.MAJOR_CROSS_REGION if major else LadderKind.DIRECT
        dispute = DisputeResolution.open(
            dispute_id=uuid4(),
            actor=actor,
            actor_path=app.directory.path(actor.agency_code),
            parties=parties,
            rungs=resolve_ladder(app.directory, mechanism, kind, region),
            details={
                "matter": details["matter"],
                "grounds": details["grounds"],
                "ladder": kind,
                "mechanism": mechanism.name,
                "referral_id": None,
                "interim": details.get("interim") or "",
            },
            at=app.clock(),
        )
        return app.store(dispute, claim=claim)

    def dispute(
        self, actor: Actor, dispute_id: UUID, expected_version: int | None = None
    ) -> DisputeResolution:
        dispute: DisputeResolution = self.app.load_as(actor, dispute_id, DISPUTE, expected_version)
        return dispute

    def record_position(
        self,
        actor: Actor,
        dispute_id: UUID,
        *,
        position: str,
        proposed_handler: str | None,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        def act(dispute: DisputeResolution, path: AgencyPath) -> None:
            if proposed_handler:
                self._check_registered(proposed_handler, "dispute.handler_unknown")
            dispute.record_position(
                actor=actor,
                path=path,
                position=position,
                proposed_handler=proposed_handler,
                at=self.app.clock(),
            )

        return self._act(actor, dispute_id, act, expected_version, claim)

    def escalate(
        self,
        actor: Actor,
        dispute_id: UUID,
        *,
        reason: str,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        def act(dispute: DisputeResolution, path: AgencyPath) -> None:
            dispute.escalate(actor=actor, path=path, reason=reason, at=self.app.clock())

        return self._act(actor, dispute_id, act, expected_version, claim)

    def decide(
        self,
        actor: Actor,
        dispute_id: UUID,
        decision: dict[str, Any],
        *,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        """The decision, and with it the disputed referral settled, in one save."""
        dispute = self.dispute(actor, dispute_id, expected_version)
        recorded = decision_data(decision)
        for code in [recorded["lead"], *recorded["assisting"], *recorded["joint"]]:
            self._check_registered(code, "dispute.handler_unknown")
        at = self.app.clock()
        path = self.app.directory.path(actor.agency_code)
        dispute.decide(actor=actor, path=path, decision=recorded, at=at)
        if dispute.referral_id is None:
            return self.app.store(dispute, claim=claim)
        referral: Referral = self.app.load(UUID(dispute.referral_id))
        referral.settle(dispute_id=dispute.id, decision=recorded, by=actor_data(actor), at=at)
        return self.app.store(dispute, referral, claim=claim)

    def close(
        self,
        actor: Actor,
        dispute_id: UUID,
        *,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        def act(dispute: DisputeResolution, path: AgencyPath) -> None:
            dispute.close(actor=actor, path=path, at=self.app.clock())

        return self._act(actor, dispute_id, act, expected_version, claim)

    def _act(
        self,
        actor: Actor,
        dispute_id: UUID,
        act: Act,
        expected_version: int | None,
        claim: PendingClaim | None,
    ) -> Saved:
        dispute = self.dispute(actor, dispute_id, expected_version)
        act(dispute, self.app.directory.path(actor.agency_code))
        return self.app.store(dispute, claim=claim)

    def _check_registered(self, code: str, error: str) -> None:
        if self.app.directory.agency(code) is None:
            raise Invalid(f"no agency {code!r}", code=error)
