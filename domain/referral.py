"""The Referral (案件移送 / 协查): one agency hands a matter, or a request for help, to another.

Lifecycle: draft → approved by the sending agency's head → sent → acknowledged by the receiver
(抄告) → accepted, or rejected with a reason → after acceptance the receiver reports the outcome
(结果通报). An assistance request is answered instead, within 5 working days of receipt, once
extendable. A rejected referral may be disputed; the dispute's decision settles it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.acts import actor_data, deadline_data
from domain.calendar import WorkingCalendar
from domain.errors import Conflict, Invalid
from domain.mechanism import Mechanism
from domain.referral_rules import (
    ACTING_ROLES,
    ANSWER_WORKING_DAYS,
    URGENT_HOURS,
    ReferralKind,
    ReferralStatus,
    check_acts_for,
    check_head_of,
    check_kind,
    check_material,
    check_materials,
    check_not_in_future,
    check_reason,
    check_receiver,
    check_sender_competent,
    check_status,
)
from domain.values import Actor, AgencyPath, AgencyRef

Status = ReferralStatus


class Referral(Aggregate):
    @classmethod
    def draft(
        cls,
        *,
        referral_id: UUID,
        actor: Actor,
        actor_path: AgencyPath,
        sender: AgencyRef,
        receiver: AgencyRef | None,
        details: dict[str, Any],
        mechanism: Mechanism,
        calendar: WorkingCalendar,
        at: datetime,
    ) -> Referral:
        """`details`: kind, summary, found_at, urgent, place {region, address}, materials,
        case_id, onward_from, lead_agency (a named lead, if not the receiver),
        violation_in_progress."""
        check_kind(details["kind"])
        check_sender_competent(sender)
        check_acts_for(actor, actor_path, sender.code, "refer in its name", ACTING_ROLES)
        check_receiver(sender.code, receiver)
        assert receiver is not None
        check_not_in_future(details["found_at"], at, "the finding")
        for material in details["materials"]:
            check_material(material)
        referral = cls(
            id=referral_id,
            kind=details["kind"],
            mechanism=mechanism.name,
            from_agency=sender.code,
            to_agency=receiver.code,
            drafted_in=actor.agency_code,
            details=_recorded(details, receiver),
            deadlines=[send_deadline(details, mechanism, calendar)],
            by=actor_data(actor),
            at=at,
        )
        if details.get("violation_in_progress"):
            referral._notified_in_progress(by=actor_data(actor), at=at)
        return referral

    @event("Drafted")
    def __init__(
        self,
        id: UUID,
        kind: str,
        mechanism: str,
        from_agency: str,
        to_agency: str,
        drafted_in: str,
        details: dict[str, Any],
        deadlines: list[dict[str, Any]],
        by: dict[str, str],
        at: datetime,
    ) -> None:
        self.kind = kind
        self.mechanism = mechanism
        self.from_agency = from_agency
        self.to_agency = to_agency
        self.drafted_in = drafted_in
        self.details = dict(details)
        self.materials: list[dict[str, Any]] = list(details.get("materials", []))
        self.status = Status.DRAFT
        self.deadlines = {d["name"]: dict(d) for d in deadlines}
        self.handler: str | None = None  # who must handle it after acceptance or a decision
        self.dispute_id: str | None = None
        self.observers: list[str] = []  # dispute bodies, who see it while they decide
        self.extended = False
        self.history: list[dict[str, Any]] = []

    # The sender's acts ------------------------------------------------------------------

    @event("InProgressNotified")
    def _notified_in_progress(self, by: dict[str, str], at: datetime) -> None:
        """The sender stopped a violation in progress and told the receiver at once, before the
        formal referral (seed 000 §三(二)(1))."""
        self.details["stop_ordered_at"] = at

    def attach_material(
        self, *, actor: Actor, path: AgencyPath, material: dict[str, Any], at: datetime
    ) -> None:
        check_acts_for(actor, path, self.from_agency, "add materials", ACTING_ROLES)
        check_status(self.status, Status.DRAFT, act="add materials to", code="referral.not_draft")
        check_material(material)
        self._material_attached(material=material, by=actor_data(actor), at=at)

    @event("MaterialAttached")
    def _material_attached(
        self, material: dict[str, Any], by: dict[str, str], at: datetime
    ) -> None:
        self.materials.append(dict(material))

    def approve(
        self, *, actor: Actor, path: AgencyPath, mechanism: Mechanism, at: datetime
    ) -> None:
        check_head_of(actor, path, self.from_agency, "approve its referrals")
        check_status(self.status, Status.DRAFT, act="approve", code="referral.not_draft")
        check_materials(self._material_kinds(), mechanism.materials_for(self.kind))
        self._approved(by=actor_data(actor), at=at)

    @event("Approved")
    def _approved(self, by: dict[str, str], at: datetime) -> None:
        self.status = Status.APPROVED

    def send(
        self,
        *,
        actor: Actor,
        path: AgencyPath,
        mechanism: Mechanism,
        calendar: WorkingCalendar,
        at: datetime,
    ) -> None:
        check_acts_for(actor, path, self.from_agency, "send its referrals", ACTING_ROLES)
        check_status(self.status, Status.APPROVED, act="send", code="referral.not_approved")
        check_materials(self._material_kinds(), mechanism.materials_for(self.kind))
        late = at > self.deadlines["send"]["due_at"]
        deadlines = (
            [answer_deadline(self.details["urgent"], calendar, at)] if self.is_assistance else []
        )
        self._sent(late=late, deadlines=deadlines, by=actor_data(actor), at=at)

    @event("Sent")
    def _sent(
        self, late: bool, deadlines: list[dict[str, Any]], by: dict[str, str], at: datetime
    ) -> None:
        self.status = Status.SENT
        self.sent_late = late
        self.deadlines["send"]["met_at"] = at
        for d in deadlines:
            self.deadlines[d["name"]] = dict(d)

    def dispute(
        self,
        *,
        actor: Actor,
        path: AgencyPath,
        dispute_id: UUID,
        bodies: list[str],
        grounds: str,
        at: datetime,
    ) -> None:
        check_acts_for(
            actor, path, self.from_agency, "dispute its rejected referrals", ACTING_ROLES
        )
        check_status(self.status, Status.REJECTED, act="dispute", code="referral.not_rejected")
        check_reason(grounds, "dispute.grounds_required", "the grounds of the dispute")
        self._disputed(
            dispute_id=str(dispute_id), bodies=bodies, grounds=grounds, by=actor_data(actor), at=at
        )

    @event("Disputed")
    def _disputed(
        self, dispute_id: str, bodies: list[str], grounds: str, by: dict[str, str], at: datetime
    ) -> None:
        self.status = Status.DISPUTED
        self.dispute_id = dispute_id
        self.observers = list(bodies)

    # The receiver's acts ----------------------------------------------------------------

    def acknowledge(self, *, actor: Actor, path: AgencyPath, at: datetime) -> None:
        check_acts_for(actor, path, self.to_agency, "acknowledge its referrals", ACTING_ROLES)
        check_status(self.status, Status.SENT, act="acknowledge", code="referral.not_sent")
        self._acknowledged(by=actor_data(actor), at=at)

    @event("Acknowledged")
    def _acknowledged(self, by: dict[str, str], at: datetime) -> None:
        self.status = Status.ACKNOWLEDGED

    def accept(self, *, actor: Actor, path: AgencyPath, at: datetime) -> None:
        check_head_of(actor, path, self.to_agency, "accept its referrals")
        check_status(
            self.status, Status.ACKNOWLEDGED, act="accept", code="referral.not_acknowledged"
        )
        self._accepted(by=actor_data(actor), at=at)

    @event("Accepted")
    def _accepted(self, by: dict[str, str], at: datetime) -> None:
        self.status = Status.ACCEPTED
        self.handler = self.to_agency

    def reject(self, *, actor: Actor, path: AgencyPath, reason: str, at: datetime) -> None:
        check_head_of(actor, path, self.to_agency, "reject its referrals")
        check_status(
            self.status, Status.ACKNOWLEDGED, act="reject", code="referral.not_acknowledged"
        )
        if self.is_assistance:
            raise Conflict(
                "an assistance request is answered, not rejected", code="referral.wrong_kind"
            )
        check_reason(reason)
        self._rejected(reason=reason, by=actor_data(actor), at=at)

    @event("Rejected")
    def _rejected(self, reason: str, by: dict[str, str], at: datetime) -> None:
        self.status = Status.REJECTED
        self.rejection = reason

    def answer(self, *, actor: Actor, path: AgencyPath, answer: str, at: datetime) -> None:
        check_acts_for(actor, path, self.to_agency, "answer its assistance requests", ACTING_ROLES)
        self._check_assistance("answer")
        check_status(
            self.status, Status.ACKNOWLEDGED, act="answer", code="referral.not_acknowledged"
        )
        check_reason(answer, "referral.answer_required", "the answer")
        self._answered(
            answer=answer, late=at > self.deadlines["answer"]["due_at"], by=actor_data(actor), at=at
        )

    @event("Answered")
    def _answered(self, answer: str, late: bool, by: dict[str, str], at: datetime) -> None:
        self.status = Status.ANSWERED
        self.deadlines["answer"]["met_at"] = at

    def extend_answer(
        self, *, actor: Actor, path: AgencyPath, reason: str, until: datetime, at: datetime
    ) -> None:
        """Testing or appraisal takes long: the asked agency extends once, telling the asker."""
        check_acts_for(actor, path, self.to_agency, "extend its answers", ACTING_ROLES)
        self._check_assistance("extend the answer to")
        check_status(
            self.status, Status.SENT, Status.ACKNOWLEDGED, act="extend", code="referral.not_open"
        )
        if self.extended:
            raise Conflict("the answer may be extended once", code="referral.already_extended")
        check_reason(reason)
        if until <= self.deadlines["answer"]["due_at"]:
            raise Invalid(
                "the new date must lie after the current one", code="referral.extension_not_later"
            )
        deadline = {
            "name": "answer",
            "start": until,
            "due_at": until,
            "rule": FIXED,
            "provisional": False,
        }
        self._answer_extended(reason=reason, deadline=deadline, by=actor_data(actor), at=at)

    @event("AnswerExtended")
    def _answer_extended(
        self, reason: str, deadline: dict[str, Any], by: dict[str, str], at: datetime
    ) -> None:
        self.extended = True
        self.deadlines["answer"] = dict(deadline)

    def report_outcome(self, *, actor: Actor, path: AgencyPath, outcome: str, at: datetime) -> None:
        assert self.handler is not None or self.status != Status.ACCEPTED
        check_status(
            self.status, Status.ACCEPTED, act="report the outcome of", code="referral.not_accepted"
        )
        check_acts_for(
            actor, path, self.handler or self.to_agency, "report the outcome", ACTING_ROLES
        )
        check_reason(outcome, "referral.outcome_required", "the outcome")
        self._outcome_reported(outcome=outcome, by=actor_data(actor), at=at)

    @event("OutcomeReported")
    def _outcome_reported(self, outcome: str, by: dict[str, str], at: datetime) -> None:
        self.status = Status.CONCLUDED
        self.outcome = outcome

    # Settled by a dispute ---------------------------------------------------------------

    def settle(
        self, *, dispute_id: UUID, decision: dict[str, Any], by: dict[str, str], at: datetime
    ) -> None:
        """The dispute's decision: the designated agency must handle it; it stands accepted."""
        check_status(self.status, Status.DISPUTED, act="settle", code="referral.not_disputed")
        self._settled(dispute_id=str(dispute_id), decision=decision, by=by, at=at)

    @event("Settled")
    def _settled(
        self, dispute_id: str, decision: dict[str, Any], by: dict[str, str], at: datetime
    ) -> None:
        self.status = Status.ACCEPTED
        self.handler = decision["lead"]
        self.decision = dict(decision)

    # Reading ----------------------------------------------------------------------------

    @property
    def is_assistance(self) -> bool:
        return self.kind == ReferralKind.ASSISTANCE

    @property
    def parties(self) -> list[str]:
        """The agencies that see the referral: both ends, the designated handler, the bodies
        deciding a dispute about it."""
        seen = [self.from_agency, self.to_agency, self.handler or "", *self.observers]
        return list(dict.fromkeys(code for code in seen if code))

    def _material_kinds(self) -> set[str]:
        return {m["kind"] for m in self.materials}

    def _check_assistance(self, act: str) -> None:
        if not self.is_assistance:
            raise Conflict(f"only an assistance request can {act}", code="referral.wrong_kind")


FIXED = "fixed"  # a date set by an act (an extension), not computed from the calendar


def send_deadline(
    details: dict[str, Any], mechanism: Mechanism, calendar: WorkingCalendar
) -> dict[str, Any]:
    """Within N working days of finding it (N per mechanism), or 24 hours when urgent."""
    found = details["found_at"]
    if details["urgent"]:
        return deadline_data("send", found, calendar.add_hours(found, URGENT_HOURS))
    return deadline_data(
        "send", found, calendar.add_working_days(found, mechanism.referral_working_days)
    )


def answer_deadline(urgent: bool, calendar: WorkingCalendar, received: datetime) -> dict[str, Any]:
    """An assistance request is answered within 5 working days of receipt (seed 003 §三(五));
    an urgent one asks for presence on the scene, within 24 hours."""
    if urgent:
        return deadline_data("answer", received, calendar.add_hours(received, URGENT_HOURS))
    return deadline_data(
        "answer", received, calendar.add_working_days(received, ANSWER_WORKING_DAYS)
    )


def _recorded(details: dict[str, Any], receiver: AgencyRef) -> dict[str, Any]:
    """What the Drafted event keeps of the request, with the lead of a cross-region matter:
    the agency where it occurred leads (seed 001); a lead named elsewhere is marked as such."""
    place = dict(details["place"])
    lead = details.get("lead_agency") or receiver.code
    lead_region = details.get("lead_region") or receiver.region
    return {
        "summary": details["summary"],
        "found_at": details["found_at"],
        "urgent": bool(details["urgent"]),
        "place": place,
        "materials": [dict(m) for m in details["materials"]],
        "case_id": details.get("case_id"),
        "onward_from": details.get("onward_from"),
        "violation_in_progress": bool(details.get("violation_in_progress")),
        "on_scene_requested": bool(details["urgent"])
        and details["kind"] == ReferralKind.ASSISTANCE,
        "lead_agency": lead,
        "lead_outside_place": lead_region != place["region"],
    }
