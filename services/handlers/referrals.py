"""Acts on referrals: draft, approve, send, the receiver's answers, and disputing one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID, uuid4

from domain.dispute import DisputeResolution
from domain.errors import Forbidden, Invalid
from domain.mechanism import LadderKind
from domain.referral import Referral
from domain.referral_events import MaterialData, ReferralDraft
from domain.referral_rules import check_rereferable
from domain.values import Actor, AgencyPath
from projections.referral_document import REFERRAL
from services.application import Liandong, Saved
from services.handlers.ladders import resolve_ladder
from services.idempotency import PendingClaim

Act = Callable[[Referral, AgencyPath], None]


class ReferralHandlers:
    def __init__(self, app: Liandong) -> None:
        self.app = app

    def draft(
        self,
        actor: Actor,
        request: ReferralDraft,
        referral_id: UUID | None = None,
        *,
        claim: PendingClaim | None = None,
    ) -> Saved:
        app = self.app
        path = self._actor_path(actor)
        sender = app.directory.path(request.get("from_agency") or actor.agency_code)
        if not sender.chain:
            raise Invalid("the sending agency is not registered", code="referral.sender_unknown")
        receiver = app.directory.agency(request["to_agency"])
        onward = request.get("onward_from")
        if onward:
            self._check_onward(actor, UUID(str(onward)), sender.agency.code)
        referral = Referral.draft(
            referral_id=referral_id or uuid4(),
            actor=actor,
            actor_path=path,
            sender=sender.agency,
            receiver=receiver.ref() if receiver else None,
            request=request,
            lead_region=self._lead_region(request.get("lead_agency")),
            mechanism=app.mechanism_for(sender.agency.region),
            calendar=app.calendar(),
            at=app.clock(),
        )
        return app.store(referral, claim=claim)

    def referral(
        self, actor: Actor, referral_id: UUID, expected_version: int | None = None
    ) -> Referral:
        """The referral, if the actor may see it; otherwise as if it did not exist."""
        referral: Referral = self.app.load_as(actor, referral_id, REFERRAL, expected_version)
        return referral

    def attach_material(
        self,
        actor: Actor,
        referral_id: UUID,
        material: MaterialData,
        *,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        def act(referral: Referral, path: AgencyPath) -> None:
            referral.attach_material(actor=actor, path=path, material=material, at=self.app.clock())

        return self._act(actor, referral_id, act, expected_version, claim)

    def approve(
        self,
        actor: Actor,
        referral_id: UUID,
        *,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        def act(referral: Referral, path: AgencyPath) -> None:
            mechanism = self.app.mechanism_named(referral.mechanism)
            referral.approve(actor=actor, path=path, mechanism=mechanism, at=self.app.clock())

        return self._act(actor, referral_id, act, expected_version, claim)

    def send(
        self,
        actor: Actor,
        referral_id: UUID,
        *,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        def act(referral: Referral, path: AgencyPath) -> None:
            referral.send(
                actor=actor,
                path=path,
                mechanism=self.app.mechanism_named(referral.mechanism),
                calendar=self.app.calendar(),
                at=self.app.clock(),
            )

        return self._act(actor, referral_id, act, expected_version, claim)

    def acknowledge(
        self,
        actor: Actor,
        referral_id: UUID,
        *,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        def act(referral: Referral, path: AgencyPath) -> None:
            referral.acknowledge(actor=actor, path=path, at=self.app.clock())

        return self._act(actor, referral_id, act, expected_version, claim)

    def accept(
        self,
        actor: Actor,
        referral_id: UUID,
        *,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        def act(referral: Referral, path: AgencyPath) -> None:
            referral.accept(actor=actor, path=path, at=self.app.clock())

        return self._act(actor, referral_id, act, expected_version, claim)

    def reject(
        self,
        actor: Actor,
        referral_id: UUID,
        *,
        reason: str,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        def act(referral: Referral, path: AgencyPath) -> None:
            referral.reject(actor=actor, path=path, reason=reason, at=self.app.clock())

        return self._act(actor, referral_id, act, expected_version, claim)

    def answer(
        self,
        actor: Actor,
        referral_id: UUID,
        *,
        answer: str,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        def act(referral: Referral, path: AgencyPath) -> None:
            referral.answer(actor=actor, path=path, answer=answer, at=self.app.clock())

        return self._act(actor, referral_id, act, expected_version, claim)

    def extend_answer(
        self,
        actor: Actor,
        referral_id: UUID,
        *,
        reason: str,
        until: datetime,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        def act(referral: Referral, path: AgencyPath) -> None:
            at = self.app.clock()
            referral.extend_answer(actor=actor, path=path, reason=reason, until=until, at=at)

        return self._act(actor, referral_id, act, expected_version, claim)

    def report_outcome(
        self,
        actor: Actor,
        referral_id: UUID,
        *,
        outcome: str,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        def act(referral: Referral, path: AgencyPath) -> None:
            referral.report_outcome(actor=actor, path=path, outcome=outcome, at=self.app.clock())

        return self._act(actor, referral_id, act, expected_version, claim)

    def dispute(
        self,
        actor: Actor,
        referral_id: UUID,
        *,
        grounds: str,
        interim: str | None = None,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        """The sender disputes a rejection: the referral and its new dispute, in one save."""
        app = self.app
        referral = self.referral(actor, referral_id, expected_version)
        path = self._actor_path(actor)
        region = app.directory.path(referral.from_agency).agency.region
        mechanism = app.mechanism_named(referral.mechanism)
        rungs = resolve_ladder(app.directory, mechanism, LadderKind.REFERRAL, region)
        dispute_id, at = uuid4(), app.clock()
        bodies = [r["agency"] for r in rungs if r["agency"]]
        referral.dispute(
            actor=actor, path=path, dispute_id=dispute_id, bodies=bodies, grounds=grounds, at=at
        )
        dispute = DisputeResolution.open(
            dispute_id=dispute_id,
            actor=actor,
            actor_path=path,
            parties=[referral.from_agency, referral.to_agency],
            rungs=rungs,
            details={
                "matter": referral.details["summary"],
                "grounds": grounds,
                "ladder": LadderKind.REFERRAL,
                "mechanism": mechanism.name,
                "referral_id": str(referral.id),
                "interim": interim or "",
            },
            at=at,
        )
        return app.store(referral, dispute, claim=claim)

    # Helpers ------------------------------------------------------------------------------

    def _act(
        self,
        actor: Actor,
        referral_id: UUID,
        act: Act,
        expected_version: int | None,
        claim: PendingClaim | None,
    ) -> Saved:
        """Load once, act, save: the shape of every act on one referral."""
        referral = self.referral(actor, referral_id, expected_version)
        act(referral, self._actor_path(actor))
        return self.app.store(referral, claim=claim)

    def _actor_path(self, actor: Actor) -> AgencyPath:
        path = self.app.directory.path(actor.agency_code)
        if not path.chain:
            raise Forbidden("the officer's agency is not registered", code="agency.unknown")
        return path

    def _check_onward(self, actor: Actor, onward_from: UUID, sender: str) -> None:
        """Passing a referral on: only its receiver may, and never a rejected or disputed one."""
        earlier = self.referral(actor, onward_from)
        if sender not in (earlier.to_agency, earlier.handler):
            raise Forbidden(
                "only the agency that received a referral may refer it on",
                code="referral.not_receiver",
            )
        check_rereferable(earlier.status, was_disputed=earlier.dispute_id is not None)

    def _lead_region(self, lead: str | None) -> str | None:
        """The region of a named lead comes from the register, never from the request."""
        if not lead:
            return None
        entry = self.app.directory.agency(lead)
        if entry is None:
            raise Invalid(f"no agency {lead!r} to lead", code="referral.lead_unknown")
        return entry.region
