"""The decision's time limit extended (案件延期审批, seed 004 §三).

A case is decided within 30 days of filing. With the legal department's consent and the
director's approval (the extension form) it may take 90 days; in special cases the bureau's
party committee decides collectively (局党委集体讨论决定) on 180 days, which its director records.
Each extension replaces the case's `decision` deadline, counted from the filing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, TypedDict

from domain.approval import Places
from domain.approval_chains import Form, Place
from domain.calendar import SHANGHAI, WorkingCalendar
from domain.case_step import CaseStep, StepEvent
from domain.errors import Conflict, Forbidden, Invalid
from domain.payloads import At, By, DeadlineData, Late, Reason, actor_data, deadline_data
from domain.values import Actor, AgencyPath, Role

DECISION_DAYS = 30  # the time limit before any extension
EXTENDED_DAYS = 90  # with the legal department's consent and the director's approval
COMMITTEE_DAYS = 180  # by the party committee's collective decision

Decision = Annotated[DeadlineData, "the new `decision` deadline, counted from the filing"]


class ExtensionData(TypedDict):
    reason: Annotated[str, "why the case needs more time"]
    deadline: Annotated[DeadlineData, "the `decision` deadline the extension would set"]


class CommitteeData(TypedDict):
    met_on: Annotated[str, "the date the party committee met, YYYY-MM-DD (Beijing time)"]
    record: Annotated[str, "the reference of the meeting's record (会议纪要)"]


class ExtensionRequested(StepEvent):
    """The handling unit asks to extend the decision's time limit to 90 days; the extension
    form follows (submitted in the same act)."""

    extension: Annotated[ExtensionData, "the reason and the deadline asked for"]
    late: Late
    by: By
    at: At

    def change(self, case: Any) -> None:
        case.extension = dict(self.extension, asked_at=self.at)


class DecisionPeriodExtended(StepEvent):
    """The extension form was approved: the case is decided within 90 days of filing."""

    deadline: Decision
    reason: Reason
    by: By
    at: At

    def change(self, case: Any) -> None:
        case.deadlines["decision"] = dict(self.deadline)
        case.decision_days = EXTENDED_DAYS


class ExtendedByCommittee(StepEvent):
    """The party committee decided on 180 days; the director recorded it."""

    deadline: Decision
    committee: Annotated[CommitteeData, "the committee's meeting and its record"]
    reason: Reason
    late: Late
    by: By
    at: At

    def change(self, case: Any) -> None:
        case.deadlines["decision"] = dict(self.deadline)
        case.decision_days = COMMITTEE_DAYS


class ExtensionActs(CaseStep):
    extension: dict[str, Any] | None = None  # the last request, with when it was asked
    decision_days = DECISION_DAYS  # the decision's time limit, as extended

    def may_request_extension(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        self._check_handler_acts(actor, at)
        self._check_act("request_extension")

    def request_extension(
        self,
        *,
        actor: Actor,
        reason: str,
        places: Places,
        calendar: WorkingCalendar,
        at: datetime,
    ) -> None:
        self.may_request_extension(actor, None, at)
        _require_text(reason, "case.reason_required", "a reason for the extension")
        self._check_not_extended()
        deadline = self._decision_due(calendar, EXTENDED_DAYS)
        extension: Any = {"reason": reason, "deadline": deadline}
        late = self._is_late("decision", at)
        self._record(
            ExtensionRequested, extension=extension, late=late, by=actor_data(actor), at=at
        )
        self.submit_form(actor=actor, form=Form.EXTENSION, places=places, at=at)  # type: ignore[attr-defined]

    def _check_extension_submittable(self, *, subject: str | None, at: datetime) -> None:
        """The form goes only with its reason, asked by `request_extension` in the same act."""
        self._check_act("request_extension")
        self._check_not_extended()
        if self.extension is None or self.extension["asked_at"] != at:
            raise Conflict(
                "an extension is requested with its reason", code="case.extension_reason_required"
            )

    def _on_extension_approved(self, *, subject: str | None, actor: Actor, at: datetime) -> None:
        assert self.extension is not None
        self._record(
            DecisionPeriodExtended,
            deadline=self.extension["deadline"],
            reason=self.extension["reason"],
            by=actor_data(actor),
            at=at,
        )

    def extend_by_committee(
        self,
        *,
        actor: Actor,
        met_on: str,
        record: str,
        reason: str,
        places: Places,
        calendar: WorkingCalendar,
        at: datetime,
    ) -> None:
        """The director records the party committee's decision on 180 days."""
        actor.require_role(Role.DIRECTOR)
        if actor.agency_code not in places.codes(Place.BUREAU):
            raise Forbidden(
                "only the bureau's director records its party committee's decision",
                code="case.not_the_bureau_director",
            )
        self._check_act("request_extension")
        if self.decision_days == DECISION_DAYS:
            raise Conflict(
                "180 days come only after the 90-day extension", code="case.not_extended"
            )
        if self.decision_days == COMMITTEE_DAYS:
            raise Conflict("the case was extended to 180 days already", code="case.extended")
        _check_meeting_date(met_on, at)
        _require_text(record, "case.committee_record_required", "the meeting record's reference")
        _require_text(reason, "case.reason_required", "a reason for the extension")
        self._record(
            ExtendedByCommittee,
            deadline=self._decision_due(calendar, COMMITTEE_DAYS),
            committee={"met_on": met_on, "record": record},
            reason=reason,
            late=self._is_late("decision", at),
            by=actor_data(actor),
            at=at,
        )

    def _check_not_extended(self) -> None:
        if self.decision_days != DECISION_DAYS:
            raise Conflict("the case was extended to 90 days already", code="case.extended")

    def _decision_due(self, calendar: WorkingCalendar, days: int) -> DeadlineData:
        filed_at = self.deadlines["decision"]["start"]
        return deadline_data("decision", filed_at, calendar.add_calendar_days(filed_at, days))


def _require_text(text: str, code: str, what: str) -> None:
    if not text.strip():
        raise Invalid(f"{what} is required", code=code)


def _check_meeting_date(met_on: str, at: datetime) -> None:
    try:
        day = date.fromisoformat(met_on)
    except ValueError:
        raise Invalid("the meeting date is YYYY-MM-DD", code="case.date_invalid") from None
    if day > at.astimezone(SHANGHAI).date():
        raise Invalid("the meeting cannot be in the future", code="case.in_future")
