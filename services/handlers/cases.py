"""Acts on cases: register, decide on the spot, filing approval, evidence, closing."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError

from domain.approval import Places
from domain.calendar import WorkingCalendar
from domain.case import Case
from domain.case_events import CaseDetails
from domain.errors import Invalid
from domain.ids import case_number_sequence_id
from domain.numbering import CaseNumberSequence
from domain.values import Actor, AgencyKind, AgencyRef
from projections.case_document import CASE
from services.application import Liandong, Saved
from services.directory import Directory
from services.errors import ConcurrentModification
from services.handlers.crime_transfers import pending_transfers
from services.idempotency import PendingClaim

NumberedAct = Callable[[Case, CaseNumberSequence, WorkingCalendar, datetime], None]
NUMBERING_ATTEMPTS = 20
_LOCKS_GUARD = threading.Lock()


class CaseHandlers:
    def __init__(self, app: Liandong) -> None:
        self.app = app

    def register(
        self,
        actor: Actor,
        details: CaseDetails,
        case_id: UUID | None = None,
        *,
        claim: PendingClaim | None = None,
    ) -> Saved:
        unit = self.app.directory.path(actor.agency_code)
        if not unit.chain:
            raise Invalid("the officer's agency is not registered", code="agency.unknown")
        case = Case.register(
            case_id=case_id or uuid4(),
            actor=actor,
            unit=unit,
            details=details,
            calendar=self.app.calendar(),
            at=self.app.clock(),
        )
        return self.app.store(case, claim=claim)

    def case(self, actor: Actor, case_id: UUID, expected_version: int | None = None) -> Case:
        """The case, if the actor may see it; otherwise as if it did not exist."""
        case: Case = self.app.load_as(actor, case_id, CASE, expected_version)
        return case

    def decide_on_the_spot(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        penalty_kind: str,
        amount_fen: int | None,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        def act(case: Case, seq: CaseNumberSequence, cal: WorkingCalendar, at: datetime) -> None:
            case.decide_on_the_spot(
                actor=actor,
                penalty_kind=penalty_kind,
                amount_fen=amount_fen,
                sequence=seq,
                calendar=cal,
                pending_transfers=pending_transfers(self.app, case),
                at=at,
            )

        return self._numbered(actor, case_id, expected_version, act, claim)

    def report_decision(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        case.report_decision(actor=actor, at=self.app.clock())
        return self.app.store(case, claim=claim)

    def request_filing(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        case.request_filing(actor=actor, places=self.places(case), at=self.app.clock())
        return self.app.store(case, claim=claim)

    def review_filing(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        approve: bool,
        opinion: str,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        case.review_filing(actor=actor, approve=approve, opinion=opinion, at=self.app.clock())
        return self.app.store(case, claim=claim)

    def approve_filing(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        approve: bool,
        opinion: str,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        def act(case: Case, seq: CaseNumberSequence, cal: WorkingCalendar, at: datetime) -> None:
            case.approve_filing(
                actor=actor, approve=approve, opinion=opinion, sequence=seq, calendar=cal, at=at
            )

        return self._numbered(actor, case_id, expected_version, act, claim)

    def attach_evidence(
        self,
        actor: Actor,
        case_id: UUID,
        record: dict[str, Any],
        *,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        at = self.app.clock()
        case.attach_evidence(actor=actor, evidence_id=uuid4(), record=record, at=at)
        return self.app.store(case, claim=claim)

    def close(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        reason: str,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        pending = pending_transfers(self.app, case)
        case.close(actor=actor, reason=reason, pending_transfers=pending, at=self.app.clock())
        return self.app.store(case, claim=claim)

    def places(self, case: Case) -> Places:
        """Where the signers of the case's forms sit, as the register holds it now."""
        directory = self.app.directory
        unit = directory.path(case.handling_unit)
        detachment = unit.nearest(AgencyKind.DETACHMENT)
        bureau = unit.nearest(AgencyKind.DISTRICT_BUREAU, AgencyKind.CITY_BUREAU)
        return Places(
            unit=unit,
            supervision_office=_first(detachment, AgencyKind.SUPERVISION_OFFICE, directory),
            legal=_first(bureau, AgencyKind.LEGAL_DEPARTMENT, directory),
        )

    # Numbers -----------------------------------------------------------------------------

    def _numbered(
        self,
        actor: Actor,
        case_id: UUID,
        expected_version: int | None,
        act: NumberedAct,
        claim: PendingClaim | None,
        document: str | None = None,
    ) -> Saved:
        """Acts that may issue a case number, or the number of a `document` of that kind.
        A conflict on the number sequence alone (another
        case took the number first) is retried with the next number; a conflict on the case
        itself is a race the caller lost."""
        for _ in range(NUMBERING_ATTEMPTS):
            case = self.case(actor, case_id, expected_version)
            loaded_version = case.version
            at = self.app.clock()
            kind = document or case.procedure
            key = self.app.numbering.sequence_key(case.region, kind, at)
            with self._sequence_lock(case_number_sequence_id(*key)):
                sequence = self._sequence(*key)
                act(case, sequence, self.app.calendar(), at)
                try:
                    return self.app.store(case, sequence, claim=claim)
                except ConcurrentModification:
                    if self.app.load(case_id).version != loaded_version:
                        raise
        raise ConcurrentModification("the case number sequence is too busy; try again")

    def _sequence(self, prefix: str, abbreviation: str, year: int) -> CaseNumberSequence:
        try:
            return self.app.repository.get(case_number_sequence_id(prefix, abbreviation, year))
        except AggregateNotFoundError:
            return CaseNumberSequence.start(prefix, abbreviation, year)

    def _sequence_lock(self, sequence_id: UUID) -> threading.Lock:
        # Serialises number issuing within this process; other processes are kept apart by
        # optimistic concurrency on the sequence's version.
        with _LOCKS_GUARD:
            return self.app.sequence_locks.setdefault(sequence_id, threading.Lock())


def _first(parent: AgencyRef | None, kind: AgencyKind, directory: Directory) -> str | None:
    found = directory.children_of_kind(parent.code, kind) if parent else []
    return found[0] if found else None
