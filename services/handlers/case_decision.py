"""Acts on a case's notice, hearing, decision and what follows it (seed 004 §三-§八).

The legal department's acts (the hearing, the stamp, the payment slip) name the bureau's
legal department as the register holds it; record filing goes to the city bureau's legal
department; a decision of a major or accident case names its case review meeting, loaded
here; no officer of the handling unit who took an act on the case sits on its hearing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from domain.calendar import WorkingCalendar
from domain.case import Case
from domain.case_decision import ReviewMeetingData
from domain.case_notice import PanelistData
from domain.case_payment import BankConfirmationData
from domain.errors import Invalid
from domain.meeting import JointMeeting
from domain.meeting_states import MeetingStatus
from domain.numbering import CaseNumberSequence
from domain.values import Actor, AgencyKind
from services.application import Saved, loaded_records
from services.handlers.cases import CaseHandlers
from services.idempotency import PendingClaim


class CaseDecisionHandlers(CaseHandlers):
    # The notice and the party's answer ----------------------------------------------------

    def issue_notice(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        penalty: dict[str, Any],
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        def act(case: Case, sequence: CaseNumberSequence, _: WorkingCalendar, at: datetime) -> None:
            case.issue_notice(actor=actor, penalty=penalty, sequence=sequence, at=at)

        return self._numbered(actor, case_id, expected_version, act, claim, document="notice")

    def record_statement(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        statement: str,
        record_sha256: str | None,
        hearing_waived: bool,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        case.record_statement(
            actor=actor,
            statement=statement,
            record_sha256=record_sha256,
            hearing_waived=hearing_waived,
            at=self.app.clock(),
        )
        return self.app.store(case, claim=claim)

    def request_hearing(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        case.request_hearing(actor=actor, legal=self.places(case).legal, at=self.app.clock())
        return self.app.store(case, claim=claim)

    # The hearing, by the legal department -------------------------------------------------

    def notify_hearing(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        hearing_at: datetime,
        place: str,
        presider: str,
        members: list[str],
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        def act(case: Case, sequence: CaseNumberSequence, _: WorkingCalendar, at: datetime) -> None:
            case.notify_hearing(
                actor=actor,
                legal=self.places(case).legal,
                hearing_at=hearing_at,
                place=place,
                presider=self._panelist(presider),
                members=[self._panelist(member) for member in members],
                investigators=self.investigators(case),
                sequence=sequence,
                at=at,
            )

        return self._numbered(
            actor, case_id, expected_version, act, claim, document="hearing_notice"
        )

    def request_recusal(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        officer: str,
        reason: str,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        case.request_recusal(
            actor=actor,
            legal=self.places(case).legal,
            officer=officer,
            reason=reason,
            at=self.app.clock(),
        )
        return self.app.store(case, claim=claim)

    def decide_recusal(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        granted: bool,
        reason: str,
        replacement: str | None,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        case.decide_recusal(
            actor=actor,
            legal=self.places(case).legal,
            granted=granted,
            reason=reason,
            replacement=self._panelist(replacement) if replacement else None,
            investigators=self.investigators(case),
            at=self.app.clock(),
        )
        return self.app.store(case, claim=claim)

    def hold_hearing(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        record_sha256: str,
        opinion: str,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        case.hold_hearing(
            actor=actor,
            legal=self.places(case).legal,
            record_sha256=record_sha256,
            opinion=opinion,
            at=self.app.clock(),
        )
        return self.app.store(case, claim=claim)

    # The decision and what follows it -----------------------------------------------------

    def decide(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        penalty: dict[str, Any],
        meeting_id: UUID | None,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        case.decide(
            actor=actor,
            penalty=penalty,
            meeting=self._review_meeting(meeting_id),
            calendar=self.app.calendar(),
            at=self.app.clock(),
        )
        return self.app.store(case, claim=claim)

    def stamp(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        case.stamp_decision(actor=actor, legal=self.places(case).legal, at=self.app.clock())
        return self.app.store(case, claim=claim)

    def issue_payment_slip(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        slip_number: str,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        case.issue_payment_slip(
            actor=actor,
            legal=self.places(case).legal,
            slip_number=slip_number,
            at=self.app.clock(),
        )
        return self.app.store(case, claim=claim)

    def record_payment(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        confirmation: BankConfirmationData,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        case.record_payment(
            actor=actor,
            confirmation=confirmation,
            places=self.places(case),
            at=self.app.clock(),
        )
        return self.app.store(case, claim=claim)

    def file_record(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        case = self.case(actor, case_id, expected_version)
        filed_with = self.city_legal_department(case.region)
        case.file_record(actor=actor, filed_with=filed_with, at=self.app.clock())
        return self.app.store(case, claim=claim)

    # What the acts need from the register and the store -----------------------------------

    def investigators(self, case: Case) -> set[str]:
        """The handling unit's officers who took an act on the case, from the history it was
        loaded from."""
        return {
            record.data["by"]["officer"]
            for record in loaded_records(case)
            if isinstance(record.data.get("by"), dict)
            and record.data["by"].get("agency") == case.handling_unit
        }

    def city_legal_department(self, region: str) -> str | None:
        """The legal department of the city bureau of the case's city, or of the only city
        bureau registered."""
        directory = self.app.directory
        bureaus = directory.find(AgencyKind.CITY_BUREAU, region=region[:4] + "00")
        if not bureaus:
            every = directory.find(AgencyKind.CITY_BUREAU)
            bureaus = every if len(every) == 1 else []
        for bureau in bureaus:
            legal = directory.children_of_kind(bureau, AgencyKind.LEGAL_DEPARTMENT)
            if legal:
                return legal[0]
        return None

    def _panelist(self, officer: str) -> PanelistData:
        entry = self.app.directory.officer(officer)
        if entry is None:
            raise Invalid(f"no officer {officer} is registered", code="case.officer_unknown")
        return {
            "officer": entry.officer,
            "agency": entry.agency_code,
            "name": entry.name,
            "roles": list(entry.roles),
        }

    def _review_meeting(self, meeting_id: UUID | None) -> ReviewMeetingData | None:
        if meeting_id is None:
            return None
        meeting = self.app.load(meeting_id)
        if not isinstance(meeting, JointMeeting):
            raise Invalid("no such meeting", code="case.meeting_unknown")
        case_id = meeting.subject.get("case_id")
        return {
            "id": meeting.id,
            "kind": str(meeting.kind),
            "case_id": UUID(str(case_id)) if case_id else None,
            "minutes_issued": meeting.status == MeetingStatus.MINUTES_ISSUED,
        }
