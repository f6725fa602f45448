"""Commands on disputes: open one directly, record positions, escalate, decide, close."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from domain.dispute import DisputeResolution, check_parties, decision_data
from domain.dispute_events import RungData
from domain.errors import Conflict, Invalid
from domain.mechanism import Body, LadderKind, Mechanism
from domain.payloads import actor_data
from domain.referral import Referral
from domain.values import Actor, AgencyKind
from services.commands.base import Commands
from services.resources import DISPUTE

if TYPE_CHECKING:
    from services.application import Saved


class DisputeCommands(Commands):
    def open_dispute(self, actor: Actor, details: dict[str, Any]) -> Saved:
        """Two agencies disagree about who must handle a matter (no referral behind it)."""
        path = self.directory.path(actor.agency_code)
        parties = list(details.get("parties") or [])
        check_parties(parties)  # before the ladder is looked up from the first party's region
        for party in parties:
            if self.directory.agency(party) is None:
                raise Invalid(f"no agency {party!r}", code="dispute.party_unknown")
        region = self.directory.path(parties[0]).agency.region
        mechanism = self.mechanism_for(region)
        kind = (
            LadderKind.MAJOR_CROSS_REGION
            if details.get("major_cross_region")
            else LadderKind.DIRECT
        )
        dispute = DisputeResolution.open(
            dispute_id=uuid4(),
            actor=actor,
            actor_path=path,
            parties=parties,
            rungs=self.resolve_ladder(mechanism, kind, region),
            details={
                "matter": details["matter"],
                "grounds": details["grounds"],
                "ladder": kind,
                "mechanism": mechanism.name,
                "referral_id": None,
                "interim": details.get("interim") or "",
            },
            at=self.clock(),
        )
        return self.store(dispute)

    def dispute(
        self, actor: Actor, dispute_id: UUID, expected_version: int | None = None
    ) -> DisputeResolution:
        dispute: DisputeResolution = self.load_as(actor, dispute_id, DISPUTE, expected_version)
        return dispute

    def record_dispute_position(
        self,
        actor: Actor,
        dispute_id: UUID,
        *,
        position: str,
        proposed_handler: str | None,
        expected_version: int | None = None,
    ) -> Saved:
        dispute = self.dispute(actor, dispute_id, expected_version)
        if proposed_handler and self.directory.agency(proposed_handler) is None:
            raise Invalid(f"no agency {proposed_handler!r}", code="dispute.handler_unknown")
        dispute.record_position(
            actor=actor,
            path=self.directory.path(actor.agency_code),
            position=position,
            proposed_handler=proposed_handler,
            at=self.clock(),
        )
        return self.store(dispute)

    def escalate_dispute(
        self, actor: Actor, dispute_id: UUID, *, reason: str, expected_version: int | None = None
    ) -> Saved:
        dispute = self.dispute(actor, dispute_id, expected_version)
        dispute.escalate(
            actor=actor, path=self.directory.path(actor.agency_code), reason=reason, at=self.clock()
        )
        return self.store(dispute)

    def decide_dispute(
        self,
        actor: Actor,
        dispute_id: UUID,
        decision: dict[str, Any],
        expected_version: int | None = None,
    ) -> Saved:
        """The decision, and with it the disputed referral settled, in one save."""
        dispute = self.dispute(actor, dispute_id, expected_version)
        recorded = decision_data(decision)
        for code in [recorded["lead"], *recorded["assisting"], *recorded["joint"]]:
            if self.directory.agency(code) is None:
                raise Invalid(f"no agency {code!r}", code="dispute.handler_unknown")
        at = self.clock()
        dispute.decide(
            actor=actor, path=self.directory.path(actor.agency_code), decision=recorded, at=at
        )
        if dispute.referral_id is None:
            return self.store(dispute)
        referral: Referral = self.load(UUID(dispute.referral_id))
        referral.settle(dispute_id=dispute.id, decision=recorded, by=actor_data(actor), at=at)
        return self.store(dispute, referral)

    def close_dispute(
        self, actor: Actor, dispute_id: UUID, expected_version: int | None = None
    ) -> Saved:
        dispute = self.dispute(actor, dispute_id, expected_version)
        dispute.close(actor=actor, path=self.directory.path(actor.agency_code), at=self.clock())
        return self.store(dispute)

    # The ladder ---------------------------------------------------------------------------

    def resolve_ladder(self, mechanism: Mechanism, kind: LadderKind, region: str) -> list[RungData]:
        return [
            {
                "name": rung.name,
                "body": rung.body,
                "agency": self._body_agency(rung.body, region),
            }
            for rung in mechanism.ladder(kind)
        ]

    def _body_agency(self, body: Body, region: str) -> str | None:
        if body == Body.PARTIES:
            return None
        found = self._bodies(body, region)
        if not found:
            raise Conflict(
                f"no {body.value.replace('_', ' ')} is registered to decide disputes in {region}",
                code="dispute.body_missing",
            )
        return found[0]

    def _bodies(self, body: Body, region: str) -> list[str]:
        find = self.directory.find
        if body == Body.DISTRICT_GOVERNMENT:
            return find(AgencyKind.DISTRICT_GOVERNMENT, region=region)
        if body == Body.CITY_LEGAL:
            return [
                c
                for city in find(AgencyKind.CITY_BUREAU)
                for c in find(AgencyKind.LEGAL_DEPARTMENT, under=city)
            ]
        kind = (
            AgencyKind.LEGAL_DEPARTMENT
            if body == Body.LEGAL_DEPARTMENT
            else AgencyKind.JOINT_CONFERENCE_OFFICE
        )
        bureaus = find(AgencyKind.DISTRICT_BUREAU, region=region)
        return [c for bureau in bureaus for c in find(kind, under=bureau)]
