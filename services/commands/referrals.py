"""Commands on referrals: draft, approve, send, the receiver's answers, and disputing one."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from domain.dispute import DisputeResolution
from domain.errors import Forbidden, Invalid
from domain.mechanism import LadderKind
from domain.referral import Referral
from domain.referral_events import MaterialData, ReferralDraft
from domain.referral_rules import check_rereferable
from domain.values import Actor, AgencyPath
from services.commands.base import Commands
from services.resources import REFERRAL

if TYPE_CHECKING:
    from services.application import Saved


class ReferralCommands(Commands):
    def draft_referral(
        self, actor: Actor, details: ReferralDraft, referral_id: UUID | None = None
    ) -> Saved:
        path = self._actor_path(actor)
        sender = self.directory.path(details.get("from_agency") or actor.agency_code)
        if not sender.chain:
            raise Invalid("the sending agency is not registered", code="referral.sender_unknown")
        receiver = self.directory.agency(details["to_agency"])
        if details.get("onward_from"):
            self._check_onward(actor, UUID(str(details.get("onward_from"))), sender.agency.code)
        referral = Referral.draft(
            referral_id=referral_id or uuid4(),
            actor=actor,
            actor_path=path,
            sender=sender.agency,
            receiver=receiver.ref() if receiver else None,
            request=details,
            lead_region=self._lead_region(details.get("lead_agency")),
            mechanism=self.mechanism_for(sender.agency.region),
            calendar=self.calendar(),
            at=self.clock(),
        )
        return self.store(referral)

    def referral(
        self, actor: Actor, referral_id: UUID, expected_version: int | None = None
    ) -> Referral:
        """The referral, if the actor's agency is party to it or oversees a party; otherwise
        as if it did not exist."""
        referral: Referral = self.load_as(actor, referral_id, REFERRAL, expected_version)
        return referral

    def attach_referral_material(
        self,
        actor: Actor,
        referral_id: UUID,
        material: MaterialData,
        expected_version: int | None = None,
    ) -> Saved:
        referral = self.referral(actor, referral_id, expected_version)
        referral.attach_material(
            actor=actor, path=self._actor_path(actor), material=material, at=self.clock()
        )
        return self.store(referral)

    def approve_referral(
        self, actor: Actor, referral_id: UUID, expected_version: int | None = None
    ) -> Saved:
        referral = self.referral(actor, referral_id, expected_version)
        mechanism = self.mechanism_named(referral.mechanism)
        referral.approve(
            actor=actor, path=self._actor_path(actor), mechanism=mechanism, at=self.clock()
        )
        return self.store(referral)

    def send_referral(
        self, actor: Actor, referral_id: UUID, expected_version: int | None = None
    ) -> Saved:
        referral = self.referral(actor, referral_id, expected_version)
        referral.send(
            actor=actor,
            path=self._actor_path(actor),
            mechanism=self.mechanism_named(referral.mechanism),
            calendar=self.calendar(),
            at=self.clock(),
        )
        return self.store(referral)

    def acknowledge_referral(
        self, actor: Actor, referral_id: UUID, expected_version: int | None = None
    ) -> Saved:
        referral = self.referral(actor, referral_id, expected_version)
        referral.acknowledge(actor=actor, path=self._actor_path(actor), at=self.clock())
        return self.store(referral)

    def accept_referral(
        self, actor: Actor, referral_id: UUID, expected_version: int | None = None
    ) -> Saved:
        referral = self.referral(actor, referral_id, expected_version)
        referral.accept(actor=actor, path=self._actor_path(actor), at=self.clock())
        return self.store(referral)

    def reject_referral(
        self, actor: Actor, referral_id: UUID, *, reason: str, expected_version: int | None = None
    ) -> Saved:
        referral = self.referral(actor, referral_id, expected_version)
        referral.reject(actor=actor, path=self._actor_path(actor), reason=reason, at=self.clock())
        return self.store(referral)

    def answer_referral(
        self, actor: Actor, referral_id: UUID, *, answer: str, expected_version: int | None = None
    ) -> Saved:
        referral = self.referral(actor, referral_id, expected_version)
        referral.answer(actor=actor, path=self._actor_path(actor), answer=answer, at=self.clock())
        return self.store(referral)

    def extend_referral_answer(
        self,
        actor: Actor,
        referral_id: UUID,
        *,
        reason: str,
        until: datetime,
        expected_version: int | None = None,
    ) -> Saved:
        referral = self.referral(actor, referral_id, expected_version)
        referral.extend_answer(
            actor=actor, path=self._actor_path(actor), reason=reason, until=until, at=self.clock()
        )
        return self.store(referral)

    def report_referral_outcome(
        self, actor: Actor, referral_id: UUID, *, outcome: str, expected_version: int | None = None
    ) -> Saved:
        referral = self.referral(actor, referral_id, expected_version)
        referral.report_outcome(
            actor=actor, path=self._actor_path(actor), outcome=outcome, at=self.clock()
        )
        return self.store(referral)

    def dispute_referral(
        self,
        actor: Actor,
        referral_id: UUID,
        *,
        grounds: str,
        interim: str | None = None,
        expected_version: int | None = None,
    ) -> Saved:
        """The sender disputes a rejection: the referral and its new dispute, in one save."""
        referral = self.referral(actor, referral_id, expected_version)
        path = self._actor_path(actor)
        sender_region = self.directory.path(referral.from_agency).agency.region
        mechanism = self.mechanism_named(referral.mechanism)
        rungs = self.resolve_ladder(mechanism, LadderKind.REFERRAL, sender_region)
        dispute_id = uuid4()
        referral.dispute(
            actor=actor,
            path=path,
            dispute_id=dispute_id,
            bodies=[r["agency"] for r in rungs if r["agency"]],
            grounds=grounds,
            at=self.clock(),
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
            at=self.clock(),
        )
        return self.store(referral, dispute)

    # Helpers ------------------------------------------------------------------------------

    def _actor_path(self, actor: Actor) -> AgencyPath:
        path = self.directory.path(actor.agency_code)
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
        entry = self.directory.agency(lead)
        if entry is None:
            raise Invalid(f"no agency {lead!r} to lead", code="referral.lead_unknown")
        return entry.region
