"""Acts extending a case's decision period."""

from __future__ import annotations

from uuid import UUID

from domain.values import Actor
from services.application import Saved
from services.handlers.cases import CaseHandlers
from services.idempotency import PendingClaim


class CaseExtensionHandlers(CaseHandlers):
    def request_extension(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        reason: str,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        case.request_extension(
            actor=actor,
            reason=reason,
            places=self.places(case),
            calendar=self.app.calendar(),
            at=self.app.clock(),
        )
        return self.app.store(case, claim=claim)

    def extend_by_committee(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        met_on: str,
        record: str,
        reason: str,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        case.extend_by_committee(
            actor=actor,
            met_on=met_on,
            record=record,
            reason=reason,
            places=self.places(case),
            calendar=self.app.calendar(),
            at=self.app.clock(),
        )
        return self.app.store(case, claim=claim)
