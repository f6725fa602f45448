"""Acts on a case's forms, gravity and documents."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.approval_chains import Form
from domain.values import Actor
from services.application import Saved
from services.handlers.cases import CaseHandlers
from services.idempotency import PendingClaim


class CaseFormHandlers(CaseHandlers):
    def classify(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        gravity: str,
        reason: str,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        case.classify(actor=actor, gravity=gravity, reason=reason, at=self.app.clock())
        return self.app.store(case, claim=claim)

    def submit_form(
        self,
        actor: Actor,
        case_id: UUID,
        form: Form,
        *,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        case.submit_form(actor=actor, form=form, places=self.places(case), at=self.app.clock())
        return self.app.store(case, claim=claim)

    def sign_form(
        self,
        actor: Actor,
        case_id: UUID,
        form: Form,
        *,
        approve: bool,
        opinion: str,
        subject: str | None = None,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        at = self.app.clock()
        case.sign_form(
            actor=actor, form=form, approve=approve, opinion=opinion, subject=subject, at=at
        )
        return self.app.store(case, claim=claim)

    def serve(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        number: str,
        receipt: dict[str, Any],
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        case.serve(
            actor=actor,
            number=number,
            receipt=receipt,
            calendar=self.app.calendar(),
            at=self.app.clock(),
        )
        return self.app.store(case, claim=claim)
