"""The Case (案件): from its source to a numbered, filed case (seed 004, seed 000 §二).

Its statuses and which acts each allows: `domain.case_states`; what its events carry:
`domain.case_events`; the rules it checks: `domain.case_rules`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from eventsourcing.domain import event

from domain import approval
from domain import case_rules as rules
from domain.approval import ApprovalStep, Places
from domain.approval_chains import Form, Gravity
from domain.calendar import WorkingCalendar
from domain.case_decision import (
    DecisionActs,
    DecisionRecordFiled,
    DecisionStamped,
    PaymentSlipIssued,
    PenaltyDecided,
)
from domain.case_documents import DocumentActs, DocumentServed
from domain.case_events import (
    ApprovalStepData,
    CaseDetails,
    CaseNumber,
    EvidenceData,
    Opinion,
    PenaltyData,
    Procedure,
    StepName,
)
from domain.case_extensions import (
    DecisionPeriodExtended,
    ExtendedByCommittee,
    ExtensionActs,
    ExtensionRequested,
)
from domain.case_forms import (
    Classified,
    Consulted,
    FormActs,
    FormApproved,
    FormReturned,
    FormSigned,
    FormSubmitted,
)
from domain.case_measures import (
    MeasureActs,
    MeasureDecisionIssued,
    MeasureFiled,
    MeasureLifted,
    MeasureNoticeGiven,
    MeasureProposed,
    MeasureReported,
    MeasureTaken,
)
from domain.case_notice import (
    HearingHeld,
    HearingNotified,
    HearingRequested,
    NoticeActs,
    NoticeIssued,
    RecusalDecided,
    RecusalRequested,
    StatementRecorded,
)
from domain.case_payment import FinePaid, PaymentActs
from domain.case_rectification import (
    RectificationActs,
    RectificationOrdered,
    Reinspected,
    ReinspectionRequested,
)
from domain.case_states import CASE_LIFECYCLE, CaseStatus
from domain.errors import Conflict
from domain.lifecycle import FollowsLifecycle, OpenAct
from domain.numbering import CaseNumberSequence
from domain.payloads import ActorData, At, By, DeadlineData, Late, Reason, actor_data, deadline_data
from domain.values import Actor, AgencyPath, Role

REPORT_AND_FILE_DAYS = 5  # simple procedure: report and file within 5 (working) days
ACCIDENT_FILING_DAYS = 5  # accident: filed within 5 (working) days of the report's handover
DECISION_DAYS = 30  # decision within 30 days of filing

Deadline = Annotated[DeadlineData, "the time limit this act set"]


class Case(
    MeasureActs,
    RectificationActs,
    NoticeActs,
    DecisionActs,
    FormActs,
    DocumentActs,
    ExtensionActs,
    PaymentActs,
    FollowsLifecycle,
):
    """A case's own acts are here; those of its later steps are in their modules (see
    `domain.case_step`), whose events it names below to make them its own."""

    lifecycle = CASE_LIFECYCLE
    Classified = Classified
    FormSubmitted = FormSubmitted
    FormSigned = FormSigned
    FormApproved = FormApproved
    FormReturned = FormReturned
    DocumentServed = DocumentServed
    NoticeIssued = NoticeIssued
    StatementRecorded = StatementRecorded
    HearingRequested = HearingRequested
    HearingNotified = HearingNotified
    RecusalRequested = RecusalRequested
    RecusalDecided = RecusalDecided
    HearingHeld = HearingHeld
    PenaltyDecided = PenaltyDecided
    DecisionStamped = DecisionStamped
    PaymentSlipIssued = PaymentSlipIssued
    DecisionRecordFiled = DecisionRecordFiled
    ExtensionRequested = ExtensionRequested
    DecisionPeriodExtended = DecisionPeriodExtended
    ExtendedByCommittee = ExtendedByCommittee
    FinePaid = FinePaid
    MeasureProposed = MeasureProposed
    MeasureDecisionIssued = MeasureDecisionIssued
    MeasureNoticeGiven = MeasureNoticeGiven
    MeasureTaken = MeasureTaken
    MeasureReported = MeasureReported
    MeasureFiled = MeasureFiled
    MeasureLifted = MeasureLifted
    RectificationOrdered = RectificationOrdered
    ReinspectionRequested = ReinspectionRequested
    Reinspected = Reinspected

    @classmethod
    def register(
        cls,
        *,
        case_id: UUID,
        actor: Actor,
        unit: AgencyPath,
        details: CaseDetails,
        calendar: WorkingCalendar,
        at: datetime,
    ) -> Case:
        """Registers a case in the actor's unit."""
        handler = unit.agency
        actor.require_valid_certificate(at)
        actor.require_role(Role.OFFICER)
        rules.check_unit_handles_cases(handler)
        procedure, source = details["procedure"], details["source"]
        rules.check_source(procedure, source["kind"], source.get("reference"), handler)
        rules.check_not_in_future(details["occurred_at"], at, "the violation")
        rules.check_handed_over(procedure, source.get("handed_over_at"), at)
        deadlines = []
        if procedure == Procedure.ACCIDENT:
            start = source["handed_over_at"]
            assert start is not None
            due = calendar.add_working_days(start, ACCIDENT_FILING_DAYS)
            deadlines.append(deadline_data("filing", start, due))
        return cls(
            id=case_id,
            agency=unit.acting_agency().code,
            handling_unit=handler.code,
            region=handler.region,
            details=details,
            deadlines=deadlines,
            by=actor_data(actor),
            at=at,
        )

    @event("Registered")
    def __init__(
        self,
        id: UUID,
        agency: Annotated[str, "the agency in whose name the case is handled"],
        handling_unit: Annotated[str, "the unit (office, detachment, brigade) handling it"],
        region: Annotated[str, "the handling unit's region"],
        details: Annotated[CaseDetails, "what the case is about"],
        deadlines: Annotated[list[DeadlineData], "time limits from the start (accident filing)"],
        by: By,
        at: At,
    ) -> None:
        self.agency = agency
        self.handling_unit = handling_unit
        self.region = region
        self.details: dict[str, Any] = dict(details)
        self.procedure = str(details["procedure"])
        is_accident = self.procedure == Procedure.ACCIDENT
        self.gravity = str(Gravity.ACCIDENT if is_accident else Gravity.ORDINARY)
        self.forms: dict[str, dict[str, Any]] = {}
        self.documents: list[dict[str, Any]] = []
        self.number: str | None = None
        self.penalty: PenaltyData | None = None
        self.approval: list[dict[str, Any]] = []
        self.deadlines: dict[str, dict[str, Any]] = {d["name"]: dict(d) for d in deadlines}
        self.evidence: list[dict[str, Any]] = []
        self.closure: dict[str, Any] | None = None
        self.requested_by: str | None = None
        self.crime_transfers: list[UUID] = []

    # Simple procedure (简易程序) -------------------------------------------------------

    def may_decide_on_the_spot(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        self._check_handler_acts(actor, at)
        rules.check_procedure(self.procedure, Procedure.SIMPLE, act="decide on the spot")
        self._check_act("decide_on_the_spot")

    def decide_on_the_spot(
        self,
        *,
        actor: Actor,
        penalty_kind: str,
        amount_fen: int | None,
        sequence: CaseNumberSequence,
        calendar: WorkingCalendar,
        pending_transfers: Sequence[UUID],
        at: datetime,
    ) -> None:
        self.may_decide_on_the_spot(actor, None, at)
        rules.check_no_transfer_pending(pending_transfers, "decide a fine on")
        rules.check_simple_penalty(self.details["party"]["kind"], penalty_kind, amount_fen)
        number = sequence.issue(self.id, at)
        due = calendar.add_working_days(at, REPORT_AND_FILE_DAYS)
        self._decided_on_the_spot(
            penalty={"kind": penalty_kind, "amount_fen": amount_fen},  # type: ignore[typeddict-item]
            number=number,
            deadline=deadline_data("report_and_file", at, due),
            by=actor_data(actor),
            at=at,
        )

    @event("DecidedOnTheSpot")
    def _decided_on_the_spot(
        self,
        penalty: Annotated[PenaltyData, "the penalty decided on the spot"],
        number: CaseNumber,
        deadline: Deadline,
        by: By,
        at: At,
    ) -> None:
        self.penalty = dict(penalty)  # type: ignore[assignment]
        self.number = number
        self.deadlines[deadline["name"]] = dict(deadline)

    def may_report_decision(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        self._check_handler_acts(actor, at)
        self._check_act("report_decision")
        if "report_and_file" not in self.deadlines:
            raise Conflict("only a decision on the spot is reported", code="case.not_on_the_spot")

    def report_decision(self, *, actor: Actor, at: datetime) -> None:
        """The officer reports the on-the-spot decision and hands in the file (递卷备案)."""
        self.may_report_decision(actor, None, at)
        self._decision_reported(
            late=self._is_late("report_and_file", at), by=actor_data(actor), at=at
        )

    @event("DecisionReported")
    def _decision_reported(self, late: Late, by: By, at: At) -> None:
        self.deadlines["report_and_file"]["met_at"] = at

    # General and accident procedure: filing approval (立案审批) ---------------------------

    def may_request_filing(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        self._check_handler_acts(actor, at)
        rules.check_procedure(
            self.procedure, Procedure.GENERAL, Procedure.ACCIDENT, act="request filing"
        )
        self._check_act("request_filing")

    def request_filing(self, *, actor: Actor, places: Places, at: datetime) -> None:
        self.may_request_filing(actor, places.unit, at)
        chain = approval.chain(Form.FILING, Gravity(self.gravity), places)
        self._filing_requested(
            steps=[s.as_data() for s in chain],
            consulted=approval.consulted(chain),
            late=self._is_late("filing", at),
            by=actor_data(actor),
            at=at,
        )

    class FilingRequested(FollowsLifecycle.Event):
        """Since version 2 it names the agencies off the unit's line that sign (the detachment's
        supervision office), which from then on see the case."""

        class_version = 2
        steps: Annotated[list[ApprovalStepData], "the approval form's steps, in signing order"]
        consulted: Consulted
        late: Late
        by: By
        at: At

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["consulted"] = []  # the first review was then signed inside the unit's line

    @event(FilingRequested)
    def _filing_requested(
        self,
        steps: list[ApprovalStepData],
        consulted: list[str],
        late: bool,
        by: By,
        at: datetime,
    ) -> None:
        self.approval = approval.unsigned(steps)
        self.requested_by = by["officer"]

    # The filing form's one act, `sign_filing`, has two routes: review-filing signs a step before
    # the last, approve-filing the last. Each is offered by its own guard (see `offers`).

    def may_review_filing(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        self._check_signer(actor, final=False)

    def review_filing(self, *, actor: Actor, approve: bool, opinion: str, at: datetime) -> None:
        step = self._check_signer(actor, final=False)
        if approve:
            self._filing_reviewed(step=step["name"], opinion=opinion, by=actor_data(actor), at=at)
        else:
            self._return(step, opinion, actor, at)

    @event("FilingReviewed")
    def _filing_reviewed(self, step: StepName, opinion: Opinion, by: By, at: At) -> None:
        self._sign(step, True, opinion, by, at)

    def may_approve_filing(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        self._check_signer(actor, final=True)

    def approve_filing(
        self,
        *,
        actor: Actor,
        approve: bool,
        opinion: str,
        sequence: CaseNumberSequence,
        calendar: WorkingCalendar,
        at: datetime,
    ) -> None:
        step = self._check_signer(actor, final=True)
        if not approve:
            self._return(step, opinion, actor, at)
            return
        number = sequence.issue(self.id, at)
        due = calendar.add_calendar_days(at, DECISION_DAYS)
        self._filed(
            step=step["name"],
            opinion=opinion,
            number=number,
            deadline=deadline_data("decision", at, due),
            by=actor_data(actor),
            at=at,
        )

    @event("Filed")
    def _filed(
        self,
        step: StepName,
        opinion: Opinion,
        number: CaseNumber,
        deadline: Deadline,
        by: By,
        at: At,
    ) -> None:
        self._sign(step, True, opinion, by, at)
        self.number = number
        self.deadlines[deadline["name"]] = dict(deadline)
        if "filing" in self.deadlines:
            self.deadlines["filing"]["met_at"] = at

    def _return(self, step: dict[str, Any], opinion: str, actor: Actor, at: datetime) -> None:
        rules.check_text_given(opinion, "case.opinion_required", "an opinion on a refusal")
        self._filing_returned(step=step["name"], opinion=opinion, by=actor_data(actor), at=at)

    @event("FilingReturned")
    def _filing_returned(self, step: StepName, opinion: Opinion, by: By, at: At) -> None:
        self._sign(step, False, opinion, by, at)

    # Evidence and closing ---------------------------------------------------------------

    def may_attach_evidence(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        self._check_handler_acts(actor, at)
        self._check_act("attach_evidence")

    def attach_evidence(
        self, *, actor: Actor, evidence_id: UUID, record: dict[str, Any], at: datetime
    ) -> None:
        """Attaches a full-process record (执法全过程记录) by its metadata and SHA-256."""
        self.may_attach_evidence(actor, None, at)
        known = {e["sha256"] for e in self.evidence}
        rules.check_evidence(record["kind"], record["sha256"], record["size"], known)
        rules.check_stage(record["stage"])
        evidence: Any = dict(record, id=evidence_id, subject=record.get("subject"))
        self._evidence_attached(evidence=evidence, by=actor_data(actor), at=at)

    class EvidenceAttached(FollowsLifecycle.Event):
        """Since version 2 a record names the step of the case it belongs to."""

        class_version = 2
        evidence: Annotated[EvidenceData, "the record attached"]
        by: By
        at: At

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["evidence"] = dict(state["evidence"], stage=None, subject=None)

    @event(EvidenceAttached)
    def _evidence_attached(self, evidence: EvidenceData, by: By, at: datetime) -> None:
        self.evidence.append(dict(evidence, attached_at=at, attached_by=by["officer"]))

    def may_close(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        """Its crime transfers pending are other resources': the act is given them, and checks
        them after the case's own measures and re-inspections."""
        self._check_handler_acts(actor, at)
        self._check_act("close")
        self._check_no_measure_in_force()
        self._check_no_reinspection_pending()

    def close(
        self, *, actor: Actor, reason: str, pending_transfers: Sequence[UUID], at: datetime
    ) -> None:
        """Closed by the handling unit's officers; supervisors and other units never act.
        `pending_transfers`: its crime transfers still reported, approved, sent or filed."""
        self.may_close(actor, None, at)
        rules.check_no_transfer_pending(pending_transfers, "close")
        rules.check_text_given(reason, "case.reason_required", "a reason for closing")
        self._closed(reason=reason, previous_status=self.status, by=actor_data(actor), at=at)

    class Closed(FollowsLifecycle.Event):
        """Since version 2 it says the status the case was closed from, so a subscriber tells a
        case closed before filing from one closed after its decision without folding the case."""

        class_version = 2
        reason: Reason
        previous_status: Annotated[
            str | None, "the status it was closed from (none for events stored before v2)"
        ]
        by: By
        at: At

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["previous_status"] = None  # not recorded then; the case's earlier events tell

    @event(Closed)
    def _closed(self, reason: str, previous_status: str | None, by: By, at: At) -> None:
        # An upcast version 1 event has no previous status; the state replayed so far knows it.
        previous = previous_status or self.status
        self.closure = {"reason": reason, "by": dict(by), "at": at, "from": previous}

    # Crime transfers (两法衔接) -------------------------------------------------------------

    def check_transferable(self) -> None:
        """A case still open may be transferred; its penalties so far are listed with it."""
        if self.status == CaseStatus.CLOSED:
            raise Conflict("cannot transfer a case that is closed", code="case.closed")

    def record_crime_transfer(self, *, transfer_id: UUID, by: ActorData, at: datetime) -> None:
        self.check_transferable()
        self._crime_transfer_opened(transfer_id=transfer_id, by=by, at=at)

    @event("CrimeTransferOpened")
    def _crime_transfer_opened(
        self,
        transfer_id: Annotated[UUID, "the crime transfer reported or recommended for the case"],
        by: By,
        at: At,
    ) -> None:
        self.crime_transfers.append(transfer_id)

    # Open acts ----------------------------------------------------------------------------

    def offers(self) -> list[OpenAct]:
        """The lifecycle's acts, the filing form's signature by either of its routes, and the
        forms' acts, each on its form."""
        filing = [OpenAct("review_filing"), OpenAct("approve_filing")]
        return super().offers() + filing + self.form_offers()

    # Helpers ---------------------------------------------------------------------------

    @property
    def next_step(self) -> ApprovalStep | None:
        if self.status != CaseStatus.AWAITING_APPROVAL:
            return None
        steps = approval.pending(self.approval)
        return ApprovalStep.from_data(steps[0]) if steps else None

    def _check_signer(self, actor: Actor, *, final: bool) -> dict[str, Any]:
        self._check_act("sign_filing")
        waiting = approval.pending(self.approval)[0]
        rules.check_filing_act(waiting, final=final, last=approval.is_last(self.approval))
        return approval.step_to_sign(self.approval, actor, self.requested_by)

    def _sign(self, step: str, decision: bool, opinion: str, by: By, at: datetime) -> None:
        signer = {"decision": decision, "opinion": opinion, "by": dict(by), "at": at}
        approval.sign(self.approval, step, signer)
