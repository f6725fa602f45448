"""The Referral (案件移送 / 协查): one agency hands a matter, or a request for help, to another.

Lifecycle: draft → approved by the sending agency's head → sent → acknowledged by the receiver
(抄告) → accepted, or rejected with a reason → after acceptance the receiver reports the outcome
(结果通报). An assistance request is answered instead, within 5 working days of receipt, once
extendable. A rejected referral may be disputed; the dispute's decision settles it.
Statuses and acts: `domain.referral_states`; event data: `domain.referral_events`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from eventsourcing.domain import event

from domain import referral_rules as rules
from domain.calendar import WorkingCalendar
from domain.dispute_events import DecisionData
from domain.errors import Conflict, Invalid
from domain.lifecycle import FollowsLifecycle
from domain.mechanism import Mechanism
from domain.payloads import At, By, DeadlineData, Late, Reason, actor_data
from domain.referral_deadlines import answer_deadline, fixed_deadline, send_deadline
from domain.referral_events import (
    DisputeId,
    MaterialData,
    ReferralDetails,
    ReferralDraft,
    ReferralKind,
    recorded,
)
from domain.referral_states import REFERRAL_LIFECYCLE
from domain.values import Actor, AgencyPath, AgencyRef

ACTING = rules.ACTING_ROLES


class Referral(FollowsLifecycle):
    lifecycle = REFERRAL_LIFECYCLE

    @classmethod
    def draft(
        cls,
        *,
        referral_id: UUID,
        actor: Actor,
        actor_path: AgencyPath,
        sender: AgencyRef,
        receiver: AgencyRef | None,
        request: ReferralDraft,
        lead_region: str | None,
        mechanism: Mechanism,
        calendar: WorkingCalendar,
        at: datetime,
    ) -> Referral:
        """`lead_region`: the region of a named lead agency, from the register."""
        rules.check_kind(request["kind"])
        rules.check_sender_competent(sender)
        rules.check_acts_for(actor, actor_path, sender.code, "refer in its name", ACTING)
        rules.check_receiver(sender.code, receiver)
        assert receiver is not None
        rules.check_not_in_future(request["found_at"], at, "the finding")
        for material in request["materials"]:
            rules.check_material(dict(material))
        found, urgent = request["found_at"], bool(request.get("urgent"))
        referral = cls(
            id=referral_id,
            kind=request["kind"],
            mechanism=mechanism.name,
            from_agency=sender.code,
            to_agency=receiver.code,
            drafted_in=actor.agency_code,
            details=recorded(request, receiver, lead_region),
            deadlines=[send_deadline(found, urgent, mechanism, calendar)],
            by=actor_data(actor),
            at=at,
        )
        if request.get("violation_in_progress"):
            referral._notified_in_progress(by=actor_data(actor), at=at)
        return referral

    @event("Drafted")
    def __init__(
        self,
        id: UUID,
        kind: Annotated[ReferralKind, "a jurisdiction referral or an assistance request"],
        mechanism: Annotated[str, "the coordination mechanism it is made and judged under"],
        from_agency: Annotated[str, "the sending agency, in whose name it is made"],
        to_agency: Annotated[str, "the receiving agency"],
        drafted_in: Annotated[str, "the unit it was drafted in (the agency or its office)"],
        details: Annotated[ReferralDetails, "what is referred"],
        deadlines: Annotated[list[DeadlineData], "the time limit for sending it"],
        by: By,
        at: At,
    ) -> None:
        self.kind = kind
        self.mechanism = mechanism
        self.from_agency = from_agency
        self.to_agency = to_agency
        self.drafted_in = drafted_in
        self.details: dict[str, Any] = dict(details)
        self.materials: list[dict[str, Any]] = [dict(m) for m in details["materials"]]
        self.deadlines: dict[str, dict[str, Any]] = {d["name"]: dict(d) for d in deadlines}
        self.handler: str | None = None  # who must handle it after acceptance or a decision
        self.dispute_id: str | None = None
        self.observers: list[str] = []  # dispute bodies, who see it while they decide
        self.extended = False

    # The sender's acts ------------------------------------------------------------------

    @event("InProgressNotified")
    def _notified_in_progress(self, by: By, at: At) -> None:
        """The sender stopped a violation in progress and told the receiver at once, before the
        formal referral (seed 000 §三(二)(1))."""
        self.details["stop_ordered_at"] = at

    def may_attach_material(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        rules.check_acts_for(actor, path, self.from_agency, "add materials", ACTING)
        self._check_act("attach_material")

    def attach_material(
        self, *, actor: Actor, path: AgencyPath, material: MaterialData, at: datetime
    ) -> None:
        self.may_attach_material(actor, path, at)
        rules.check_material(dict(material))
        self._material_attached(material=material, by=actor_data(actor), at=at)

    @event("MaterialAttached")
    def _material_attached(
        self, material: Annotated[MaterialData, "the material added"], by: By, at: At
    ) -> None:
        self.materials.append(dict(material))

    def may_approve(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        rules.check_head_of(actor, path, self.from_agency, "approve its referrals")
        self._check_act("approve")

    def approve(
        self, *, actor: Actor, path: AgencyPath, mechanism: Mechanism, at: datetime
    ) -> None:
        self.may_approve(actor, path, at)
        rules.check_materials(self._material_kinds(), mechanism.materials_for(self.kind))
        self._approved(by=actor_data(actor), at=at)

    @event("Approved")
    def _approved(self, by: By, at: At) -> None:
        pass

    def may_send(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        rules.check_acts_for(actor, path, self.from_agency, "send its referrals", ACTING)
        self._check_act("send")

    def send(
        self,
        *,
        actor: Actor,
        path: AgencyPath,
        mechanism: Mechanism,
        calendar: WorkingCalendar,
        at: datetime,
    ) -> None:
        self.may_send(actor, path, at)
        rules.check_materials(self._material_kinds(), mechanism.materials_for(self.kind))
        late = at > self.deadlines["send"]["due_at"]
        urgent = self.details["urgent"]
        deadlines = [answer_deadline(urgent, calendar, at)] if self.is_assistance else []
        self._sent(late=late, deadlines=deadlines, by=actor_data(actor), at=at)

    @event("Sent")
    def _sent(
        self,
        late: Late,
        deadlines: Annotated[list[DeadlineData], "an assistance request's answer time limit"],
        by: By,
        at: At,
    ) -> None:
        self.sent_late = late
        self.deadlines["send"]["met_at"] = at
        for d in deadlines:
            self.deadlines[d["name"]] = dict(d)

    def may_dispute(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        rules.check_acts_for(
            actor, path, self.from_agency, "dispute its rejected referrals", ACTING
        )
        self._check_act("dispute")

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
        self.may_dispute(actor, path, at)
        rules.check_reason(grounds, "dispute.grounds_required", "the grounds of the dispute")
        self._disputed(
            dispute_id=str(dispute_id), bodies=bodies, grounds=grounds, by=actor_data(actor), at=at
        )

    @event("Disputed")
    def _disputed(
        self,
        dispute_id: DisputeId,
        bodies: Annotated[list[str], "the agencies that decide on the dispute's rungs"],
        grounds: Annotated[str, "why the sender disputes the rejection"],
        by: By,
        at: At,
    ) -> None:
        self.dispute_id = dispute_id
        self.observers = list(bodies)

    # The receiver's acts ----------------------------------------------------------------

    def may_acknowledge(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        rules.check_acts_for(actor, path, self.to_agency, "acknowledge its referrals", ACTING)
        self._check_act("acknowledge")

    def acknowledge(self, *, actor: Actor, path: AgencyPath, at: datetime) -> None:
        self.may_acknowledge(actor, path, at)
        self._acknowledged(by=actor_data(actor), at=at)

    @event("Acknowledged")
    def _acknowledged(self, by: By, at: At) -> None:
        pass

    def may_accept(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        rules.check_head_of(actor, path, self.to_agency, "accept its referrals")
        self._check_act("accept")

    def accept(self, *, actor: Actor, path: AgencyPath, at: datetime) -> None:
        self.may_accept(actor, path, at)
        self._accepted(by=actor_data(actor), at=at)

    @event("Accepted")
    def _accepted(self, by: By, at: At) -> None:
        self.handler = self.to_agency

    def may_reject(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        rules.check_head_of(actor, path, self.to_agency, "reject its referrals")
        self._check_act("reject")
        if self.is_assistance:
            raise Conflict(
                "an assistance request is answered, not rejected", code="referral.wrong_kind"
            )

    def reject(self, *, actor: Actor, path: AgencyPath, reason: str, at: datetime) -> None:
        self.may_reject(actor, path, at)
        rules.check_reason(reason)
        self._rejected(reason=reason, by=actor_data(actor), at=at)

    @event("Rejected")
    def _rejected(self, reason: Reason, by: By, at: At) -> None:
        self.rejection = reason

    def may_answer(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        rules.check_acts_for(actor, path, self.to_agency, "answer its assistance requests", ACTING)
        self._check_assistance("answer")
        self._check_act("answer")

    def answer(self, *, actor: Actor, path: AgencyPath, answer: str, at: datetime) -> None:
        self.may_answer(actor, path, at)
        rules.check_reason(answer, "referral.answer_required", "the answer")
        late = at > self.deadlines["answer"]["due_at"]
        self._answered(answer=answer, late=late, by=actor_data(actor), at=at)

    @event("Answered")
    def _answered(
        self, answer: Annotated[str, "the written answer"], late: Late, by: By, at: At
    ) -> None:
        self.deadlines["answer"]["met_at"] = at

    def may_extend_answer(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        rules.check_acts_for(actor, path, self.to_agency, "extend its answers", ACTING)
        self._check_assistance("extend the answer to")
        self._check_act("extend_answer")
        if self.extended:
            raise Conflict("the answer may be extended once", code="referral.already_extended")

    def extend_answer(
        self, *, actor: Actor, path: AgencyPath, reason: str, until: datetime, at: datetime
    ) -> None:
        """Testing or appraisal takes long: the asked agency extends once, telling the asker."""
        self.may_extend_answer(actor, path, at)
        rules.check_reason(reason)
        if until <= self.deadlines["answer"]["due_at"]:
            raise Invalid(
                "the new date must lie after the current one", code="referral.extension_not_later"
            )
        deadline = fixed_deadline("answer", until)
        self._answer_extended(reason=reason, deadline=deadline, by=actor_data(actor), at=at)

    @event("AnswerExtended")
    def _answer_extended(
        self,
        reason: Reason,
        deadline: Annotated[DeadlineData, "the answer's new time limit (rule `fixed`)"],
        by: By,
        at: At,
    ) -> None:
        self.extended = True
        self.deadlines["answer"] = dict(deadline)

    def may_report_outcome(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        self._check_act("report_outcome")
        handler = self.handler or self.to_agency
        rules.check_acts_for(actor, path, handler, "report the outcome", ACTING)

    def report_outcome(self, *, actor: Actor, path: AgencyPath, outcome: str, at: datetime) -> None:
        self.may_report_outcome(actor, path, at)
        rules.check_reason(outcome, "referral.outcome_required", "the outcome")
        self._outcome_reported(outcome=outcome, by=actor_data(actor), at=at)

    @event("OutcomeReported")
    def _outcome_reported(
        self, outcome: Annotated[str, "what the handler did (结果通报)"], by: By, at: At
    ) -> None:
        self.outcome = outcome

    # Settled by a dispute ---------------------------------------------------------------

    def settle(self, *, dispute_id: UUID, decision: DecisionData, by: By, at: datetime) -> None:
        """The dispute's decision: the designated agency must handle it; it stands accepted."""
        self._check_act("settle")
        self._settled(dispute_id=str(dispute_id), decision=decision, by=by, at=at)

    @event("Settled")
    def _settled(
        self,
        dispute_id: DisputeId,
        decision: Annotated[DecisionData, "the dispute's decision"],
        by: By,
        at: At,
    ) -> None:
        self.handler = decision["lead"]
        self.decision = dict(decision)

    # Reading ----------------------------------------------------------------------------

    @property
    def is_assistance(self) -> bool:
        return self.kind == ReferralKind.ASSISTANCE

    def _material_kinds(self) -> set[str]:
        return {m["kind"] for m in self.materials}

    def _check_assistance(self, act: str) -> None:
        if not self.is_assistance:
            raise Conflict(f"only an assistance request can {act}", code="referral.wrong_kind")
