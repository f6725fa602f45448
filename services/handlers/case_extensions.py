"""Acts extending a case's decision period and confirming an on-the-spot fine's payment."""

from __future__ import annotations

from datetime import datetime
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

    def record_payment(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        bank_reference: str,
        paid_at: datetime,
        amount_fen: int,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        case.record_payment(
            actor=actor,
            bank_reference=bank_reference,
            paid_at=paid_at,
            amount_fen=amount_fen,
            places=self.places(case),
            at=self.app.clock(),
        )
        return self.app.store(case, claim=claim)
