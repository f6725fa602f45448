"""The Case (案件): from its source to a numbered, filed case (seed 004, seed 000 §二)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.acts import actor_data, deadline_data
from domain.approval import APPROVAL, ApprovalStep, filing_chain
from domain.calendar import WorkingCalendar
from domain.case_rules import (
    CaseStatus,
    Procedure,
    check_evidence,
    check_handed_over,
    check_not_in_future,
    check_procedure,
    check_simple_penalty,
    check_source,
    check_status,
    check_text_given,
    check_unit_handles_cases,
)
from domain.errors import Conflict, Forbidden
from domain.numbering import CaseNumberSequence
from domain.values import Actor, AgencyPath

REPORT_AND_FILE_DAYS = 5  # simple procedure: report and file within 5 (working) days
ACCIDENT_FILING_DAYS = 5  # accident: filed within 5 (working) days of the report's handover
DECISION_DAYS = 30  # decision within 30 days of filing


class Case(Aggregate):
    @classmethod
    def register(
        cls,
        *,
        case_id: UUID,
        actor: Actor,
        unit: AgencyPath,
        details: dict[str, Any],
        calendar: WorkingCalendar,
        at: datetime,
    ) -> Case:
        """Registers a case in the actor's unit. `details` carries source, procedure, summary,
        party, place and occurred_at as plain data."""
        handler = unit.agency
        actor.require_valid_certificate(at)
        check_unit_handles_cases(handler)
        procedure, source = details["procedure"], details["source"]
        check_source(procedure, source["kind"], source.get("reference"), handler)
        check_not_in_future(details["occurred_at"], at, "the violation")
        check_handed_over(procedure, source.get("handed_over_at"), at)
        deadlines = []
        if procedure == Procedure.ACCIDENT:
            start = source["handed_over_at"]
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
        agency: str,
        handling_unit: str,
        region: str,
        details: dict[str, Any],
        deadlines: list[dict[str, Any]],
        by: dict[str, str],
        at: datetime,
    ) -> None:
        self.agency = agency
        self.handling_unit = handling_unit
        self.region = region
        self.details = dict(details)
        self.procedure = str(details["procedure"])
        self.status = CaseStatus.REGISTERED
        self.registered_by = dict(by)
        self.registered_at = at
        self.number: str | None = None
        self.penalty: dict[str, Any] | None = None
        self.approval: list[dict[str, Any]] = []
        self.deadlines = {d["name"]: dict(d) for d in deadlines}
        self.evidence: list[dict[str, Any]] = []
        self.closure: dict[str, Any] | None = None
        self.filing_request: dict[str, Any] = {}

    # Simple procedure (简易程序) -------------------------------------------------------

    def decide_on_the_spot(
        self,
        *,
        actor: Actor,
        penalty_kind: str,
        amount_fen: int | None,
        sequence: CaseNumberSequence,
        calendar: WorkingCalendar,
        at: datetime,
    ) -> None:
        self._check_handler_acts(actor, at)
        check_procedure(self.procedure, Procedure.SIMPLE, act="decide on the spot")
        check_status(
            self.status, CaseStatus.REGISTERED, act="decide on the spot", code="case.not_registered"
        )
        check_simple_penalty(self.details["party"]["kind"], penalty_kind, amount_fen)
        number = sequence.issue(self.id, at)
        due = calendar.add_working_days(at, REPORT_AND_FILE_DAYS)
        self._decided_on_the_spot(
            penalty={"kind": penalty_kind, "amount_fen": amount_fen},
            number=number,
            deadline=deadline_data("report_and_file", at, due),
            by=actor_data(actor),
            at=at,
        )

    @event("DecidedOnTheSpot")
    def _decided_on_the_spot(
        self,
        penalty: dict[str, Any],
        number: str,
        deadline: dict[str, Any],
        by: dict[str, str],
        at: datetime,
    ) -> None:
        self.penalty = dict(penalty)
        self.number = number
        self.status = CaseStatus.DECIDED
        self.deadlines[deadline["name"]] = dict(deadline)

    def report_decision(self, *, actor: Actor, at: datetime) -> None:
        """The officer reports the on-the-spot decision and hands in the file (递卷备案)."""
        self._check_in_handling_unit(actor)
        check_status(
            self.status, CaseStatus.DECIDED, act="report the decision of", code="case.not_decided"
        )
        self._decision_reported(
            late=self._is_late("report_and_file", at), by=actor_data(actor), at=at
        )

    @event("DecisionReported")
    def _decision_reported(self, late: bool, by: dict[str, str], at: datetime) -> None:
        self.status = CaseStatus.REPORTED
        self.deadlines["report_and_file"]["met_at"] = at

    # General and accident procedure: filing approval (立案审批) ---------------------------

    def request_filing(
        self, *, actor: Actor, unit: AgencyPath, detachment_offices: Sequence[str], at: datetime
    ) -> None:
        self._check_handler_acts(actor, at)
        check_procedure(self.procedure, Procedure.GENERAL, Procedure.ACCIDENT, act="request filing")
        check_status(
            self.status, CaseStatus.REGISTERED, act="request filing of", code="case.not_registered"
        )
        chain = filing_chain(self.procedure, unit, detachment_offices)
        self._filing_requested(
            steps=[s.as_data() for s in chain],
            late=self._is_late("filing", at),
            by=actor_data(actor),
            at=at,
        )

    @event("FilingRequested")
    def _filing_requested(
        self, steps: list[dict[str, Any]], late: bool, by: dict[str, str], at: datetime
    ) -> None:
        self.status = CaseStatus.AWAITING_APPROVAL
        self.approval = [dict(s, decision=None) for s in steps]
        self.filing_request = {"by": dict(by), "at": at}

    def review_filing(self, *, actor: Actor, approve: bool, opinion: str, at: datetime) -> None:
        step = self._check_signer(actor, final=False)
        if approve:
            self._filing_reviewed(step=step.name, opinion=opinion, by=actor_data(actor), at=at)
        else:
            self._return(step, opinion, actor, at)

    @event("FilingReviewed")
    def _filing_reviewed(self, step: str, opinion: str, by: dict[str, str], at: datetime) -> None:
        self._sign(step, True, opinion, by, at)

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
            step=step.name,
            opinion=opinion,
            number=number,
            deadline=deadline_data("decision", at, due),
            by=actor_data(actor),
            at=at,
        )

    @event("Filed")
    def _filed(
        self,
        step: str,
        opinion: str,
        number: str,
        deadline: dict[str, Any],
        by: dict[str, str],
        at: datetime,
    ) -> None:
        self._sign(step, True, opinion, by, at)
        self.number = number
        self.status = CaseStatus.FILED
        self.deadlines[deadline["name"]] = dict(deadline)
        if "filing" in self.deadlines:
            self.deadlines["filing"]["met_at"] = at

    def _return(self, step: ApprovalStep, opinion: str, actor: Actor, at: datetime) -> None:
        check_text_given(opinion, "case.opinion_required", "an opinion on a refusal")
        self._filing_returned(step=step.name, opinion=opinion, by=actor_data(actor), at=at)

    @event("FilingReturned")
    def _filing_returned(self, step: str, opinion: str, by: dict[str, str], at: datetime) -> None:
        self._sign(step, False, opinion, by, at)
        self.status = CaseStatus.REGISTERED

    # Evidence and closing ---------------------------------------------------------------

    def attach_evidence(
        self, *, actor: Actor, evidence_id: UUID, record: dict[str, Any], at: datetime
    ) -> None:
        """Attaches a full-process record (执法全过程记录) by its metadata and SHA-256."""
        self._check_handler_acts(actor, at)
        if self.status == CaseStatus.CLOSED:
            raise Conflict("a closed case takes no more evidence", code="case.closed")
        known = {e["sha256"] for e in self.evidence}
        check_evidence(record["kind"], record["sha256"], record["size"], known)
        self._evidence_attached(evidence=dict(record, id=evidence_id), by=actor_data(actor), at=at)

    @event("EvidenceAttached")
    def _evidence_attached(
        self, evidence: dict[str, Any], by: dict[str, str], at: datetime
    ) -> None:
        self.evidence.append(dict(evidence, attached_at=at, attached_by=by["officer"]))

    def close(self, *, actor: Actor, reason: str, at: datetime) -> None:
        check_status(
            self.status,
            CaseStatus.REGISTERED,
            CaseStatus.FILED,
            CaseStatus.DECIDED,
            CaseStatus.REPORTED,
            act="close",
            code="case.cannot_close",
        )
        check_text_given(reason, "case.reason_required", "a reason for closing")
        self._closed(reason=reason, previous_status=str(self.status), by=actor_data(actor), at=at)

    class Closed(Aggregate.Event):
        """Since version 2 it says the status the case was closed from, so a subscriber tells a
        case closed before filing from one closed after its decision without folding the case."""

        class_version = 2
        reason: str
        previous_status: str | None
        by: dict[str, str]
        at: datetime

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["previous_status"] = None  # not recorded then; the case's earlier events tell

    @event(Closed)
    def _closed(
        self, reason: str, previous_status: str | None, by: dict[str, str], at: datetime
    ) -> None:
        # An upcast version 1 event has no previous status; the state replayed so far knows it.
        previous = previous_status or str(self.status)
        self.closure = {"reason": reason, "by": dict(by), "at": at, "from": previous}
        self.status = CaseStatus.CLOSED

    # Helpers ---------------------------------------------------------------------------

    @property
    def next_step(self) -> ApprovalStep | None:
        if self.status != CaseStatus.AWAITING_APPROVAL:
            return None
        pending = next((s for s in self.approval if s["decision"] is None), None)
        return ApprovalStep.from_data(pending) if pending else None

    def _check_in_handling_unit(self, actor: Actor) -> None:
        if actor.agency_code != self.handling_unit:
            raise Forbidden(
                "only the handling unit's officers take this act", code="case.not_handling_unit"
            )

    def _check_handler_acts(self, actor: Actor, at: datetime) -> None:
        self._check_in_handling_unit(actor)
        actor.require_valid_certificate(at)

    def _check_signer(self, actor: Actor, *, final: bool) -> ApprovalStep:
        check_status(
            self.status,
            CaseStatus.AWAITING_APPROVAL,
            act="sign the filing form of",
            code="case.not_awaiting_approval",
        )
        step = self.next_step
        assert step is not None
        if (step.name == APPROVAL) != final:
            act = "approve-filing" if step.name == APPROVAL else "review-filing"
            raise Conflict(
                f"the form now awaits its {step.name} step: use {act}", code="case.not_at_this_step"
            )
        if actor.agency_code not in step.agencies or not actor.has_role(step.role):
            raise Forbidden(
                f"the {step.name} step is signed by a {step.role} of {', '.join(step.agencies)}",
                code="case.not_the_approver",
            )
        if actor.officer_id == self.filing_request["by"]["officer"]:
            raise Forbidden("nobody approves their own filing request", code="case.self_approval")
        return step

    def _sign(
        self, step: str, decision: bool, opinion: str, by: dict[str, str], at: datetime
    ) -> None:
        pending = next(s for s in self.approval if s["decision"] is None and s["name"] == step)
        pending.update(decision=decision, opinion=opinion, by=dict(by), at=at)

    def _is_late(self, deadline: str, at: datetime) -> bool:
        due = self.deadlines.get(deadline)
        return due is not None and at > due["due_at"]
