"""Acts on a case's compulsory measures and rectification orders."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID, uuid4

from domain.calendar import WorkingCalendar
from domain.case import Case
from domain.errors import Invalid
from domain.numbering import CaseNumberSequence
from domain.values import Actor, AgencyKind
from services.application import Saved
from services.handlers.cases import CaseHandlers
from services.idempotency import PendingClaim

DETACHMENT_UNIT_KINDS = (AgencyKind.DETACHMENT_OFFICE, AgencyKind.SUPERVISION_OFFICE)


class CaseMeasureHandlers(CaseHandlers):
    def propose_measure(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        kind: str,
        grounds: str,
        emergency: bool,
        together_with: Sequence[str],
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        at, measure_id, places = self.app.clock(), uuid4(), self.places(case)
        if emergency:
            case.take_on_the_spot(
                actor=actor,
                measure_id=measure_id,
                kind=kind,
                grounds=grounds,
                together_with=self._officers(together_with),
                detachment_units=self._detachment_units(case),
                places=places,
                calendar=self.app.calendar(),
                at=at,
            )
        else:
            case.propose_measure(
                actor=actor, measure_id=measure_id, kind=kind, grounds=grounds, places=places, at=at
            )
        return self.app.store(case, claim=claim)

    def report_measure(
        self,
        actor: Actor,
        case_id: UUID,
        measure_id: UUID,
        *,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        places = self.places(case)
        case.report_measure(actor=actor, measure_id=measure_id, places=places, at=self.app.clock())
        return self.app.store(case, claim=claim)

    def issue_measure_decision(
        self,
        actor: Actor,
        case_id: UUID,
        measure_id: UUID,
        *,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        def act(case: Case, seq: CaseNumberSequence, cal: WorkingCalendar, at: datetime) -> None:
            case.issue_measure_decision(actor=actor, measure_id=measure_id, sequence=seq, at=at)

        return self._numbered(actor, case_id, expected_version, act, claim, document="measure")

    def notify_measure(
        self,
        actor: Actor,
        case_id: UUID,
        measure_id: UUID,
        *,
        notified_at: datetime,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        at = self.app.clock()
        case.notify_measure(actor=actor, measure_id=measure_id, notified_at=notified_at, at=at)
        return self.app.store(case, claim=claim)

    def take_measure(
        self,
        actor: Actor,
        case_id: UUID,
        measure_id: UUID,
        *,
        together_with: Sequence[str],
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        case.take_measure(
            actor=actor,
            measure_id=measure_id,
            together_with=self._officers(together_with),
            detachment_units=self._detachment_units(case),
            calendar=self.app.calendar(),
            at=self.app.clock(),
        )
        return self.app.store(case, claim=claim)

    def file_measure(
        self,
        actor: Actor,
        case_id: UUID,
        measure_id: UUID,
        *,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        case.file_measure(actor=actor, measure_id=measure_id, at=self.app.clock())
        return self.app.store(case, claim=claim)

    def lift_measure(
        self,
        actor: Actor,
        case_id: UUID,
        measure_id: UUID,
        *,
        reason: str,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        case.lift_measure(actor=actor, measure_id=measure_id, reason=reason, at=self.app.clock())
        return self.app.store(case, claim=claim)

    # Rectification orders ----------------------------------------------------------------

    def order_rectification(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        items: Sequence[str],
        due: datetime,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        order_id = uuid4()

        def act(case: Case, seq: CaseNumberSequence, cal: WorkingCalendar, at: datetime) -> None:
            case.order_rectification(
                actor=actor,
                order_id=order_id,
                items=items,
                due=due,
                sequence=seq,
                calendar=cal,
                at=at,
            )

        return self._numbered(actor, case_id, expected_version, act, claim, "rectification")

    def request_reinspection(
        self,
        actor: Actor,
        case_id: UUID,
        order_id: UUID,
        *,
        asked_at: datetime,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        case.request_reinspection(
            actor=actor,
            order_id=order_id,
            asked_at=asked_at,
            calendar=self.app.calendar(),
            at=self.app.clock(),
        )
        return self.app.store(case, claim=claim)

    def reinspect(
        self,
        actor: Actor,
        case_id: UUID,
        order_id: UUID,
        *,
        complied: bool,
        findings: str,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        def act(case: Case, seq: CaseNumberSequence, cal: WorkingCalendar, at: datetime) -> None:
            case.reinspect(
                actor=actor,
                order_id=order_id,
                complied=complied,
                findings=findings,
                sequence=seq,
                places=self.places(case),
                at=at,
            )

        return self._numbered(actor, case_id, expected_version, act, claim, "reinspection")

    # The register ------------------------------------------------------------------------

    def _officers(self, ids: Sequence[str]) -> list[Actor]:
        """The officers a measure is taken with, as the register holds them."""
        found = []
        for officer in dict.fromkeys(ids):
            entry = self.app.directory.officer(officer)
            person = (
                self.app.directory.registered_actor(officer, entry.agency_code) if entry else None
            )
            if person is None:
                raise Invalid(f"no officer {officer} is registered", code="case.officer_unknown")
            found.append(person)
        return found

    def _detachment_units(self, case: Case) -> frozenset[str]:
        """The detachment above the case's unit and its offices."""
        directory = self.app.directory
        detachment = directory.path(case.handling_unit).nearest(AgencyKind.DETACHMENT)
        if detachment is None:
            return frozenset()
        offices = [
            c for k in DETACHMENT_UNIT_KINDS for c in directory.children_of_kind(detachment.code, k)
        ]
        return frozenset({detachment.code, *offices})
