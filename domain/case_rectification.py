"""Rectification orders (责令限期整改指令书) and their re-inspection (复查), seed 004 §三(一)1.

The re-inspection is due within 10 days after the enterprise asks for it or after the order's
due date passes, whichever comes first; its result goes to the unit's head on the REINSPECTION
form. No fine and forget (一罚了之): a case closes only when every order's re-inspection is
approved.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from domain.approval import Places
from domain.approval_chains import Form
from domain.calendar import END_OF_DAY, SHANGHAI, WorkingCalendar
from domain.case_documents import DocumentData, DocumentKind, issued
from domain.case_forms import FormActs, form_key
from domain.case_step import StepEvent
from domain.errors import Conflict, Invalid
from domain.numbering import CaseNumberSequence
from domain.payloads import At, By, DeadlineData, Late, actor_data, deadline_data
from domain.values import Actor, AgencyPath

REINSPECTION_DAYS = 10  # 提出复查申请或整改限期届满后10日内进行复查

OrderId = Annotated[UUID, "the order's id (the subject of its REINSPECTION form)"]


def orders_of(case: Any) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = case.__dict__.setdefault("rectifications", {})
    return found


def reinspection_deadline(order_id: UUID) -> str:
    return f"reinspection:{order_id}"


class RectificationOrdered(StepEvent):
    order_id: OrderId
    items: Annotated[list[str], "what the enterprise must put right"]
    due_at: Annotated[datetime, "the end of the day by which it must be put right"]
    document: Annotated[DocumentData, "the order (责令限期整改指令书)"]
    deadline: Annotated[DeadlineData, "the re-inspection, 10 days after the due date"]
    by: By
    at: At

    def change(self, case: Any) -> None:
        orders_of(case)[str(self.order_id)] = {
            "items": list(self.items),
            "due_at": self.due_at,
            "ordered_at": self.at,
            "number": self.document["number"],
            "requested_at": None,
            "reinspection": None,
        }
        issued(case, self.document, step="rectification", at=self.at)
        case.deadlines[self.deadline["name"]] = dict(self.deadline)


class ReinspectionRequested(StepEvent):
    order_id: OrderId
    asked_at: Annotated[datetime, "when the enterprise asked for the re-inspection"]
    deadlines: Annotated[
        list[DeadlineData], "the re-inspection 10 days from the request, if before the due date"
    ]
    by: By
    at: At

    def change(self, case: Any) -> None:
        orders_of(case)[str(self.order_id)]["requested_at"] = self.asked_at
        for deadline in self.deadlines:
            case.deadlines[deadline["name"]] = dict(deadline)


class Reinspected(StepEvent):
    order_id: OrderId
    complied: Annotated[bool, "the enterprise put everything right"]
    findings: Annotated[str, "what the re-inspection found"]
    document: Annotated[DocumentData, "the re-inspection opinion (整改复查意见书)"]
    late: Late
    by: By
    at: At

    def change(self, case: Any) -> None:
        order = orders_of(case)[str(self.order_id)]
        order["reinspection"] = {"complied": self.complied, "number": self.document["number"]}
        issued(case, self.document, step="rectification", at=self.at)
        name = reinspection_deadline(self.order_id)
        if name in case.deadlines:
            case.deadlines[name]["met_at"] = self.at


class RectificationActs(FormActs):
    def may_rectify(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        """`rectify` is offered by its route, the order."""
        self._check_handler_acts(actor, at)
        self._check_act("rectify")

    def order_rectification(
        self,
        *,
        actor: Actor,
        order_id: UUID,
        items: Sequence[str],
        due: datetime,
        sequence: CaseNumberSequence,
        calendar: WorkingCalendar,
        at: datetime,
    ) -> None:
        """Orders the enterprise to put things right by the end of the `due` day."""
        self.may_rectify(actor, None, at)
        if not items or any(not item.strip() for item in items):
            raise Invalid("an order lists what to put right", code="case.rectification_items")
        due_at = datetime.combine(due.astimezone(SHANGHAI).date(), END_OF_DAY, SHANGHAI)
        if due_at < at:
            raise Invalid("an order's due date lies ahead", code="case.rectification_due_passed")
        if str(order_id) in orders_of(self):
            raise Conflict(f"order {order_id} exists already", code="case.order_exists")
        document: DocumentData = {
            "kind": DocumentKind.RECTIFICATION,
            "number": sequence.issue(self.id, at),
        }
        limit = calendar.add_calendar_days(due_at, REINSPECTION_DAYS)
        self._record(
            RectificationOrdered,
            order_id=order_id,
            items=list(items),
            due_at=due_at,
            document=document,
            deadline=deadline_data(reinspection_deadline(order_id), due_at, limit),
            by=actor_data(actor),
            at=at,
        )

    def request_reinspection(
        self,
        *,
        actor: Actor,
        order_id: UUID,
        asked_at: datetime,
        calendar: WorkingCalendar,
        at: datetime,
    ) -> None:
        """Records the enterprise's request; the re-inspection is then due 10 days from it if
        that comes before 10 days from the due date."""
        order = self._order(actor, order_id, at)
        if order["requested_at"] is not None:
            raise Conflict("the enterprise asked already", code="case.reinspection_requested")
        if asked_at > at or asked_at < order["ordered_at"]:
            raise Invalid(
                "a request lies between the order and now", code="case.request_time_invalid"
            )
        deadlines = []
        if asked_at < order["due_at"]:
            limit = calendar.add_calendar_days(asked_at, REINSPECTION_DAYS)
            deadlines.append(deadline_data(reinspection_deadline(order_id), asked_at, limit))
        self._record(
            ReinspectionRequested,
            order_id=order_id,
            asked_at=asked_at,
            deadlines=deadlines,
            by=actor_data(actor),
            at=at,
        )

    def reinspect(
        self,
        *,
        actor: Actor,
        order_id: UUID,
        complied: bool,
        findings: str,
        sequence: CaseNumberSequence,
        places: Places,
        at: datetime,
    ) -> None:
        """Re-inspects, issues the opinion and submits the REINSPECTION form to the head."""
        order = self._order(actor, order_id, at)
        subject = str(order_id)
        form = self.forms.get(form_key(Form.REINSPECTION, subject))
        if order["reinspection"] is not None and (form is None or form["outcome"] != "returned"):
            raise Conflict("the order was re-inspected already", code="case.order_reinspected")
        if not findings.strip():
            raise Invalid("a re-inspection states its findings", code="case.findings_required")
        document: DocumentData = {
            "kind": DocumentKind.REINSPECTION,
            "number": sequence.issue(self.id, at),
        }
        self._record(
            Reinspected,
            order_id=order_id,
            complied=complied,
            findings=findings,
            document=document,
            late=self._is_late(reinspection_deadline(order_id), at),
            by=actor_data(actor),
            at=at,
        )
        self.submit_form(actor=actor, form=Form.REINSPECTION, places=places, at=at, subject=subject)

    def _check_no_reinspection_pending(self) -> None:
        for order_id in orders_of(self):
            if not self.form_approved(Form.REINSPECTION, order_id):
                raise Conflict(
                    f"order {order_id} has no approved re-inspection",
                    code="case.reinspection_pending",
                )

    def _order(self, actor: Actor, order_id: UUID, at: datetime) -> dict[str, Any]:
        self._check_handler_acts(actor, at)
        self._check_act("rectify")
        order = orders_of(self).get(str(order_id))
        if order is None:
            raise Conflict(f"the case has no order {order_id}", code="case.order_unknown")
        return order
