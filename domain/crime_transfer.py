"""The CrimeTransfer (涉嫌犯罪案件移送, 两法衔接): a case suspected to be a crime goes to
public security, copied to the procuratorate (Decree 310, 应急〔2019〕54号).

Lifecycle: reported in writing by a team of the case's officers → the principal head decides
within 3 days (approve, or refuse with reasons) → sent within 24 hours with its materials, a copy
to the procuratorate → public security signs a receipt; within 24 hours it may ask for missing
materials (supplied within 3 days) or forward the case to the competent public security → it
decides on filing within 3, 7 or 30 days and notifies in writing within 3 days → filed: the
agency hands over items and files within 3 days; not filed: the agency may ask for
reconsideration, then for the procuratorate's filing supervision, and the procuratorate may ask
for reasons and order filing. Public security may hand a matter back for administrative handling
(reverse transfer). A transfer may also begin as the procuratorate's recommendation, which the
agency answers by reporting it or explaining why not. Statuses and acts:
`domain.crime_transfer_states`; event data: `domain.crime_transfer_events`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from eventsourcing.domain import event

from domain import crime_transfer_rules as rules
from domain.calendar import WorkingCalendar
from domain.crime_transfer_events import (
    BackGround,
    Category,
    CrimeCategory,
    Document,
    FilingOn,
    FilingPeriod,
    Materials,
    NoticeData,
    PackageData,
    SuspectData,
    TeamMemberData,
    TransferMaterialData,
    TransferMaterialKind,
    TransferredCaseData,
    Windows,
)
from domain.crime_transfer_states import CRIME_TRANSFER_LIFECYCLE, PENDING, CrimeTransferStatus
from domain.errors import Conflict, Forbidden
from domain.lifecycle import FollowsLifecycle
from domain.payloads import AgencyCode, At, By, DeadlineData, Late, Reason, actor_data
from domain.values import Actor, AgencyKind, AgencyPath, AgencyRef, Role

S = CrimeTransferStatus
Presiding = Annotated[bool, "decided by the head presiding in the principal head's place"]
DecisionLate = Annotated[bool, "decided after the filing period had ended"]
NoticeLate = Annotated[bool, "notified more than 3 days after the decision"]


class CrimeTransfer(FollowsLifecycle):
    lifecycle = CRIME_TRANSFER_LIFECYCLE

    @classmethod
    def report(
        cls,
        *,
        transfer_id: UUID,
        actor: Actor,
        case: TransferredCaseData,
        agency: str,
        handling_unit: str,
        category: CrimeCategory,
        facts: str,
        suspects: Sequence[SuspectData],
        team: Sequence[Actor],
        calendar: WorkingCalendar,
        at: datetime,
    ) -> CrimeTransfer:
        """The written report (书面报告) of a case's officers to their agency's head."""
        transfer = cls._open(transfer_id, actor, case, agency, handling_unit, at)
        transfer.report_crime(
            actor=actor,
            category=category,
            facts=facts,
            suspects=suspects,
            team=team,
            calendar=calendar,
            at=at,
        )
        return transfer

    @classmethod
    def recommend(
        cls,
        *,
        transfer_id: UUID,
        actor: Actor,
        procuratorate: AgencyRef,
        agency: AgencyRef,
        case: TransferredCaseData,
        handling_unit: str,
        reasons: str,
        at: datetime,
    ) -> CrimeTransfer:
        """The procuratorate at the same level recommends transferring a case (建议移送)."""
        if actor.agency_code != procuratorate.code:
            raise Forbidden("a procuratorate recommends in its own name", code="auth.not_a_party")
        actor.require_role(Role.SUPERVISOR)
        rules.check_same_level(
            agency, procuratorate, AgencyKind.PROCURATORATE, "crime_transfer.not_same_level"
        )
        rules.check_text(reasons, "crime_transfer.reason_required", "the reasons")
        transfer = cls._open(transfer_id, actor, case, agency.code, handling_unit, at)
        transfer._recommended(
            procuratorate=procuratorate.code, reasons=reasons, by=actor_data(actor), at=at
        )
        return transfer

    @classmethod
    def _open(
        cls,
        transfer_id: UUID,
        actor: Actor,
        case: TransferredCaseData,
        agency: str,
        unit: str,
        at: datetime,
    ) -> CrimeTransfer:
        return cls(
            id=transfer_id,
            case=case,
            agency=agency,
            handling_unit=unit,
            by=actor_data(actor),
            at=at,
        )

    @event("Opened")
    def __init__(
        self,
        id: UUID,
        case: Annotated[TransferredCaseData, "the administrative case it comes from"],
        agency: Annotated[str, "the transferring agency, in whose name the case is handled"],
        handling_unit: Annotated[str, "the unit handling the case"],
        by: By,
        at: At,
    ) -> None:
        self.case: dict[str, Any] = dict(case)
        self.agency = agency
        self.handling_unit = handling_unit
        self.category: str | None = None
        self.facts = ""
        self.suspects: list[dict[str, Any]] = []
        self.materials: list[dict[str, Any]] = []
        self.public_security: str | None = None
        self.procuratorate: str | None = None
        self.sent_at: datetime | None = None
        self.received_at: datetime | None = None
        self.filing_period = FilingPeriod.STANDARD
        self.deadlines: dict[str, dict[str, Any]] = {}
        self.windows: dict[str, dict[str, Any]] = {}

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING

    # The agency: report, decision, sending ---------------------------------------------

    def may_report(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        self._check_act("report")
        self._as_case_officer(actor, at)

    def report_crime(
        self,
        *,
        actor: Actor,
        category: CrimeCategory,
        facts: str,
        suspects: Sequence[SuspectData],
        team: Sequence[Actor],
        calendar: WorkingCalendar,
        at: datetime,
    ) -> None:
        self.may_report(actor, None, at)
        rules.check_team(team, actor, self.handling_unit, at)
        rules.check_text(facts, "crime_transfer.facts_required", "the facts")
        rules.check_suspects(suspects)
        self._reported(
            category=category,
            facts=facts,
            suspects=list(suspects),
            team=[_member(m) for m in team],
            deadline=rules.days("decision", at, rules.DECISION_DAYS, calendar),
            by=actor_data(actor),
            at=at,
        )

    @event("Reported")
    def _reported(
        self,
        category: Category,
        facts: Annotated[str, "the facts of the suspected crime"],
        suspects: Annotated[list[SuspectData], "who is suspected"],
        team: Annotated[list[TeamMemberData], "the officers who report it (at least two)"],
        deadline: Annotated[DeadlineData, "the head's decision: within 3 days"],
        by: By,
        at: At,
    ) -> None:
        self.category = category
        self.facts = facts
        self.suspects = [dict(s) for s in suspects]
        self._set(deadline)

    def may_decline(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        self._check_act("decline")
        rules.check_agency_head(actor, path, self.agency)

    def decline(
        self,
        *,
        actor: Actor,
        path: AgencyPath,
        explanation: str,
        presiding: bool,
        at: datetime,
    ) -> None:
        """The principal head explains why the agency does not transfer the recommended case."""
        self.may_decline(actor, path, at)
        rules.check_principal_head(actor, path, self.agency, presiding)
        rules.check_text(explanation, "crime_transfer.reason_required", "the explanation")
        self._declined(explanation=explanation, presiding=presiding, by=actor_data(actor), at=at)

    @event("RecommendationDeclined")
    def _declined(
        self,
        explanation: Annotated[str, "why the agency does not transfer it"],
        presiding: Presiding,
        by: By,
        at: At,
    ) -> None:
        pass

    def may_decide(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        self._check_act("decide")
        rules.check_agency_head(actor, path, self.agency)

    def decide(
        self,
        *,
        actor: Actor,
        path: AgencyPath,
        approve: bool,
        presiding: bool,
        reasons: str,
        calendar: WorkingCalendar,
        at: datetime,
    ) -> None:
        """The principal head approves the transfer, or refuses it with reasons recorded."""
        self.may_decide(actor, path, at)
        rules.check_principal_head(actor, path, self.agency, presiding)
        late = self._meets("decision", at)
        if not approve:
            rules.check_text(reasons, "crime_transfer.reason_required", "the reasons of a refusal")
            self._refused(
                reasons=reasons, presiding=presiding, late=late, by=actor_data(actor), at=at
            )
            return
        deadline = rules.hours("transfer", at, rules.TRANSFER_HOURS, calendar)
        self._approved(
            opinion=reasons,
            presiding=presiding,
            late=late,
            deadline=deadline,
            by=actor_data(actor),
            at=at,
        )

    @event("Refused")
    def _refused(self, reasons: Reason, presiding: Presiding, late: Late, by: By, at: At) -> None:
        pass

    @event("Approved")
    def _approved(
        self,
        opinion: Annotated[str, "the head's opinion"],
        presiding: Presiding,
        late: Late,
        deadline: Annotated[DeadlineData, "sending to public security: within 24 hours"],
        by: By,
        at: At,
    ) -> None:
        self._set(deadline)

    def may_send(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        self._check_act("send")
        self._as_agency(actor, path)

    def send(
        self,
        *,
        actor: Actor,
        path: AgencyPath,
        public_security: AgencyRef,
        procuratorate: AgencyRef,
        materials: Sequence[TransferMaterialData],
        at: datetime,
    ) -> None:
        """To public security at the same level with its materials, copied to the
        procuratorate at the same level (抄送) in the same act."""
        self.may_send(actor, path, at)
        agency = self._agency_ref(path)
        rules.check_same_level(
            agency, public_security, AgencyKind.PUBLIC_SECURITY, "crime_transfer.not_same_level"
        )
        rules.check_same_level(
            agency, procuratorate, AgencyKind.PROCURATORATE, "crime_transfer.not_same_level"
        )
        required = rules.required_materials(len(self.case["penalties"]))
        rules.check_materials(materials, required, set())
        assert self.category is not None
        package: PackageData = {
            "case": self.case,  # type: ignore[typeddict-item]
            "category": CrimeCategory(self.category),
            "facts": self.facts,
            "suspects": self.suspects,  # type: ignore[typeddict-item]
            "materials": list(materials),
        }
        self._sent(
            public_security=public_security.code,
            procuratorate=procuratorate.code,
            package=package,
            late=self._meets("transfer", at),
            by=actor_data(actor),
            at=at,
        )

    @event("Sent")
    def _sent(
        self,
        public_security: Annotated[str, "the public security it goes to"],
        procuratorate: Annotated[str, "the procuratorate it is copied to (抄送)"],
        package: Annotated[PackageData, "the case, the suspects and the materials"],
        late: Late,
        by: By,
        at: At,
    ) -> None:
        self.public_security = public_security
        self.procuratorate = procuratorate
        self.materials = [dict(m) for m in package["materials"]]
        self.sent_at = at

    # Public security: receipt, materials, forwarding, filing ------------------------------

    def may_sign_receipt(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        self._check_act("sign_receipt")
        self._as_police(actor, Role.LIAISON, Role.OFFICER, *rules.HEAD_ROLES)

    def sign_receipt(
        self, *, actor: Actor, note: str, calendar: WorkingCalendar, at: datetime
    ) -> None:
        """The receipt (回执): from now the filing period runs."""
        self.may_sign_receipt(actor, None, at)
        filing = rules.days("filing", at, rules.FILING_DAYS[FilingPeriod.STANDARD], calendar)
        self._receipt_signed(
            public_security=actor.agency_code,
            note=note or "",
            deadline=filing,
            windows=[
                rules.hours("materials_request", at, rules.WINDOW_HOURS, calendar),
                rules.hours("forward", at, rules.WINDOW_HOURS, calendar),
            ],
            by=actor_data(actor),
            at=at,
        )

    @event("ReceiptSigned")
    def _receipt_signed(
        self,
        public_security: Annotated[str, "the public security that signed it"],
        note: Annotated[str, "a note on the receipt, if any"],
        deadline: Annotated[DeadlineData, "the filing decision: 3 days from the receipt"],
        windows: Windows,
        by: By,
        at: At,
    ) -> None:
        self.received_at = at
        self._set(deadline)
        self.windows = {w["name"]: dict(w) for w in windows}

    def may_request_materials(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        self._check_act("request_materials")
        self._as_police(actor, Role.LIAISON, Role.OFFICER, *rules.HEAD_ROLES)

    def request_materials(
        self,
        *,
        actor: Actor,
        materials: Sequence[TransferMaterialKind],
        note: str,
        calendar: WorkingCalendar,
        at: datetime,
    ) -> None:
        self.may_request_materials(actor, None, at)
        rules.check_text(note, "crime_transfer.reason_required", "what is missing")
        self._materials_requested(
            materials=list(materials),
            note=note,
            late=self._in_window("materials_request", at),
            deadline=rules.days("supply", at, rules.SUPPLY_DAYS, calendar),
            by=actor_data(actor),
            at=at,
        )

    @event("MaterialsRequested")
    def _materials_requested(
        self,
        materials: Annotated[list[TransferMaterialKind], "the kinds of material missing"],
        note: Annotated[str, "what is missing, in words"],
        late: Annotated[bool, "asked more than 24 hours after the receipt"],
        deadline: Annotated[DeadlineData, "the agency supplies them: within 3 days"],
        by: By,
        at: At,
    ) -> None:
        self._set(deadline)

    def may_supply_materials(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        self._check_act("supply_materials")
        self._as_agency(actor, path)

    def supply_materials(
        self,
        *,
        actor: Actor,
        path: AgencyPath,
        materials: Sequence[TransferMaterialData],
        at: datetime,
    ) -> None:
        self.may_supply_materials(actor, path, at)
        rules.check_some(materials, "crime_transfer.materials_missing", "a material")
        rules.check_materials(materials, (), {m["sha256"] for m in self.materials})
        self._materials_supplied(
            materials=list(materials), late=self._meets("supply", at), by=actor_data(actor), at=at
        )

    @event("MaterialsSupplied")
    def _materials_supplied(self, materials: Materials, late: Late, by: By, at: At) -> None:
        self.materials.extend(dict(m) for m in materials)

    def may_forward(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        self._check_act("forward")
        self._as_police(actor, Role.LIAISON, Role.OFFICER, *rules.HEAD_ROLES)

    def forward(self, *, actor: Actor, to: AgencyRef, reason: str, at: datetime) -> None:
        """Not within its jurisdiction: to the competent public security, within 24 hours,
        with written notice to the agency and the procuratorate (this event)."""
        self.may_forward(actor, None, at)
        rules.check_forward_to(to, actor.agency_code)
        rules.check_text(reason, "crime_transfer.reason_required", "why it is not competent")
        self._forwarded(
            from_public_security=actor.agency_code,
            to_public_security=to.code,
            reason=reason,
            late=self._in_window("forward", at),
            by=actor_data(actor),
            at=at,
        )

    @event("Forwarded")
    def _forwarded(
        self,
        from_public_security: Annotated[str, "the public security forwarding it"],
        to_public_security: Annotated[str, "the competent public security it now goes to"],
        reason: Reason,
        late: Annotated[bool, "forwarded more than 24 hours after the receipt"],
        by: By,
        at: At,
    ) -> None:
        self.public_security = to_public_security
        self.deadlines.pop("filing", None)
        self.windows = {}

    def may_extend_filing(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        """A longer period remains, and this person may give one: where only 30 days remain
        (the period is 7 days already), only a head."""
        self._check_act("extend_filing")
        self._as_police(actor, *rules.POLICE_ROLES)
        rules.check_longer_period(FilingPeriod.MAJOR_COMPLEX, self.filing_period)
        if rules.longer_periods(self.filing_period) == [FilingPeriod.MAJOR_COMPLEX]:
            self._as_police(actor, *rules.HEAD_ROLES)

    def extend_filing(
        self,
        *,
        actor: Actor,
        period: FilingPeriod,
        reason: str,
        calendar: WorkingCalendar,
        at: datetime,
    ) -> None:
        """7 days where a clue needs checking; 30 for a major or complex case, its head
        approving; both counted from the receipt."""
        self.may_extend_filing(actor, None, at)
        if period == FilingPeriod.MAJOR_COMPLEX:
            self._as_police(actor, *rules.HEAD_ROLES)
        rules.check_longer_period(period, self.filing_period)
        rules.check_text(reason, "crime_transfer.reason_required", "the reason")
        assert self.received_at is not None
        self._filing_extended(
            period=period,
            reason=reason,
            deadline=rules.days("filing", self.received_at, rules.FILING_DAYS[period], calendar),
            by=actor_data(actor),
            at=at,
        )

    @event("FilingPeriodExtended")
    def _filing_extended(
        self,
        period: Annotated[FilingPeriod, "the longer period and its ground"],
        reason: Reason,
        deadline: Annotated[DeadlineData, "the filing decision, counted from the receipt"],
        by: By,
        at: At,
    ) -> None:
        self.filing_period = period
        self._set(deadline)

    def may_decide_filing(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        self._check_act("decide_filing")
        self._as_police(actor, *rules.HEAD_ROLES)

    def decide_filing(
        self,
        *,
        actor: Actor,
        file: bool,
        decided_at: datetime,
        reasons: str,
        document: NoticeData,
        calendar: WorkingCalendar,
        at: datetime,
    ) -> None:
        """The written notice of the filing decision (立案 / 不予立案), copied to the
        procuratorate; a refusal gives its reasons and returns the files."""
        self.may_decide_filing(actor, None, at)
        assert self.sent_at is not None
        rules.check_decided_at(decided_at, self.sent_at, at)
        rules.check_text(document["title"], "crime_transfer.document_required", "the notice")
        ordered = self.status == S.FILING_ORDERED
        if ordered and not file:
            raise Conflict(
                "the procuratorate ordered this case filed", code="crime_transfer.filing_ordered"
            )
        limit = "filing_on_order" if ordered else "filing"
        decision_late = rules.is_late(self.deadlines.get(limit), decided_at)
        notice_late = rules.is_late(
            rules.days("notice", decided_at, rules.NOTICE_DAYS, calendar), at
        )
        on = FilingOn.ORDER if ordered else FilingOn.TRANSFER
        if file:
            self._file(
                on, decided_at, reasons, document, decision_late, notice_late, actor, at, calendar
            )
            return
        rules.check_text(reasons, "crime_transfer.reason_required", "the reasons for not filing")
        self._not_filed(
            decided_at=decided_at,
            reasons=reasons,
            document=document,
            copied_to=self._copied_to(),
            decision_late=decision_late,
            notice_late=notice_late,
            windows=[
                rules.days("reconsideration_request", at, rules.RECONSIDERATION_DAYS, calendar)
            ],
            by=actor_data(actor),
            at=at,
        )

    def _file(
        self,
        on: FilingOn,
        decided_at: datetime,
        reasons: str,
        document: NoticeData,
        decision_late: bool,
        notice_late: bool,
        actor: Actor,
        at: datetime,
        calendar: WorkingCalendar,
    ) -> None:
        self._filed(
            on=on,
            decided_at=decided_at,
            reasons=reasons or "",
            document=document,
            copied_to=self._copied_to(),
            decision_late=decision_late,
            notice_late=notice_late,
            deadline=rules.days("handover", at, rules.HANDOVER_DAYS, calendar),
            by=actor_data(actor),
            at=at,
        )

    @event("Filed")
    def _filed(
        self,
        on: Annotated[
            FilingOn, "what the filing answered: the transfer, a reconsideration, an order"
        ],
        decided_at: Annotated[datetime, "when public security decided to file"],
        reasons: Annotated[str, "its reasons, if any"],
        document: Document,
        copied_to: Annotated[list[str], "the procuratorate the notice is copied to"],
        decision_late: DecisionLate,
        notice_late: NoticeLate,
        deadline: Annotated[DeadlineData, "the agency hands over items and files: 3 days"],
        by: By,
        at: At,
    ) -> None:
        self._set(deadline)

    @event("NotFiled")
    def _not_filed(
        self,
        decided_at: Annotated[datetime, "when public security decided not to file"],
        reasons: Annotated[str, "why not (不予立案的理由)"],
        document: Document,
        copied_to: Annotated[list[str], "the procuratorate the notice is copied to"],
        decision_late: DecisionLate,
        notice_late: NoticeLate,
        windows: Windows,
        by: By,
        at: At,
    ) -> None:
        self.windows = {w["name"]: dict(w) for w in windows}

    # Not filed: reconsideration and supervision -----------------------------------------

    def may_request_reconsideration(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        self._check_act("request_reconsideration")
        self._as_agency_head(actor, path)
        if "reconsideration_answer" in self.deadlines:
            raise Conflict(
                "a refusal to file is reconsidered once", code="crime_transfer.reconsidered"
            )

    def request_reconsideration(
        self,
        *,
        actor: Actor,
        path: AgencyPath,
        reasons: str,
        calendar: WorkingCalendar,
        at: datetime,
    ) -> None:
        self.may_request_reconsideration(actor, path, at)
        rules.check_text(reasons, "crime_transfer.reason_required", "the reasons")
        self._reconsideration_requested(
            reasons=reasons,
            late=self._in_window("reconsideration_request", at),
            deadline=rules.days("reconsideration_answer", at, rules.RECONSIDERATION_DAYS, calendar),
            by=actor_data(actor),
            at=at,
        )

    @event("ReconsiderationRequested")
    def _reconsideration_requested(
        self,
        reasons: Reason,
        late: Annotated[bool, "asked more than 3 days after the notice"],
        deadline: Annotated[DeadlineData, "public security answers: within 3 days"],
        by: By,
        at: At,
    ) -> None:
        self._set(deadline)

    def may_answer_reconsideration(
        self, actor: Actor, path: AgencyPath | None, at: datetime
    ) -> None:
        self._check_act("answer_reconsideration")
        self._as_police(actor, *rules.HEAD_ROLES)

    def answer_reconsideration(
        self,
        *,
        actor: Actor,
        upheld: bool,
        reasons: str,
        document: NoticeData,
        calendar: WorkingCalendar,
        at: datetime,
    ) -> None:
        """Upheld, the case stays not filed and the agency may ask for supervision within 3
        days; reversed, public security files it in the same act."""
        self.may_answer_reconsideration(actor, None, at)
        rules.check_text(reasons, "crime_transfer.reason_required", "the reasons")
        rules.check_text(document["title"], "crime_transfer.document_required", "the notice")
        windows = [rules.days("supervision_request", at, rules.SUPERVISION_DAYS, calendar)]
        self._reconsideration_answered(
            upheld=upheld,
            reasons=reasons,
            document=document,
            late=self._meets("reconsideration_answer", at),
            windows=windows if upheld else [],
            by=actor_data(actor),
            at=at,
        )
        if not upheld:
            self._file(
                FilingOn.RECONSIDERATION, at, reasons, document, False, False, actor, at, calendar
            )

    @event("ReconsiderationAnswered")
    def _reconsideration_answered(
        self,
        upheld: Annotated[bool, "the refusal to file stands (维持); false: reversed, and filed"],
        reasons: Reason,
        document: Document,
        late: Late,
        windows: Windows,
        by: By,
        at: At,
    ) -> None:
        self.windows = {w["name"]: dict(w) for w in windows}

    def may_request_supervision(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        self._check_act("request_supervision")
        self._as_agency_head(actor, path)
        if "supervision_request" not in self.windows:
            raise Conflict(
                "filing supervision is asked for after the reconsideration's answer",
                code="crime_transfer.not_reconsidered",
            )

    def request_supervision(
        self, *, actor: Actor, path: AgencyPath, reasons: str, at: datetime
    ) -> None:
        """立案监督: the agency asks the procuratorate, after the reconsideration's answer."""
        self.may_request_supervision(actor, path, at)
        rules.check_text(reasons, "crime_transfer.reason_required", "the reasons")
        self._supervision_requested(
            procuratorate=self.procuratorate or "",
            reasons=reasons,
            late=self._in_window("supervision_request", at),
            by=actor_data(actor),
            at=at,
        )

    @event("SupervisionRequested")
    def _supervision_requested(
        self,
        procuratorate: Annotated[str, "the procuratorate asked to supervise"],
        reasons: Reason,
        late: Annotated[bool, "asked more than 3 days after the reconsideration's answer"],
        by: By,
        at: At,
    ) -> None:
        self.windows = {}

    def may_request_reasons(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        self._check_act("request_reasons")
        self._as_procurator(actor)

    def request_reasons(
        self, *, actor: Actor, note: str, calendar: WorkingCalendar, at: datetime
    ) -> None:
        """The procuratorate asks public security to state why it did not file."""
        self.may_request_reasons(actor, None, at)
        self._reasons_requested(
            note=note or "",
            deadline=rules.days("reasons", at, rules.REASONS_DAYS, calendar),
            by=actor_data(actor),
            at=at,
        )

    @event("ReasonsRequested")
    def _reasons_requested(
        self,
        note: Annotated[str, "what the procuratorate asks, in words"],
        deadline: Annotated[DeadlineData, "public security states its reasons: within 7 days"],
        by: By,
        at: At,
    ) -> None:
        self._set(deadline)

    def may_state_reasons(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        self._check_act("state_reasons")
        self._as_police(actor, *rules.HEAD_ROLES)

    def state_reasons(self, *, actor: Actor, reasons: str, at: datetime) -> None:
        self.may_state_reasons(actor, None, at)
        rules.check_text(reasons, "crime_transfer.reason_required", "the reasons")
        self._reasons_stated(
            reasons=reasons, late=self._meets("reasons", at), by=actor_data(actor), at=at
        )

    @event("ReasonsStated")
    def _reasons_stated(self, reasons: Reason, late: Late, by: By, at: At) -> None:
        pass

    def may_order_filing(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        self._check_act("order_filing")
        self._as_procurator(actor)

    def order_filing(
        self, *, actor: Actor, reasons: str, calendar: WorkingCalendar, at: datetime
    ) -> None:
        """通知立案: the reasons for not filing do not hold; public security files."""
        self.may_order_filing(actor, None, at)
        rules.check_text(reasons, "crime_transfer.reason_required", "the reasons")
        self._filing_ordered(
            reasons=reasons,
            deadline=rules.days("filing_on_order", at, rules.ORDERED_FILING_DAYS, calendar),
            by=actor_data(actor),
            at=at,
        )

    @event("FilingOrdered")
    def _filing_ordered(
        self,
        reasons: Reason,
        deadline: Annotated[DeadlineData, "public security files: within 15 days"],
        by: By,
        at: At,
    ) -> None:
        self._set(deadline)

    def may_close_supervision(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        self._check_act("close_supervision")
        self._as_procurator(actor)

    def close_supervision(self, *, actor: Actor, reasons: str, at: datetime) -> None:
        """The procuratorate finds the reasons for not filing sound."""
        self.may_close_supervision(actor, None, at)
        rules.check_text(reasons, "crime_transfer.reason_required", "the reasons")
        self._supervision_closed(reasons=reasons, by=actor_data(actor), at=at)

    @event("SupervisionClosed")
    def _supervision_closed(self, reasons: Reason, by: By, at: At) -> None:
        pass

    # After filing, and the reverse transfer -----------------------------------------------

    def may_hand_over(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        self._check_act("hand_over")
        self._as_agency(actor, path)

    def hand_over(self, *, actor: Actor, path: AgencyPath, items: str, at: datetime) -> None:
        """Items involved and the files, within 3 days of the filing notice (art. 12)."""
        self.may_hand_over(actor, path, at)
        rules.check_text(items, "crime_transfer.items_required", "what was handed over")
        self._handed_over(
            items=items, late=self._meets("handover", at), by=actor_data(actor), at=at
        )

    @event("HandedOver")
    def _handed_over(
        self,
        items: Annotated[str, "the items and files handed over, in words"],
        late: Late,
        by: By,
        at: At,
    ) -> None:
        pass

    def may_transfer_back(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        self._check_act("transfer_back")
        self._as_police(actor, *rules.HEAD_ROLES)

    def transfer_back(
        self,
        *,
        actor: Actor,
        ground: BackGround,
        reasons: str,
        referral_id: UUID,
        at: datetime,
    ) -> None:
        """No crime, or one too slight to prosecute, but a violation: the agency handles it,
        through the referral (`referral_id`) arriving in its inbox."""
        self.may_transfer_back(actor, None, at)
        rules.check_text(reasons, "crime_transfer.reason_required", "the reasons")
        self._transferred_back(
            ground=ground, reasons=reasons, referral_id=referral_id, by=actor_data(actor), at=at
        )

    @event("TransferredBack")
    def _transferred_back(
        self,
        ground: Annotated[BackGround, "no crime, or one too slight to prosecute"],
        reasons: Reason,
        referral_id: Annotated[UUID, "the referral to the agency that carries the matter back"],
        by: By,
        at: At,
    ) -> None:
        pass

    # Helpers ---------------------------------------------------------------------------

    @event("Recommended")
    def _recommended(
        self,
        procuratorate: Annotated[AgencyCode, "the procuratorate recommending the transfer"],
        reasons: Annotated[str, "why it finds the case should be transferred"],
        by: By,
        at: At,
    ) -> None:
        self.procuratorate = procuratorate

    def _set(self, deadline: DeadlineData) -> None:
        self.deadlines[deadline["name"]] = dict(deadline)

    def _meets(self, name: str, at: datetime) -> bool:
        """Whether the act meeting the time limit `name` is late."""
        return rules.is_late(self.deadlines.get(name), at)

    def _in_window(self, name: str, at: datetime) -> bool:
        return rules.is_late(self.windows.get(name), at)

    def _copied_to(self) -> list[str]:
        return [self.procuratorate] if self.procuratorate else []

    def _agency_ref(self, path: AgencyPath) -> AgencyRef:
        """The transferring agency as the register holds it, from the path of one acting for
        it (its own, or its handling unit's, which the agency acts above)."""
        return next(a for a in path.chain if a.code == self.agency)

    def _as_case_officer(self, actor: Actor, at: datetime) -> None:
        if actor.agency_code != self.handling_unit:
            raise Forbidden(
                "only the handling unit's officers report a case", code="case.not_handling_unit"
            )
        actor.require_valid_certificate(at)
        actor.require_role(Role.OFFICER)

    def _as_agency(self, actor: Actor, path: AgencyPath) -> None:
        if not (path.speaks_for(self.agency) or actor.agency_code == self.handling_unit):
            raise Forbidden(
                f"only {self.agency} acts for its transfer", code="crime_transfer.not_your_transfer"
            )
        actor.require_role(Role.OFFICER, Role.LIAISON, *rules.HEAD_ROLES)

    def _as_agency_head(self, actor: Actor, path: AgencyPath) -> None:
        if not path.speaks_for(self.agency):
            raise Forbidden(
                f"only {self.agency} acts for its transfer", code="crime_transfer.not_your_transfer"
            )
        actor.require_role(*rules.HEAD_ROLES)

    def _as_police(self, actor: Actor, *roles: str) -> None:
        if actor.agency_code != self.public_security:
            raise Forbidden(
                "only the public security it was sent to acts on it",
                code="crime_transfer.not_your_transfer",
            )
        actor.require_role(*roles)

    def _as_procurator(self, actor: Actor) -> None:
        if actor.agency_code != self.procuratorate:
            raise Forbidden(
                "only the procuratorate it was copied to supervises it",
                code="crime_transfer.not_your_transfer",
            )
        actor.require_role(Role.SUPERVISOR)


def _member(actor: Actor) -> TeamMemberData:
    assert actor.certificate is not None
    return {
        "officer": actor.officer_id,
        "name": actor.name,
        "certificate": actor.certificate.number,
    }
