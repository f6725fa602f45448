"""Compulsory measures (行政强制措施: 查封, 扣押, 停止供电, 停止供应民用爆炸物品), seed 004 §二(二).

A measure is proposed and approved by its unit's MEASURE chain before it is taken, 24 hours
after the enterprise was notified; in an emergency it is taken on the spot, reported to the
head within 24 hours and approved after the fact, and lifted at once if the chain returns it.
A brigade takes a measure together with the detachment and files it with the bureau's legal
department: within 3 working days of taking it (a project choice; the seed gives no limit).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

from domain import case_measure_rules as rules
from domain.approval import Places
from domain.approval_chains import Form
from domain.calendar import WorkingCalendar
from domain.case_documents import DocumentData, DocumentKind, issued
from domain.case_forms import FormActs, form_key
from domain.case_measure_rules import MeasureKind
from domain.case_step import StepEvent
from domain.errors import Conflict, Invalid
from domain.numbering import CaseNumberSequence
from domain.payloads import ActorData, At, By, DeadlineData, Late, actor_data, deadline_data
from domain.values import Actor, AgencyKind, AgencyPath

REPORT_HOURS = 24  # 紧急情况 … 应在24小时内向部门负责人报告
FILING_WORKING_DAYS = 3  # a brigade's measure filed with the legal department (project choice)

MeasureId = Annotated[UUID, "the measure's id (the subject of its MEASURE form)"]


class LiftReason(StrEnum):
    HAZARD_REMOVED = "hazard_removed"  # the enterprise removed the hazard
    DISAPPROVED = "disapproved"  # the head did not approve an emergency measure


def measures_of(case: Any) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = case.__dict__.setdefault("measures", {})
    return found


def _meet(case: Any, name: str, at: datetime) -> None:
    if name in case.deadlines:
        case.deadlines[name]["met_at"] = at


class MeasureProposed(StepEvent):
    measure_id: MeasureId
    kind: Annotated[MeasureKind, "seal, seize, power_cut or explosives_stop"]
    grounds: Annotated[str, "the facts and the law the measure rests on"]
    emergency: Annotated[bool, "taken on the spot in an emergency, approved after the fact"]
    brigade: Annotated[
        bool, "a brigade's: taken with the detachment, filed with the legal department"
    ]
    by: By
    at: At

    def change(self, case: Any) -> None:
        measures_of(case)[str(self.measure_id)] = {
            "kind": str(self.kind),
            "grounds": self.grounds,
            "emergency": self.emergency,
            "brigade": self.brigade,
            "status": "proposed",
            "notified_at": None,
            "together_with": [],
            "decision": None,
            "filed_at": None,
        }


class MeasureDecisionIssued(StepEvent):
    measure_id: MeasureId
    document: Annotated[DocumentData, "the measure's decision (行政强制措施决定书)"]
    by: By
    at: At

    def change(self, case: Any) -> None:
        measures_of(case)[str(self.measure_id)]["decision"] = self.document["number"]
        issued(case, self.document, step="measures", at=self.at)


class MeasureNoticeGiven(StepEvent):
    measure_id: MeasureId
    notified_at: Annotated[datetime, "when the enterprise was notified of the measure"]
    by: By
    at: At

    def change(self, case: Any) -> None:
        measures_of(case)[str(self.measure_id)]["notified_at"] = self.notified_at


class MeasureTaken(StepEvent):
    measure_id: MeasureId
    together_with: Annotated[list[ActorData], "the detachment's officers a brigade took it with"]
    deadlines: Annotated[list[DeadlineData], "the emergency report, a brigade's filing"]
    by: By
    at: At

    def change(self, case: Any) -> None:
        measure = measures_of(case)[str(self.measure_id)]
        measure["status"] = "in_force"
        measure["together_with"] = list(self.together_with)
        measure["taken_at"] = self.at
        for deadline in self.deadlines:
            case.deadlines[deadline["name"]] = dict(deadline)


class MeasureReported(StepEvent):
    """An emergency measure reported to the head, who signs its MEASURE form after the fact."""

    measure_id: MeasureId
    late: Late
    by: By
    at: At

    def change(self, case: Any) -> None:
        _meet(case, f"measure_report:{self.measure_id}", self.at)


class MeasureFiled(StepEvent):
    """A brigade's measure filed with the bureau's legal department (备案)."""

    measure_id: MeasureId
    late: Late
    by: By
    at: At

    def change(self, case: Any) -> None:
        measures_of(case)[str(self.measure_id)]["filed_at"] = self.at
        _meet(case, f"measure_filing:{self.measure_id}", self.at)


class MeasureLifted(StepEvent):
    measure_id: MeasureId
    reason: Annotated[LiftReason, "hazard_removed, or disapproved (an emergency measure)"]
    by: By
    at: At

    def change(self, case: Any) -> None:
        measure = measures_of(case)[str(self.measure_id)]
        measure["status"] = "lifted"
        measure["lifted"] = {"reason": str(self.reason), "at": self.at}


class MeasureActs(FormActs):
    def may_measure(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        """`measure` is offered by its route, the proposal of a measure."""
        self._check_handler_acts(actor, at)
        self._check_act("measure")

    def propose_measure(
        self,
        *,
        actor: Actor,
        measure_id: UUID,
        kind: str,
        grounds: str,
        places: Places,
        at: datetime,
    ) -> None:
        """Proposes a measure and submits its MEASURE form."""
        self.may_measure(actor, None, at)
        self._record_proposal(actor, measure_id, kind, grounds, places, emergency=False, at=at)
        self.submit_form(
            actor=actor, form=Form.MEASURE, places=places, at=at, subject=str(measure_id)
        )

    def take_on_the_spot(
        self,
        *,
        actor: Actor,
        measure_id: UUID,
        kind: str,
        grounds: str,
        together_with: Sequence[Actor],
        detachment_units: Collection[str],
        places: Places,
        calendar: WorkingCalendar,
        at: datetime,
    ) -> None:
        """An emergency measure, taken at once; reported to the head within 24 hours."""
        self._check_handler_acts(actor, at)
        self._check_act("measure")
        self._record_proposal(actor, measure_id, kind, grounds, places, emergency=True, at=at)
        report = calendar.add_hours(at, REPORT_HOURS)
        deadlines = [deadline_data(f"measure_report:{measure_id}", at, report)]
        self._record_taking(
            actor, measure_id, together_with, detachment_units, calendar, deadlines, at
        )

    def report_measure(
        self, *, actor: Actor, measure_id: UUID, places: Places, at: datetime
    ) -> None:
        measure = self._measure(actor, measure_id, at, "in_force")
        if not measure["emergency"] or form_key(Form.MEASURE, str(measure_id)) in self.forms:
            raise Conflict(
                "only an emergency measure is reported, once", code="case.measure_reported"
            )
        late = self._is_late(f"measure_report:{measure_id}", at)
        self._record(MeasureReported, measure_id=measure_id, late=late, by=actor_data(actor), at=at)
        self.submit_form(
            actor=actor, form=Form.MEASURE, places=places, at=at, subject=str(measure_id)
        )

    def issue_measure_decision(
        self, *, actor: Actor, measure_id: UUID, sequence: CaseNumberSequence, at: datetime
    ) -> None:
        measure = self._measure(actor, measure_id, at, "proposed", "in_force")
        self._require_approved(measure_id)
        if measure["decision"] is not None:
            raise Conflict(
                "the measure's decision was issued already", code="case.measure_decision_issued"
            )
        document: DocumentData = {
            "kind": DocumentKind.MEASURE,
            "number": sequence.issue(self.id, at),
        }
        self._record(
            MeasureDecisionIssued,
            measure_id=measure_id,
            document=document,
            by=actor_data(actor),
            at=at,
        )

    def notify_measure(
        self, *, actor: Actor, measure_id: UUID, notified_at: datetime, at: datetime
    ) -> None:
        """Records when the enterprise was told of the measure, 24 hours before it is taken."""
        measure = self._measure(actor, measure_id, at, "proposed")
        rules.check_decision_issued(measure)
        if notified_at > at:
            raise Invalid("the notice cannot lie in the future", code="case.time_in_future")
        self._record(
            MeasureNoticeGiven,
            measure_id=measure_id,
            notified_at=notified_at,
            by=actor_data(actor),
            at=at,
        )

    def take_measure(
        self,
        *,
        actor: Actor,
        measure_id: UUID,
        together_with: Sequence[Actor],
        detachment_units: Collection[str],
        calendar: WorkingCalendar,
        at: datetime,
    ) -> None:
        measure = self._measure(actor, measure_id, at, "proposed")
        rules.check_decision_issued(measure)
        rules.check_notice_period(measure["notified_at"], calendar, at)
        self._record_taking(actor, measure_id, together_with, detachment_units, calendar, [], at)

    def file_measure(self, *, actor: Actor, measure_id: UUID, at: datetime) -> None:
        measure = self._measure(actor, measure_id, at, "in_force", "lifted")
        if not measure["brigade"] or measure["filed_at"] is not None:
            raise Conflict(
                "only a brigade's measure is filed with the legal department, once",
                code="case.measure_filed",
            )
        late = self._is_late(f"measure_filing:{measure_id}", at)
        self._record(MeasureFiled, measure_id=measure_id, late=late, by=actor_data(actor), at=at)

    def lift_measure(self, *, actor: Actor, measure_id: UUID, reason: str, at: datetime) -> None:
        """Lifted once the enterprise complied and the hazard is removed."""
        self._measure(actor, measure_id, at, "in_force")
        if reason != LiftReason.HAZARD_REMOVED:
            raise Invalid("a measure is lifted when the hazard is removed", code="case.lift_reason")
        self._lifted(measure_id, LiftReason.HAZARD_REMOVED, actor, at)

    def _on_measure_returned(self, *, subject: str, actor: Actor, at: datetime) -> None:
        """部门负责人认为不应当采取行政强制措施的，应当立即解除: in the same save."""
        measure = measures_of(self)[subject]
        if measure["emergency"] and measure["status"] == "in_force":
            self._lifted(UUID(subject), LiftReason.DISAPPROVED, actor, at)

    def _check_no_measure_in_force(self) -> None:
        rules.check_closable(measures_of(self))

    # Helpers ---------------------------------------------------------------------------

    def _record_proposal(
        self,
        actor: Actor,
        measure_id: UUID,
        kind: str,
        grounds: str,
        places: Places,
        *,
        emergency: bool,
        at: datetime,
    ) -> None:
        rules.check_proposal(kind, grounds, known=str(measure_id) in measures_of(self))
        self._record(
            MeasureProposed,
            measure_id=measure_id,
            kind=MeasureKind(kind),
            grounds=grounds,
            emergency=emergency,
            brigade=places.unit.agency.kind == AgencyKind.BRIGADE,
            by=actor_data(actor),
            at=at,
        )

    def _record_taking(
        self,
        actor: Actor,
        measure_id: UUID,
        together_with: Sequence[Actor],
        detachment_units: Collection[str],
        calendar: WorkingCalendar,
        deadlines: list[DeadlineData],
        at: datetime,
    ) -> None:
        if measures_of(self)[str(measure_id)]["brigade"]:
            rules.check_with_detachment(together_with, detachment_units)
            filing = calendar.add_working_days(at, FILING_WORKING_DAYS)
            deadlines = [*deadlines, deadline_data(f"measure_filing:{measure_id}", at, filing)]
        self._record(
            MeasureTaken,
            measure_id=measure_id,
            together_with=[actor_data(a) for a in together_with],
            deadlines=deadlines,
            by=actor_data(actor),
            at=at,
        )

    def _lifted(self, measure_id: UUID, reason: LiftReason, actor: Actor, at: datetime) -> None:
        self._record(
            MeasureLifted, measure_id=measure_id, reason=reason, by=actor_data(actor), at=at
        )

    def _measure(
        self, actor: Actor, measure_id: UUID, at: datetime, *statuses: str
    ) -> dict[str, Any]:
        self._check_handler_acts(actor, at)
        self._check_act("measure")
        measure = measures_of(self).get(str(measure_id))
        rules.check_status(str(measure_id), measure, statuses)
        assert measure is not None
        return measure

    def _require_approved(self, measure_id: UUID) -> None:
        if not self.form_approved(Form.MEASURE, str(measure_id)):
            raise Conflict(
                "the measure needs its MEASURE form approved", code="case.form_not_approved"
            )
