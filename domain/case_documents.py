"""A case's documents (执法文书) and their service (送达, seed 004 §六).

A document is issued by the event of the act that makes it (the notice, a measure's decision,
a rectification order, …), numbered by its kind with the case-number scheme: that event's
`change` calls `issued`. Service is one act for every document: the receipt (送达回证) is
photographed and attached by SHA-256, and the date the recipient signed it is the date of
service. The step that issues a kind of document may name the time limits its service starts
with a method `_deadlines_on_<kind>_served(served_on=, calendar=)`: the event of service
carries them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, TypedDict

from domain import case_rules as rules
from domain.calendar import SHANGHAI, WorkingCalendar
from domain.case_step import CaseStep, StepEvent
from domain.errors import Conflict, Invalid
from domain.payloads import At, By, DeadlineData, actor_data
from domain.values import Actor, AgencyPath


class DocumentKind(StrEnum):
    NOTICE = "notice"  # 行政处罚告知书
    HEARING_NOTICE = "hearing_notice"  # 听证通知书
    DECISION = "decision"  # 行政处罚决定书 (bears the case number)
    MEASURE = "measure"  # 行政强制措施决定书
    RECTIFICATION = "rectification"  # 责令限期整改指令书
    REINSPECTION = "reinspection"  # 整改复查意见书


class DocumentData(TypedDict):
    kind: Annotated[DocumentKind, "what the document is"]
    number: Annotated[str, "its number (文号), e.g. 津滨应急告〔2026〕3号"]


class ReceiptData(TypedDict):
    recipient: Annotated[str, "who signed the receipt (受送达人)"]
    signed_on: Annotated[
        str, "the date the recipient signed, YYYY-MM-DD (Beijing time): the date of service"
    ]
    sha256: Annotated[str, "SHA-256 of the photographed receipt, 64 lowercase hex digits"]
    size: Annotated[int, "the photograph's size in bytes"]
    uri: Annotated[str, "where the photograph is kept"]


def issued(case: Any, document: DocumentData, step: str, at: datetime) -> None:
    """Adds a document to the case as its issuing event records it."""
    entry = {"kind": str(document["kind"]), "number": document["number"], "step": step}
    case.documents.append(dict(entry, issued_at=at, served=None))


class DocumentServed(StepEvent):
    """Since version 2 it carries the time limits the service starts."""

    class_version = 2
    number: Annotated[str, "the number of the document served"]
    receipt: Annotated[ReceiptData, "the service receipt (送达回证)"]
    deadlines: Annotated[
        list[DeadlineData],
        "the time limits the service starts, e.g. the notice's `hearing_request` window"
        " (none for events stored before v2)",
    ]
    by: By
    at: At

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["deadlines"] = []

    def change(self, case: Any) -> None:
        document = next(d for d in case.documents if d["number"] == self.number)
        document["served"] = dict(self.receipt, recorded_by=self.by["officer"], recorded_at=self.at)
        for deadline in self.deadlines:
            case.deadlines[deadline["name"]] = dict(deadline, met_at=None)


StartsDeadlines = Callable[..., list[DeadlineData]]


class DocumentActs(CaseStep):
    def may_serve(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        self._check_handler_acts(actor, at)
        self._check_act("serve")

    def serve(
        self,
        *,
        actor: Actor,
        number: str,
        receipt: dict[str, Any],
        calendar: WorkingCalendar,
        at: datetime,
    ) -> None:
        """Records the service of a document of the case by its receipt."""
        self.may_serve(actor, None, at)
        document = self.document(number)
        if document["served"] is not None:
            raise Conflict(f"{number} was served already", code="case.document_served")
        issued_on = document["issued_at"].astimezone(SHANGHAI).date()
        signed_on = rules.parse_date(receipt["signed_on"], "the receipt's signing date")
        if signed_on < issued_on or signed_on > at.astimezone(SHANGHAI).date():
            raise Invalid(
                "a receipt is signed between the document's issue and today",
                code="case.service_date_invalid",
            )
        if not receipt["recipient"].strip():
            raise Invalid("the receipt names its recipient", code="case.recipient_required")
        rules.check_record_hash(receipt["sha256"], receipt["size"])
        served_on = datetime(signed_on.year, signed_on.month, signed_on.day, tzinfo=SHANGHAI)
        starts: StartsDeadlines | None = getattr(
            self, f"_deadlines_on_{document['kind']}_served", None
        )
        deadlines = starts(served_on=served_on, calendar=calendar) if starts else []
        self._record(
            DocumentServed,
            number=number,
            receipt=receipt,
            deadlines=deadlines,
            by=actor_data(actor),
            at=at,
        )

    def document(self, number: str) -> dict[str, Any]:
        found = next((d for d in self.documents if d["number"] == number), None)
        if found is None:
            raise Conflict(f"the case has no document {number}", code="case.document_unknown")
        return found

    def served_on(self, kind: DocumentKind) -> date | None:
        """When the latest document of that kind was served, if it was."""
        latest = next((d for d in reversed(self.documents) if d["kind"] == kind), None)
        if latest is None or latest["served"] is None:
            return None
        return date.fromisoformat(latest["served"]["signed_on"])
